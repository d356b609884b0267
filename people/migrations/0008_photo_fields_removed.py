from django.db import migrations

OLD = ["photo", "photo_width", "photo_height", "photo_renditions", "photo_alt", "photo_credit"]


class Migration(migrations.Migration):
    """The profiles' own photo fields, now that a photo is a library image (0007)."""

    dependencies = [("people", "0007_move_photos_into_library")]

    operations = [
        *(migrations.RemoveField(model, name) for model in ("person", "writer") for name in OLD),
        *(migrations.RenameField(model, "photo_image", "photo") for model in ("person", "writer")),
    ]
