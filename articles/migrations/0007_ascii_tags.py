"""Tags move from taggit's table to articles.Tag, whose slugs are always ASCII.

Every tag in use on a story is copied with its id and name; its slug is made
again, so a tag whose old slug kept accents, emoji or nothing at all gets one
its page can be reached at.
"""

import hashlib

import django.db.models.deletion
import taggit.managers
from anyascii import anyascii
from django.core.management.color import no_style
from django.db import migrations, models
from django.utils.text import slugify


def _slug(name):
    slug = slugify(anyascii(name))[:90].strip("-")
    return slug or "tag-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def copy_tags(apps, schema_editor):
    OldTag = apps.get_model("taggit", "Tag")
    NewTag = apps.get_model("articles", "Tag")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    used = TaggedArticle.objects.values("tag_id")
    taken = set()
    for old in OldTag.objects.filter(pk__in=used).order_by("pk"):
        slug, n = _slug(old.name), 1
        while slug in taken:
            slug = f"{_slug(old.name)}_{n}"
            n += 1
        taken.add(slug)
        NewTag.objects.create(pk=old.pk, name=old.name[:100], slug=slug)
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [NewTag]):
            cursor.execute(sql)


def copy_tags_back(apps, schema_editor):
    OldTag = apps.get_model("taggit", "Tag")
    for tag in apps.get_model("articles", "Tag").objects.all():
        OldTag.objects.get_or_create(pk=tag.pk, defaults={"name": tag.name, "slug": tag.slug})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_image_renditions"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="Tag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                ("slug", models.SlugField(max_length=100, unique=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.RunPython(copy_tags, copy_tags_back),
        migrations.AlterField(
            model_name="article",
            name="tags",
            field=taggit.managers.TaggableManager(
                blank=True,
                help_text="A comma-separated list of tags.",
                through="articles.TaggedArticle",
                to="articles.Tag",
                verbose_name="Tags",
            ),
        ),
        migrations.AlterField(
            model_name="taggedarticle",
            name="tag",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(app_label)s_%(class)s_items",
                to="articles.tag",
            ),
        ),
    ]
