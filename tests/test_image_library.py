"""The image library: a picture uploaded once with its alt text, caption, credit and focal
point, cropped at 16:9, 4:3 and 1:1 around that point, and managed in the admin."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from PIL import Image as Picture
from PIL import ImageDraw

from images.models import Image
from images.renditions import best, crop_box

from .factories import EditorFactory, WriterUserFactory
from .test_images import log_of

pytestmark = pytest.mark.django_db

RED = (220, 20, 30)


def picture_with_a_dot(size, at, fmt="PNG"):
    """A grey picture with a red dot (a face, say) at ``at``, as fractions of its size."""
    picture = Picture.new("RGB", size, (128, 128, 128))
    x, y = round(at[0] * size[0]), round(at[1] * size[1])
    ImageDraw.Draw(picture).ellipse((x - 40, y - 40, x + 40, y + 40), fill=RED)
    out = io.BytesIO()
    picture.save(out, fmt)
    return out.getvalue()


def library_image(size=(1280, 720), focal=(0.5, 0.5), dot=None, **fields):
    """A library image whose red dot is at ``dot`` (by default, at its focal point)."""
    image = Image(
        title="Harbour at dusk", alt="A harbour at dusk", focal_x=focal[0], focal_y=focal[1],
        **fields,
    )  # fmt: skip
    picture = picture_with_a_dot(size, dot or focal)
    image.file.save("harbour.png", ContentFile(picture), save=True)
    return image


def opened(rendition):
    with default_storage.open(rendition["name"]) as f, Picture.open(f) as picture:
        picture.load()
        return picture


def red_at(picture, x, y):
    red, green, blue = picture.convert("RGB").getpixel((x, y))
    return red > 180 and green < 90 and blue < 90


# Crops around the focal point ---------------------------------------------------------


@pytest.mark.parametrize(
    "size, ratio, focal, box",
    [
        ((2000, 1000), (1, 1), (0.5, 0.5), (500, 0, 1500, 1000)),  # centred
        ((2000, 1000), (1, 1), (0.9, 0.5), (1000, 0, 2000, 1000)),  # held at the edge
        ((2000, 1000), (4, 3), (0.3, 0.5), (0, 0, 1333, 1000)),
        ((2000, 1000), (16, 9), (0.7, 0.2), (223, 0, 2000, 1000)),
        ((1000, 2000), (16, 9), (0.5, 0.1), (0, 0, 1000, 562)),  # a portrait, face at top
        ((1000, 2000), (4, 3), (0.5, 0.6), (0, 825, 1000, 1575)),
        ((900, 900), (1, 1), (0.0, 1.0), (0, 0, 900, 900)),  # the whole of a square
        ((900, 900), (16, 9), (0.5, 0.5), (0, 197, 900, 703)),  # just wide enough
        ((1000, 1), (1, 1), (0.5, 0.5), (500, 0, 501, 1)),  # a hairline: one pixel
        ((1, 1000), (16, 9), (0.5, 0.5), (0, 500, 1, 501)),
    ],
)
def test_a_crop_is_the_largest_box_of_its_ratio_centred_on_the_focal_point(size, ratio, focal, box):
    assert crop_box(size, ratio, focal) == box


def test_every_crop_keeps_the_focal_point_in_view():
    image = library_image(size=(1600, 800), focal=(0.85, 0.3))
    crops = [r for r in image.renditions if r.get("ratio") and r["format"] == "jpg"]
    assert {r["ratio"] for r in crops} == {"16:9", "4:3", "1:1"}
    for rendition in crops:
        picture = opened(rendition)
        across, down = {"16:9": (16, 9), "4:3": (4, 3), "1:1": (1, 1)}[rendition["ratio"]]
        left, top, right, bottom = crop_box((1600, 800), (across, down), (0.85, 0.3))
        scale = picture.width / (right - left)
        x = round((0.85 * 1600 - left) * scale)
        y = round((0.3 * 800 - top) * scale)
        assert red_at(picture, min(x, picture.width - 1), y), rendition["name"]
        assert abs(picture.width / picture.height - across / down) < 0.01


def test_crops_are_made_once_in_webp_and_jpeg_up_to_1200_pixels_wide():
    image = library_image(size=(2400, 1200))
    crops = {(r["ratio"], r["width"], r["format"]) for r in image.renditions if r.get("ratio")}
    assert crops == {
        (ratio, width, ext)
        for ratio in ("16:9", "4:3", "1:1")
        for width in (480, 960, 1200)
        for ext in ("webp", "jpg")
    }
    whole = {r["width"] for r in image.renditions if not r.get("ratio")}
    assert whole == {480, 960, 1600, 2400}
    for rendition in image.renditions:
        assert default_storage.exists(rendition["name"])
    assert image.rendition("16:9", 1200)["height"] == 675
    assert image.rendition("16:9", 1200)["name"].endswith(".jpg")
    assert image.rendition("16:9", 1200, "webp")["name"].endswith(".webp")
    assert image.rendition("1:1", 500)["width"] == 960  # the smallest wide enough
    assert image.rendition("1:1", 960)["width"] == 960
    assert image.rendition("1:1", 5000)["width"] == 1200  # else the widest
    assert Image(renditions=[]).rendition("1:1", 480) is None
    stem = image.file.name.rsplit(".", 1)[0]
    for rendition in image.renditions:  # beside the original, named for what they are
        ratio = rendition.get("ratio", "").replace(":", "x")
        assert rendition["name"].startswith(f"{stem}-{ratio}-" if ratio else f"{stem}-")


def test_srcset_lists_the_whole_picture_or_one_ratio_of_crops():
    from images.renditions import srcset

    image = library_image(size=(1280, 720))
    whole = srcset(image.renditions, "jpg")
    assert [item.rsplit(" ", 1)[1] for item in whole.split(", ")] == ["480w", "960w", "1280w"]
    assert "16x9" not in whole and "1x1" not in whole
    square = srcset(image.renditions, "webp", "1:1")
    assert [item.rsplit(" ", 1)[1] for item in square.split(", ")] == ["480w", "720w"]
    assert all("-1x1-" in item and ".webp " in item for item in square.split(", "))


def test_a_small_picture_is_cropped_without_being_enlarged():
    image = library_image(size=(640, 480))
    widths = {r["ratio"]: r["width"] for r in image.renditions if r.get("ratio")}
    assert widths == {"16:9": 640, "4:3": 640, "1:1": 480}


def test_moving_the_focal_point_makes_new_crops_and_removes_the_old(
    django_capture_on_commit_callbacks,
):
    image = library_image(size=(1600, 800), focal=(0.1, 0.5), dot=(0.9, 0.5))
    old_crops = [r["name"] for r in image.renditions if r.get("ratio")]
    whole = [r for r in image.renditions if not r.get("ratio")]
    square = opened(image.rendition("1:1", 800))  # the left half: no dot
    assert not any(red_at(square, x, 400) for x in range(0, 800, 20))
    image.focal_x = 0.9
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    image.refresh_from_db()
    square = opened(image.rendition("1:1", 800))  # the right half: the dot, 1,440 px in
    assert red_at(square, 640, 400)
    assert [r for r in image.renditions if not r.get("ratio")] == whole  # kept as they were
    stem = image.file.name.rsplit(".", 1)[0]
    for crop in (r for r in image.renditions if r.get("ratio")):
        assert crop["name"].startswith(f"{stem}-{crop['ratio'].replace(':', 'x')}-")
        assert crop["focal"] == [0.9, 0.5]
    assert not any(default_storage.exists(name) for name in old_crops)
    assert all(default_storage.exists(r["name"]) for r in image.renditions)


def test_saving_without_moving_the_focal_point_makes_nothing_again():
    before = list(library_image().renditions)
    image = Image.objects.get()
    image.caption = "Late light over the water."
    image.save()
    image.refresh_from_db()
    assert image.renditions == before


def test_a_picture_put_in_from_the_shell_is_cropped_when_saved():
    stored = library_image()
    bare = Image.objects.create(
        title="Imported", alt="An import", file=stored.file.name, width=1280, height=720
    )
    assert {r["ratio"] for r in bare.renditions} == {"16:9", "4:3", "1:1"}


def test_a_failure_halfway_through_cropping_again_leaves_the_old_crops(monkeypatch):
    from .test_images import disk_full_at, stored_files

    image = Image.objects.get(pk=library_image(focal=(0.2, 0.5)).pk)
    before, renditions = stored_files(), list(image.renditions)
    disk_full_at(monkeypatch, 3)
    image.focal_x = 0.8
    with pytest.raises(OSError):
        image.save()
    assert stored_files() == before
    image.refresh_from_db()
    assert image.renditions == renditions and image.focal_x == 0.2


def test_a_focal_point_off_the_picture_is_refused_by_the_database():
    image = library_image()
    with pytest.raises(IntegrityError):
        Image.objects.filter(pk=image.pk).update(focal_x=1.5)


def test_a_change_to_a_library_image_is_on_every_page_at_once(
    django_capture_on_commit_callbacks,
):
    from newsroom import freshness

    with django_capture_on_commit_callbacks(execute=True):
        image = library_image()
    before = freshness.current()
    shows_before = before["shows"]
    with django_capture_on_commit_callbacks(execute=True):
        Image.objects.filter(pk=image.pk).update(alt="A harbour at night")
    after = freshness.current()
    assert after["generation"] != before["generation"]
    assert after["shows"] != shows_before  # a show's poster may be this picture


# In the admin -------------------------------------------------------------------------


@pytest.fixture
def desk(client):
    client.force_login(EditorFactory(username="picture-editor"))
    return client


def test_an_editor_uploads_a_picture_to_the_library(desk):
    upload = SimpleUploadedFile("still.png", picture_with_a_dot((1600, 900), (0.5, 0.5)))
    response = desk.post(
        reverse("admin:images_image_add"),
        {
            "file": upload, "title": "A still", "alt": "Two detectives on a pier",
            "caption": "", "credit": "Illustration: Newsroom", "focal_x": "0.5", "focal_y": "0.5",
        },
    )  # fmt: skip
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height, image.credit) == (1600, 900, "Illustration: Newsroom")
    assert image.rendition("16:9", 1200)["width"] == 1200
    listing = desk.get(reverse("admin:images_image_changelist"), {"q": "detectives"}).text
    assert "Two detectives on a pier" in listing and 'class="library-thumbnail"' in listing


def test_a_bad_upload_to_the_library_is_a_clear_form_error(desk):
    response = desk.post(
        reverse("admin:images_image_add"),
        {
            "file": SimpleUploadedFile("still.jpg", b"not a picture"), "title": "A still",
            "alt": "Two detectives", "caption": "", "credit": "", "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "This file is not an image we can read." in response.text
    assert not Image.objects.exists()


def test_the_focal_point_is_set_on_the_picture_and_moves_the_crops(desk):
    image = library_image(focal=(0.5, 0.5), dot=(0.95, 0.5))  # 1280 × 720
    url = reverse("admin:images_image_change", args=[image.pk])
    form = desk.get(url).text
    assert 'class="focal-picker" data-x="0.5" data-y="0.5"' in form
    assert "newsroom-images.js" in form
    response = desk.post(
        url,
        {
            "title": image.title, "alt": image.alt, "caption": "", "credit": "",
            "focal_x": "0.95", "focal_y": "0.5",
        },
    )  # fmt: skip
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.focal_point == (0.95, 0.5)
    square = opened(image.rendition("1:1", 720))  # the right edge: the dot, 1,216 px in
    assert square.width == 720 and red_at(square, 1216 - 560, 360)


def test_a_focal_point_off_the_picture_is_a_form_error(desk):
    image = library_image()
    response = desk.post(
        reverse("admin:images_image_change", args=[image.pk]),
        {"title": image.title, "alt": image.alt, "focal_x": "1.4", "focal_y": "-0.2"},
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 1.0." in response.text
    assert "Ensure this value is greater than or equal to 0.0." in response.text


def test_writers_add_and_edit_pictures_but_only_editors_delete_them(client):
    image = library_image()
    client.force_login(WriterUserFactory(username="picture-writer"))
    assert client.get(reverse("admin:images_image_add")).status_code == 200
    assert client.get(reverse("admin:images_image_change", args=[image.pk])).status_code == 200
    assert client.get(reverse("admin:images_image_delete", args=[image.pk])).status_code == 403
    client.force_login(EditorFactory(username="picture-editor-2"))
    assert client.get(reverse("admin:images_image_delete", args=[image.pk])).status_code == 200


def test_a_writer_finds_a_picture_for_a_story_by_typing_part_of_its_title(client):
    library_image()  # "Harbour at dusk"
    Image.objects.create(title="Lighthouse", alt="A lighthouse")
    client.force_login(WriterUserFactory(username="chooser"))
    form = client.get(reverse("admin:articles_newsstory_add")).text
    assert 'name="hero"' in form and "admin-autocomplete" in form  # a search box, not a list
    assert reverse("admin:images_image_add") in form  # "+" adds one without leaving
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": "harb", "app_label": "articles", "model_name": "article", "field_name": "hero"},
    ).json()
    assert [result["text"] for result in found["results"]] == ["Harbour at dusk"]


def test_the_story_form_shows_the_chosen_picture(editor_client):
    from .factories import ArticleFactory

    story = ArticleFactory(hero=library_image())
    page = editor_client.get(reverse("admin:articles_newsstory_change", args=[story.pk])).text
    thumbnail = default_storage.url(best(story.hero.renditions, 320, "16:9")["name"])
    assert f'<img class="library-chosen" src="{thumbnail}" alt="" width="160" height="90">' in page
    assert "Harbour at dusk" in page


def test_a_picture_in_use_cannot_be_deleted_and_the_page_says_where(client):
    from .factories import ArticleFactory

    image = library_image()
    ArticleFactory(title="The harbour story", hero=image)
    client.force_login(EditorFactory(username="deleting-editor"))
    url = reverse("admin:images_image_delete", args=[image.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "would require deleting the following protected related objects" in page.text
    assert "The harbour story" in page.text
    assert client.post(url, {"post": "yes"}).status_code == 200  # refused, not a 500
    assert Image.objects.filter(pk=image.pk).exists()


# Cards for pages with no picture of their own ------------------------------------------


@pytest.mark.parametrize(
    "title",
    ["Will there be a season 2? " * 12, "日本のドラマ 💀 \u202eevil\u202c", "Word\x0bpaste", ""],
)
def test_a_card_is_drawn_for_any_headline(title):
    from images.cards import site_card

    card = site_card(title, "News")
    name = card["url"].split("/media/", 1)[1]
    with default_storage.open(name) as f, Picture.open(f) as picture:
        assert (picture.format, picture.size) == ("JPEG", (1200, 630))
    assert (card["width"], card["height"]) == (1200, 630)
    assert site_card(title, "News") == card  # the same card, not drawn again


def test_a_card_that_cannot_be_drawn_leaves_the_page_without_one(client, monkeypatch):
    from images import cards

    from .factories import ArticleFactory

    def broken(title, kicker):
        raise OSError("disk full")

    monkeypatch.setattr(cards, "_draw", broken)
    story = ArticleFactory(title="A story with no picture")
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    assert 'property="og:image"' not in page.text
    assert '<meta name="twitter:card" content="summary">' in page.text


def test_what_strangers_search_for_never_draws_a_card(client, monkeypatch):
    import re

    from images import cards

    client.get(reverse("search"), {"q": "first"})  # the site's card, drawn once
    drawn, real_draw = [], cards._draw
    monkeypatch.setattr(cards, "_draw", lambda *args: drawn.append(args) or real_draw(*args))
    shared = set()
    for word in ("zebra", "quokka", "marzipan"):
        page = client.get(reverse("search"), {"q": word}).text
        shared.add(re.search(r'property="og:image" content="([^"]+)"', page).group(1))
    assert drawn == [] and len(shared) == 1


def test_a_picture_is_shared_as_its_16_9_crop_else_its_jpeg_nearest_1200_px_else_the_file():
    from images.cards import shared_image

    image = library_image(size=(2400, 1200))
    crop = best(image.renditions, 1200, "16:9")
    assert crop["name"].endswith("-16x9-1200w.jpg")
    assert shared_image(image) == {
        "name": crop["name"], "url": default_storage.url(crop["name"]),
        "width": 1200, "height": 675, "alt": "A harbour at dusk",
    }  # fmt: skip
    image.renditions = [r for r in image.renditions if not r.get("ratio")]  # not cropped yet
    whole = best(image.renditions, 1200)
    assert whole["name"].endswith("-1600w.jpg")  # JPEG, the nearest at least 1,200 px
    assert (shared_image(image)["name"], shared_image(image)["width"]) == (whole["name"], 1600)
    image.renditions = []  # none made at all
    assert shared_image(image) == {
        "name": image.file.name, "url": image.file.url, "width": 2400, "height": 1200,
        "alt": "A harbour at dusk",
    }  # fmt: skip
    assert shared_image(None) is None


def test_a_picture_stored_from_the_shell_without_its_file_or_size_still_gives_a_page(client):
    from .factories import ArticleFactory

    lost = Image.objects.create(title="Lost", alt="A lost still", file="images/2020/01/gone.png")
    story = ArticleFactory(hero=lost)
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    img = re.search(r'<img src="/media/images/2020/01/gone\.png"[^>]*>', page.text).group()
    assert 'alt="A lost still"' in img and "None" not in img  # no size it does not know


def test_an_editor_fixes_the_alt_text_of_a_picture_whose_file_is_gone(client):
    lost = Image.objects.create(title="Lost", alt="Old words", file="images/2020/01/gone.png")
    client.force_login(EditorFactory(username="fixing-editor"))
    with log_of("images.models") as log:
        response = client.post(
            reverse("admin:images_image_change", args=[lost.pk]),
            {"title": "Lost", "alt": "A still from episode two", "focal_x": "0.3",
             "focal_y": "0.5"},
        )  # fmt: skip
    assert response.status_code == 302  # saved, not an error page
    assert log == ["images/2020/01/gone.png is missing: it was not cropped."]
    lost.refresh_from_db()
    assert (lost.alt, lost.focal_x, lost.renditions) == ("A still from episode two", 0.3, [])
