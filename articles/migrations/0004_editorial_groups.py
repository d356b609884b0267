"""The two newsroom roles, as groups with their permissions.

Writers write: they add stories and change their own drafts (the admin
enforces "own" and "draft"), and can look up shows, people and writers to
fill in a story. Editors do everything to stories, including publishing,
and keep the show and people records.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STORY_MODELS = ["article", "review", "explainer", "renewalnews", "newsstory"]
RECORD_MODELS = {
    "shows": ["show", "season", "credit", "statuschange", "network", "genre"],
    "people": ["person", "writer"],
}


def codenames(actions, models):
    return [f"{action}_{model}" for model in models for action in actions]


WRITERS = {
    # The byline is an inline of the story form; without these, it is hidden.
    "articles": codenames(["add", "change", "view"], STORY_MODELS)
    + codenames(["add", "change", "delete", "view"], ["byline"]),
    "shows": codenames(["view"], RECORD_MODELS["shows"]),
    "people": codenames(["view"], RECORD_MODELS["people"]),
    "taggit": ["view_tag"],
}
EDITORS = {
    "articles": codenames(["add", "change", "delete", "view"], [*STORY_MODELS, "byline"])
    + ["publish_article", "view_historicalarticle"],
    "shows": codenames(["add", "change", "delete", "view"], RECORD_MODELS["shows"]),
    "people": codenames(["add", "change", "delete", "view"], RECORD_MODELS["people"]),
    "taggit": codenames(["add", "change", "delete", "view"], ["tag"]),
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in (("Writers", WRITERS), ("Editors", EDITORS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, names in grants.items():
            permissions = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=names
            )
            missing = set(names) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"Permissions not found for {name}: {sorted(missing)}")
            group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Writers", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_workflow_and_revisions"),
        ("shows", "0003_image_dimensions"),
        ("people", "0003_image_dimensions"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
