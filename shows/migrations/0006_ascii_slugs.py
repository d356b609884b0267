"""Slugs are ASCII in the database too; rows that are not are repaired first."""

from django.db import migrations, models

from people.text import repair_slugs


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0005_ascii_slugs'),
        ('shows', '0005_status_change_updated_at'),
    ]

    operations = [
        migrations.RunPython(repair_slugs('shows.Genre', 'shows.Network', 'shows.Show'), migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='genre',
            constraint=models.CheckConstraint(condition=models.Q(('slug__regex', '^[-a-zA-Z0-9_]+$')), name='genre_slug_is_ascii', violation_error_message='A slug is made of ASCII letters, digits, - and _ only.'),
        ),
        migrations.AddConstraint(
            model_name='network',
            constraint=models.CheckConstraint(condition=models.Q(('slug__regex', '^[-a-zA-Z0-9_]+$')), name='network_slug_is_ascii', violation_error_message='A slug is made of ASCII letters, digits, - and _ only.'),
        ),
        migrations.AddConstraint(
            model_name='show',
            constraint=models.CheckConstraint(condition=models.Q(('slug__regex', '^[-a-zA-Z0-9_]+$')), name='show_slug_is_ascii', violation_error_message='A slug is made of ASCII letters, digits, - and _ only.'),
        ),
    ]
