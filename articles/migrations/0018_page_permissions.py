"""Editors keep the site's own pages (About, Standards and ethics, Corrections policy,
Contact, Privacy: django.contrib.flatpages); writers may read them on the desk."""

from django.db import migrations

from articles.migrations._grants import granting

GRANTS = {
    "Writers": ["view_flatpage"],
    "Editors": ["add_flatpage", "change_flatpage", "delete_flatpage", "view_flatpage"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_hero_fields_removed"),
        ("flatpages", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(granting("flatpages", GRANTS), migrations.RunPython.noop)]
