"""Giving the newsroom's roles rights on an app's models, from a data migration (the
migration loader skips modules whose names start with an underscore)."""

from django.contrib.auth.management import create_permissions


def granting(app_label, grants):
    """A RunPython function that gives each group in ``grants`` (group name -> codenames)
    those permissions of ``app_label``, made first if the app's are not there yet."""

    def grant(apps, schema_editor):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        for name, codenames in grants.items():
            group = Group.objects.filter(name=name).first()
            if group:
                group.permissions.add(
                    *Permission.objects.filter(
                        content_type__app_label=app_label, codename__in=codenames
                    )
                )

    return grant
