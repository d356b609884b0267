"""Slugs are ASCII in the database too; rows that are not are repaired first."""

from django.conf import settings
from django.db import migrations, models

from people.text import repair_slugs


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0004_image_renditions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(repair_slugs('people.Person', 'people.Writer'), migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.CheckConstraint(condition=models.Q(('slug__regex', '^[-a-zA-Z0-9_]+$')), name='people_person_slug_is_ascii', violation_error_message='A slug is made of ASCII letters, digits, - and _ only.'),
        ),
        migrations.AddConstraint(
            model_name='writer',
            constraint=models.CheckConstraint(condition=models.Q(('slug__regex', '^[-a-zA-Z0-9_]+$')), name='people_writer_slug_is_ascii', violation_error_message='A slug is made of ASCII letters, digits, - and _ only.'),
        ),
    ]
