"""The newsroom's roles get rights on the image library: writers upload and edit the
pictures of their stories, editors may also delete them."""

from django.db import migrations

from articles.migrations._grants import granting

GRANTS = {
    "Writers": ["add_image", "change_image", "view_image"],
    "Editors": ["add_image", "change_image", "delete_image", "view_image"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_reader_indexes"),
        ("images", "0001_image_library"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(granting("images", GRANTS), migrations.RunPython.noop)]
