"""Image uploads: checked by content, cleaned of metadata, resized once, served with srcset."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from people.images import check_image

from .factories import ArticleFactory, SeasonFactory, WriterFactory

pytestmark = pytest.mark.django_db


def image_bytes(size=(64, 48), fmt="PNG", **save_options):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(out, format=fmt, **save_options)
    return out.getvalue()


def png_header_only(width, height):
    """A tiny PNG file that claims to be width × height: a decompression bomb's shape."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_with_location(size=(40, 20), orientation=6):
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: the camera was turned
    exif[0x010F] = "Camera Maker"
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS
    return image_bytes(size, "JPEG", exif=exif.tobytes())


def refusal(data, name="upload.png"):
    with pytest.raises(ValidationError) as error:
        check_image(SimpleUploadedFile(name, data))
    return " ".join(error.value.messages)


# Checks -------------------------------------------------------------------------------


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    assert "too large" in refusal(png_header_only(30_000, 30_000))


def test_an_image_over_the_pixel_limit_is_refused_with_its_size():
    message = refusal(png_header_only(8_000, 6_000))
    assert "8000 × 6000 pixels" in message and "40 million pixels" in message


def test_a_file_that_is_not_an_image_renamed_jpg_is_refused():
    assert "not an image we can read" in refusal(b"%PDF-1.7 definitely a document", "photo.jpg")


def test_an_image_of_another_kind_is_refused_by_content_not_name():
    assert "not a JPEG, PNG or WebP" in refusal(image_bytes(fmt="GIF"), "photo.jpg")


def test_an_oversized_file_is_refused_with_the_limit(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    message = refusal(image_bytes((300, 300), "BMP") + b"\0" * 2000)
    assert "images can be up to 1000" in message


def test_a_damaged_image_is_refused():
    assert "damaged" in refusal(image_bytes((200, 200), "JPEG")[:300], "cut.jpg")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted(fmt):
    check_image(SimpleUploadedFile("ok", image_bytes(fmt=fmt)))


# Cleaning and renditions -------------------------------------------------------------


def test_exif_and_location_are_removed_and_the_image_turned_upright():
    article = ArticleFactory(hero_alt="A red rectangle")
    article.hero_image.save("holiday.jpg", ContentFile(jpeg_with_location()), save=True)
    with default_storage.open(article.hero_image.name) as stored, Image.open(stored) as image:
        assert not image.getexif()  # no camera, no GPS, no orientation left
        assert image.size == (20, 40)  # the orientation was applied to the pixels
    assert (article.hero_width, article.hero_height) == (20, 40)


def test_renditions_are_made_once_on_upload_in_webp_and_jpeg():
    article = ArticleFactory(hero_alt="Wide")
    article.hero_image.save("wide.png", ContentFile(image_bytes((2000, 1000))), save=True)
    made = {(r["width"], r["format"]) for r in article.hero_renditions}
    assert made == {(w, f) for w in (480, 960, 1600, 2000) for f in ("webp", "jpg")}
    for rendition in article.hero_renditions:
        assert default_storage.exists(rendition["name"])
        with default_storage.open(rendition["name"]) as f, Image.open(f) as image:
            assert image.size == (rendition["width"], rendition["height"])
    before = list(article.hero_renditions)
    article.title = "Edited"
    article.save()
    assert article.hero_renditions == before  # not made again on an ordinary save


def test_a_small_image_gets_no_upscaled_renditions():
    article = ArticleFactory(hero_alt="Small")
    article.hero_image.save("small.png", ContentFile(image_bytes((300, 200))), save=True)
    assert {r["width"] for r in article.hero_renditions} == {300}


def test_the_story_page_serves_the_renditions_with_srcset_and_size(client):
    article = ArticleFactory(hero_alt="A red rectangle")
    article.hero_image.save("wide.png", ContentFile(image_bytes((2000, 1000))), save=True)
    page = client.get(article.get_absolute_url()).text
    assert 'type="image/webp"' in page
    assert "-480w.webp 480w" in page and "-960w.jpg 960w" in page
    assert 'sizes="(min-width: 44rem) 42rem, 100vw"' in page
    assert 'width="2000" height="1000"' in page


# Through the editors' form -----------------------------------------------------------


def review_post(season, writer, upload, **extra):
    return {
        "title": "With a picture",
        "slug": "with-a-picture",
        "body": "The text the editor typed.",
        "show": season.show_id,
        "season": season.pk,
        "hero_image": upload,
        "hero_alt": "A still",
        "tags": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "1",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-writer": writer.pk,
        "bylines-0-position": "0",
        **extra,
    }


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (png_header_only(30_000, 30_000), "bomb.png", "too large"),
        (b"not really a picture", "still.jpg", "not an image we can read"),
        (image_bytes(fmt="GIF"), "still.gif", "not a JPEG, PNG or WebP"),
    ],
)
def test_a_bad_upload_is_a_clear_form_error_and_keeps_the_text(editor_client, data, name, message):
    season, writer = SeasonFactory(), WriterFactory()
    upload = SimpleUploadedFile(name, data)
    response = editor_client.post(
        reverse("admin:articles_review_add"), review_post(season, writer, upload)
    )
    assert response.status_code == 200
    assert message in response.text
    assert "The text the editor typed." in response.text


def test_an_upload_through_the_form_is_cleaned_and_resized(editor_client):
    season, writer = SeasonFactory(), WriterFactory()
    upload = SimpleUploadedFile("holiday.jpg", jpeg_with_location((1200, 800), orientation=1))
    response = editor_client.post(
        reverse("admin:articles_review_add"), review_post(season, writer, upload)
    )
    assert response.status_code == 302
    from articles.models import Article

    article = Article.objects.get(slug="with-a-picture")
    with default_storage.open(article.hero_image.name) as stored, Image.open(stored) as image:
        assert not image.getexif()
    assert {r["width"] for r in article.hero_renditions} == {480, 960, 1200}
