from django.db import migrations

OLD = ["poster", "poster_width", "poster_height", "poster_renditions", "poster_alt", "poster_credit"]


class Migration(migrations.Migration):
    """The show's own poster fields, now that its poster is a library image (0008)."""

    dependencies = [("shows", "0008_move_posters_into_library")]

    operations = [
        *(migrations.RemoveField("show", name) for name in OLD),
        migrations.RenameField("show", "poster_image", "poster"),
    ]
