"""Slugs are ASCII in the database too; rows that are not are repaired first."""

from django.conf import settings
from django.db import migrations, models

from people.text import repair_slugs


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_tag_permissions'),
        ('people', '0005_ascii_slugs'),
        ('shows', '0006_ascii_slugs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(repair_slugs('articles.Article', 'articles.Tag'), migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(('slug__regex', '^[-a-zA-Z0-9_]+$')), name='article_slug_is_ascii', violation_error_message='A slug is made of ASCII letters, digits, - and _ only.'),
        ),
        migrations.AddConstraint(
            model_name='tag',
            constraint=models.CheckConstraint(condition=models.Q(('slug__regex', '^[-a-zA-Z0-9_]+$')), name='tag_slug_is_ascii', violation_error_message='A slug is made of ASCII letters, digits, - and _ only.'),
        ),
    ]
