from django.db import migrations

from images.legacy import move_in, move_out

FIELDS = {"file": "poster", "prefix": "poster", "link": "poster_image"}


def forwards(apps, schema_editor):
    move_in(apps, "shows.Show", **FIELDS, title=lambda show: f"{show.title}: poster")


def backwards(apps, schema_editor):
    move_out(apps, "shows.Show", **FIELDS)


class Migration(migrations.Migration):
    dependencies = [("shows", "0007_poster_from_library")]

    operations = [migrations.RunPython(forwards, backwards)]
