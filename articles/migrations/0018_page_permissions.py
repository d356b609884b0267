"""Editors keep the site's own pages (About, Standards and ethics, Corrections policy,
Contact, Privacy: django.contrib.flatpages); writers may read them on the desk."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Writers": ["view_flatpage"],
    "Editors": ["add_flatpage", "change_flatpage", "delete_flatpage", "view_flatpage"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("flatpages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="flatpages", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_hero_fields_removed"),
        ("flatpages", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
