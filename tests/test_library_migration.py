"""The move of every story's, show's and profile's own picture into the image library:
no file and no alt text is lost, one file becomes one library image, and a rollback
puts everything back."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from images.renditions import make_renditions

from .factories import png_bytes

BEFORE = [
    ("articles", "0014_lead_story_for_three_days"),
    ("shows", "0006_ascii_slugs"),
    ("people", "0005_ascii_slugs"),
]
AFTER = [
    ("articles", "0017_hero_fields_removed"),
    ("shows", "0009_poster_fields_removed"),
    ("people", "0008_photo_fields_removed"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def stored_picture(name, size=(1600, 900)):
    """A picture as the old fields stored it: the file and its renditions (no crops)."""
    data = png_bytes(size)
    name = default_storage.save(name, ContentFile(data))
    renditions = make_renditions(default_storage, name.rsplit(".", 1)[0], data, [])
    return name, renditions


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def old_schema(transactional_db):
    apps = migrate(BEFORE)
    try:
        yield apps
    finally:
        # Every migration, not just AFTER: the tests after this one need today's tables.
        migrate_to_latest()


def test_every_file_alt_text_caption_and_credit_reaches_the_library_even_a_lost_files(
    old_schema,
):
    apps = old_schema
    hero, hero_renditions = stored_picture("articles/2026/01/harbour.png")
    poster, poster_renditions = stored_picture("shows/2026/key-art.png", (800, 1200))
    photo, _ = stored_picture("people/2026/portrait.png", (600, 600))
    Article = apps.get_model("articles", "Article")
    Show = apps.get_model("shows", "Show")
    Person, Writer = apps.get_model("people", "Person"), apps.get_model("people", "Writer")
    story = Article.objects.create(
        kind="news", title="The harbour story", slug="harbour", body="Words.",
        hero_image=hero, hero_width=1600, hero_height=900, hero_renditions=hero_renditions,
        hero_alt="Boats in a harbour at dusk", hero_caption="The harbour in episode two.",
        hero_credit="Photo: Ines Duarte",
    )  # fmt: skip
    again = Article.objects.create(
        kind="news", title="Same picture", slug="again", body="Words.", hero_image=hero,
        hero_alt="Boats in a harbour at dusk",
    )  # fmt: skip
    bare = Article.objects.create(kind="news", title="No picture", slug="bare", body="Words.")
    lost = Article.objects.create(
        kind="news", title="Lost file", slug="lost", body="Words.",
        hero_image="articles/2020/01/gone.png", hero_width=1600, hero_height=900,
        hero_alt="A still that was lost",
    )  # fmt: skip
    Show.objects.create(
        title="Harbour Lights", slug="harbour-lights", poster=poster, poster_width=800,
        poster_height=1200, poster_renditions=poster_renditions,
        poster_alt="Harbour Lights key art: a lighthouse", poster_credit="Illustration: Newsroom",
    )  # fmt: skip
    person = Person.objects.create(
        name="Ana Vidal", slug="ana-vidal", photo=photo, photo_alt="Ana Vidal, smiling"
    )
    writer = Writer.objects.create(
        name="Sam Ortiz", slug="sam-ortiz", photo=photo, photo_alt="Sam Ortiz"
    )

    apps = migrate(AFTER)

    Image = apps.get_model("images", "Image")
    Article = apps.get_model("articles", "Article")
    story, again, bare, lost = (
        Article.objects.get(pk=row.pk) for row in (story, again, bare, lost)
    )
    image = Image.objects.get(pk=story.hero_id)
    assert (image.file.name, image.width, image.height) == (hero, 1600, 900)
    assert image.alt == "Boats in a harbour at dusk"
    assert (image.caption, image.credit) == ("The harbour in episode two.", "Photo: Ines Duarte")
    assert image.title == "The harbour story"
    assert again.hero_id == story.hero_id  # one file, one library image
    assert bare.hero_id is None
    whole = [r for r in image.renditions if not r.get("ratio")]
    assert whole == hero_renditions  # the renditions already made are kept...
    ratios = {r["ratio"] for r in image.renditions if r.get("ratio")}
    assert ratios == {"16:9", "4:3", "1:1"}  # ...and crops are made around the middle
    for rendition in image.renditions:
        assert default_storage.exists(rendition["name"])

    poster_image = Image.objects.get(pk=apps.get_model("shows", "Show").objects.get().poster_id)
    assert (poster_image.file.name, poster_image.alt, poster_image.credit) == (
        poster, "Harbour Lights key art: a lighthouse", "Illustration: Newsroom",
    )  # fmt: skip
    person = apps.get_model("people", "Person").objects.get(pk=person.pk)
    writer = apps.get_model("people", "Writer").objects.get(pk=writer.pk)
    assert Image.objects.get(pk=person.photo_id).alt == "Ana Vidal, smiling"
    assert Image.objects.get(pk=writer.photo_id).alt == "Sam Ortiz"
    assert Image.objects.get(pk=writer.photo_id).file.name == photo
    for name in (hero, poster, photo):
        assert default_storage.exists(name)  # no file was moved or deleted
    # A row naming a file that is gone still reaches the library, with its alt text; it
    # has no renditions until the file is put back and the image saved again.
    gone = Image.objects.get(pk=lost.hero_id)
    assert (gone.file.name, gone.alt) == ("articles/2020/01/gone.png", "A still that was lost")
    assert gone.renditions == []


def test_a_rollback_gives_every_row_its_own_picture_fields_back(old_schema):
    hero, renditions = stored_picture("articles/2026/02/pier.png")
    Article = old_schema.get_model("articles", "Article")
    Article.objects.create(
        kind="news", title="Pier", slug="pier", body="Words.", hero_image=hero,
        hero_width=1600, hero_height=900, hero_renditions=renditions,
        hero_alt="A pier in the rain", hero_caption="Filmed in May.", hero_credit="Photo: HBO",
    )  # fmt: skip
    migrate(AFTER)

    apps = migrate(BEFORE)

    story = apps.get_model("articles", "Article").objects.get(slug="pier")
    assert (story.hero_image.name, story.hero_width, story.hero_height) == (hero, 1600, 900)
    assert (story.hero_alt, story.hero_caption, story.hero_credit) == (
        "A pier in the rain", "Filmed in May.", "Photo: HBO",
    )  # fmt: skip
    assert story.hero_renditions == renditions
