"""The newsroom's roles get the same rights on articles.Tag as they had on taggit's tags."""

from django.db import migrations

from articles.migrations._grants import granting

GRANTS = {
    "Writers": ["view_tag"],
    "Editors": ["add_tag", "change_tag", "delete_tag", "view_tag"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_body_limits"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(granting("articles", GRANTS), migrations.RunPython.noop)]
