"""Editors add, change and remove corrections and updates; writers read them. The
corrections policy moves to /corrections-policy/, since /corrections/ is now the log of
every correction."""

from django.db import migrations

from articles.migrations._grants import granting

GRANTS = {
    "Writers": ["view_correction"],
    "Editors": ["add_correction", "change_correction", "delete_correction", "view_correction"],
}
POLICY, LOG = "/corrections-policy/", "/corrections/"


def move_policy(apps, schema_editor):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    if not FlatPage.objects.filter(url=POLICY).exists():
        FlatPage.objects.filter(url=LOG).update(url=POLICY)


def move_policy_back(apps, schema_editor):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    if not FlatPage.objects.filter(url=LOG).exists():
        FlatPage.objects.filter(url=POLICY).update(url=LOG)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_honest_dates_and_corrections"),
        ("flatpages", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(granting("articles", GRANTS), migrations.RunPython.noop),
        migrations.RunPython(move_policy, move_policy_back),
    ]
