from django.db import migrations

from images.legacy import move_in, move_out

FIELDS = {"file": "photo", "prefix": "photo", "link": "photo_image"}


def forwards(apps, schema_editor):
    for label in ("people.Person", "people.Writer"):
        move_in(apps, label, **FIELDS, title=lambda profile: profile.name)


def backwards(apps, schema_editor):
    for label in ("people.Person", "people.Writer"):
        move_out(apps, label, **FIELDS)


class Migration(migrations.Migration):
    dependencies = [("people", "0006_photo_from_library")]

    operations = [migrations.RunPython(forwards, backwards)]
