"""Image uploads: checked by content, cleaned of metadata, resized once, served with srcset."""

import contextlib
import io
import itertools
import logging
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from images.checks import check_image
from images.models import Image as LibraryImage

from .factories import ArticleFactory

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


DAMAGED = "This image is damaged or incomplete. Export it again and re-upload it."
NOT_AN_IMAGE = "This file is not an image we can read. Upload a JPEG, PNG or WebP image."


def refusal(data, name="upload.png", *, code):
    """The message an editor is shown for ``data``, with the code forms and imports see."""
    with pytest.raises(ValidationError) as error:
        check_image(SimpleUploadedFile(name, data))
    assert error.value.code == code
    return " ".join(error.value.messages)


def new_picture(alt):
    """A library image not stored yet: storing its file stores it."""
    return LibraryImage(title=alt, alt=alt)


def whole(picture):
    """The renditions of the whole picture (not its crops)."""
    return [r for r in picture.renditions if not r.get("ratio")]


# Checks -------------------------------------------------------------------------------


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # Beyond Pillow's own limit, opening it is refused before its size is even read.
    assert refusal(png_header_only(30_000, 30_000), code="too_many_pixels") == (
        "This image is too large; images can have up to 40 million pixels."
    )


def test_a_picture_pillow_warns_about_is_refused_as_too_large_not_an_error_page():
    # 100 million pixels: past Pillow's warning (89 million), short of its error.
    assert refusal(png_header_only(10_000, 10_000), code="too_many_pixels") == (
        "This image is too large; images can have up to 40 million pixels."
    )


def test_an_image_over_the_pixel_limit_is_refused_with_its_size():
    assert refusal(png_header_only(8_000, 6_000), code="too_many_pixels") == (
        "This image is too large (8000 × 6000 pixels); images can have up to 40 million pixels."
    )


def test_the_pixel_limit_itself_is_allowed():
    # 40,000,000 pixels exactly pass the header checks (this header-only file is then
    # found to have no pixels); one row more does not.
    assert refusal(png_header_only(8_000, 5_000), code="damaged") == DAMAGED
    assert refusal(png_header_only(8_000, 5_001), code="too_many_pixels") == (
        "This image is too large (8000 × 5001 pixels); images can have up to 40 million pixels."
    )


@pytest.mark.parametrize("width, height", [(16_384, 1), (1, 16_384)])
def test_a_side_over_16383_pixels_is_refused_and_16383_is_allowed(width, height):
    assert refusal(png_header_only(width, height), code="too_long_a_side") == (
        f"This image is {width} × {height} pixels; images can be at most 16,383 pixels on "
        "each side. Export a smaller copy, or split a long graphic in two."
    )
    allowed = (min(width, 16_383), min(height, 16_383))
    clean = check_image(SimpleUploadedFile("line.png", image_bytes(allowed)))
    assert (clean.width, clean.height) == allowed


def test_a_file_that_is_not_an_image_renamed_jpg_is_refused():
    assert refusal(b"%PDF-1.7 definitely a document", "photo.jpg", code="not_image") == (
        NOT_AN_IMAGE
    )


def test_an_image_of_another_kind_is_refused_by_content_not_name():
    assert refusal(image_bytes(fmt="GIF"), "photo.jpg", code="format") == (
        "This is a GIF image, not a JPEG, PNG or WebP one."
    )


def test_an_oversized_file_is_refused_with_the_limit_and_the_limit_itself_is_allowed(settings):
    data = image_bytes((300, 300))
    settings.IMAGE_UPLOAD_MAX_BYTES = len(data)
    assert check_image(SimpleUploadedFile("chart.png", data)).width == 300
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    assert refusal(image_bytes((300, 300), "BMP"), code="too_large") == (
        "This file is 263.7\xa0KB; images can be up to 1000\xa0bytes. "
        "Export a smaller copy and try again."
    )


def test_a_damaged_image_is_refused():
    assert refusal(image_bytes((200, 200), "JPEG")[:300], "cut.jpg", code="damaged") == DAMAGED


def test_a_photo_with_damaged_camera_data_is_accepted_and_the_data_dropped():
    """Pillow only warns about a broken EXIF tag: the photo is fine, and is taken."""
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker" * 10
    exif[0x0112] = 1
    broken = bytearray(exif.tobytes())
    tag = broken.index(b"\x01\x0f\x00\x02")  # Make, ASCII: claim 5,000 bytes of text
    struct.pack_into(">I", broken, tag + 4, 5000)
    photo = image_bytes((40, 20), "JPEG", exif=bytes(broken))
    with pytest.warns(UserWarning, match="Tag data larger than file"):
        clean = check_image(SimpleUploadedFile("phone.jpg", photo))
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.size == (40, 20) and not image.getexif()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted(fmt):
    check_image(SimpleUploadedFile("ok", image_bytes(fmt=fmt)))


# Cleaning and renditions -------------------------------------------------------------


def test_exif_and_location_are_removed_and_the_image_turned_upright():
    picture = new_picture("A red rectangle")
    picture.file.save("holiday.jpg", ContentFile(jpeg_with_location()), save=True)
    with default_storage.open(picture.file.name) as stored, Image.open(stored) as image:
        assert not image.getexif()  # no camera, no GPS, no orientation left
        assert image.size == (20, 40)  # the orientation was applied to the pixels
    assert (picture.width, picture.height) == (20, 40)


def test_the_stored_file_keeps_the_uploaded_name_with_the_extension_of_its_content():
    picture = new_picture("A still")
    picture.file.save("Episode 3 still.JPG", ContentFile(image_bytes(fmt="PNG")))
    assert re.fullmatch(r"images/\d{4}/\d{2}/Episode_3_still(_\w+)?\.png", picture.file.name)


def test_a_photo_keeps_its_detail_stored_at_quality_90():
    picture = new_picture("Noise")
    picture.file.save("noise.jpg", ContentFile(noisy_jpeg((64, 48))), save=True)
    at_90 = io.BytesIO()
    Image.new("RGB", (64, 48)).save(at_90, "JPEG", quality=90)
    with default_storage.open(picture.file.name) as f, Image.open(f) as image:
        assert image.quantization == Image.open(at_90).quantization


def test_replacing_a_picture_updates_its_size():
    picture = new_picture("First")
    picture.file.save("first.png", ContentFile(image_bytes((300, 200))), save=True)
    picture.file.save("second.png", ContentFile(image_bytes((120, 90))), save=True)
    picture.refresh_from_db()
    assert (picture.width, picture.height) == (120, 90)
    assert {(r["width"], r["height"]) for r in whole(picture)} == {(120, 90)}


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_xmp_metadata_is_removed(fmt):
    from PIL import PngImagePlugin

    xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>Shot at home</rdf:RDF></x:xmpmeta>'
    out = io.BytesIO()
    if fmt == "PNG":
        chunks = PngImagePlugin.PngInfo()
        chunks.add_itxt("XML:com.adobe.xmp", xmp)
        Image.new("RGB", (40, 30), "red").save(out, fmt, pnginfo=chunks)
    else:
        Image.new("RGB", (40, 30), "red").save(out, fmt, xmp=xmp.encode())
    assert b"Shot at home" in out.getvalue()
    clean = check_image(SimpleUploadedFile("shot", out.getvalue()))
    assert b"Shot at home" not in clean.data and b"xmpmeta" not in clean.data


def test_a_very_wide_image_gets_renditions_no_wider_than_the_largest_needed(settings):
    picture = new_picture("Panorama")
    picture.file.save("wide.png", ContentFile(image_bytes((5000, 500))), save=True)
    assert max(r["width"] for r in whole(picture)) == settings.IMAGE_RENDITION_MAX_WIDTH


def test_renditions_are_made_once_on_upload_in_webp_and_jpeg():
    picture = new_picture("Wide")
    picture.file.save("wide.png", ContentFile(image_bytes((2000, 1000))), save=True)
    made = {(r["width"], r["format"]) for r in whole(picture)}
    assert made == {(w, f) for w in (480, 960, 1600, 2000) for f in ("webp", "jpg")}
    for rendition in whole(picture):
        assert default_storage.exists(rendition["name"])
        with default_storage.open(rendition["name"]) as f, Image.open(f) as image:
            assert image.size == (rendition["width"], rendition["height"])
    before = list(whole(picture))
    picture.title = "Edited"
    picture.save()
    assert whole(picture) == before  # not made again on an ordinary save


def test_a_small_image_gets_no_upscaled_renditions():
    picture = new_picture("Small")
    picture.file.save("small.png", ContentFile(image_bytes((300, 200))), save=True)
    assert {r["width"] for r in whole(picture)} == {300}


def test_the_story_page_serves_its_hero_cropped_to_16_9_with_srcset_and_size(client):
    picture = new_picture("A red rectangle")
    picture.file.save("wide.png", ContentFile(image_bytes((2000, 1000))), save=True)
    story = ArticleFactory(hero=picture)
    page = client.get(story.get_absolute_url()).text
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)"', page).group(1)
    jpeg = re.search(r'<img src="([^"]+)" srcset="([^"]+)"', page)
    for listed, ext in ((webp, "webp"), (jpeg.group(2), "jpg")):
        made = [r for r in picture.renditions if r["format"] == ext and r.get("ratio") == "16:9"]
        assert listed == ", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in made)
        assert [int(item.rsplit(" ", 1)[1][:-1]) for item in listed.split(", ")] == [480, 960, 1200]
    assert "-16x9-480w.webp 480w" in webp and jpeg.group(1).endswith("-16x9-960w.jpg")
    assert (
        'sizes="(min-width: 70rem) 68rem, (min-width: 64rem) 96vw, (min-width: 44rem) 42rem, 100vw"'
        in page
    )
    assert 'width="960" height="540" fetchpriority="high"' in page  # the 16:9 box, first


# Through the editors' form -----------------------------------------------------------


def library_post(upload, **extra):
    """What the image library's form sends: the file and what the editor typed."""
    return {
        "title": "With a picture",
        "file": upload,
        "alt": "A still",
        "caption": "The text the editor typed.",
        "credit": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
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
    upload = SimpleUploadedFile(name, data)
    response = editor_client.post(reverse("admin:images_image_add"), library_post(upload))
    assert response.status_code == 200
    assert message in response.text
    assert "The text the editor typed." in response.text


def test_an_upload_through_the_form_is_decoded_once(editor_client, monkeypatch):
    from images import checks

    cleaned = []
    real_clean = checks._clean
    monkeypatch.setattr(checks, "_clean", lambda image: cleaned.append(1) or real_clean(image))
    upload = SimpleUploadedFile("still.png", image_bytes((600, 400)))
    response = editor_client.post(reverse("admin:images_image_add"), library_post(upload))
    assert response.status_code == 302
    assert cleaned == [1]  # checked by the form; the copy it cleaned is the one stored


def test_an_upload_through_the_form_is_cleaned_and_resized(editor_client):
    upload = SimpleUploadedFile("holiday.jpg", jpeg_with_location((1200, 800), orientation=1))
    response = editor_client.post(reverse("admin:images_image_add"), library_post(upload))
    assert response.status_code == 302
    picture = LibraryImage.objects.get(title="With a picture")
    with default_storage.open(picture.file.name) as stored, Image.open(stored) as image:
        assert not image.getexif()
    assert {r["width"] for r in whole(picture)} == {480, 960, 1200}


# Every bad upload gets an answer ------------------------------------------------------


def noisy_jpeg(size=(900, 600)):
    out = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def png_with_short_image_data(width=400, height=400):
    """A well-formed PNG (every checksum right, IEND present) whose compressed pixel data
    stops early: what libpng calls "not enough image data"."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes(range(256)) * (width * 3 // 256 + 1) for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows)[:500])
        + chunk(b"IEND", b"")
    )


def tiny_jpeg_claiming(width, height):
    """A real 8 × 8 JPEG whose header is edited to claim another size: 600-odd bytes."""
    data = bytearray(image_bytes((8, 8), "JPEG"))
    frame = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, frame + 5, height, width)
    return bytes(data)


def mpo_bytes():
    """A phone's multi-picture JPEG: two frames, as some cameras and phones save."""
    out = io.BytesIO()
    first = Image.new("RGB", (120, 80), (10, 120, 200))
    first.save(out, "MPO", save_all=True, append_images=[Image.new("RGB", (120, 80), "white")])
    return out.getvalue()


def icc_tag_xyz(x, y, z):
    return b"XYZ " + bytes(4) + b"".join(struct.pack(">i", round(v * 65536)) for v in (x, y, z))


def display_p3_profile():
    """A minimal ICC v2 matrix profile with the Display P3 primaries, written here."""
    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, round(2.2 * 256)) + bytes(2)
    name = b"Display P3 (test)\x00"
    tags = [
        (b"desc", b"desc" + bytes(4) + struct.pack(">I", len(name)) + name + bytes(79)),
        (b"cprt", b"text" + bytes(4) + b"Test data\x00"),
        (b"wtpt", icc_tag_xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", icc_tag_xyz(0.5151, 0.2412, -0.0011)),
        (b"gXYZ", icc_tag_xyz(0.2920, 0.6922, 0.0419)),
        (b"bXYZ", icc_tag_xyz(0.1571, 0.0666, 0.7841)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    return icc_profile(b"mntr", b"RGB ", b"XYZ ", tags)


def icc_profile(device_class, colour_space, pcs, tags):
    """An ICC v2 profile from its tags, laid out as the specification says."""
    start, table, data = 128 + 4 + 12 * len(tags), b"", b""
    for signature, body in tags:
        data += bytes(-(start + len(data)) % 4)
        table += signature + struct.pack(">II", start + len(data), len(body))
        data += body
    body = struct.pack(">I", len(tags)) + table + data
    header = (
        struct.pack(">I", 128 + len(body)) + b"none" + struct.pack(">I", 0x02100000)
        + device_class + colour_space + pcs + bytes(12) + b"acspAPPL" + bytes(24)
        + icc_tag_xyz(0.9642, 1.0, 0.8249)[8:] + b"none" + bytes(44)
    )  # fmt: skip
    return header + body


def print_shop_cmyk_profile():
    """A minimal CMYK output profile: a 2-point table from inks to XYZ, for inks that
    mix as light would on a gamma-2.2 screen (nothing like the plain conversion)."""

    def xyz(c, m, y, k):
        red, green, blue = (((1 - ink) * (1 - k)) ** 2.2 for ink in (c, m, y))
        return (
            0.4360 * red + 0.3851 * green + 0.1431 * blue,
            0.2225 * red + 0.7169 * green + 0.0606 * blue,
            0.0139 * red + 0.0971 * green + 0.7141 * blue,
        )

    identity = (65536, 0, 0, 0, 65536, 0, 0, 0, 65536)
    table = b"mft2" + bytes(4) + struct.pack(">BBBB9iHH", 4, 3, 2, 0, *identity, 2, 2)
    table += struct.pack(">2H", 0, 65535) * 4  # input curves: straight
    for corner in itertools.product((0, 1), repeat=4):
        table += struct.pack(">3H", *(min(65535, round(v * 32768)) for v in xyz(*corner)))
    table += struct.pack(">2H", 0, 65535) * 3  # output curves: straight
    name = b"Print shop CMYK (test)\x00"
    return icc_profile(
        b"prtr",
        b"CMYK",
        b"XYZ ",
        [
            (b"desc", b"desc" + bytes(4) + struct.pack(">I", len(name)) + name + bytes(79)),
            (b"cprt", b"text" + bytes(4) + b"Test data\x00"),
            (b"wtpt", icc_tag_xyz(0.9642, 1.0, 0.8249)),
            (b"A2B0", table),
        ],
    )


def stored_files():
    found = set()

    def walk(path):
        directories, files = default_storage.listdir(path)
        found.update(f"{path}/{name}".lstrip("/") for name in files)
        for directory in directories:
            walk(f"{path}/{directory}".lstrip("/"))

    walk("")
    return found


BAD_UPLOADS = {
    "truncated photo": (lambda: noisy_jpeg()[:20_000], "photo.jpg", "damaged or incomplete"),
    "PNG with short image data": (png_with_short_image_data, "chart.png", "damaged or incomplete"),
    "infographic 1200 x 20000": (
        lambda: png_header_only(1200, 20_000),
        "infographic.png",
        "at most 16,383 pixels on each side",
    ),
    "40,000,000 x 1": (
        lambda: png_header_only(40_000_000, 1),
        "line.png",
        "at most 16,383 pixels on each side",
    ),
    "tiny JPEG claiming 6000 x 6000": (
        lambda: tiny_jpeg_claiming(6000, 6000),
        "huge.jpg",
        "6000 × 6000 pixel picture, but it holds only",
    ),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=list(BAD_UPLOADS))
def test_every_bad_upload_is_a_form_error_keeps_the_text_and_stores_nothing(editor_client, case):
    make, name, message = BAD_UPLOADS[case]
    before = stored_files()
    response = editor_client.post(
        reverse("admin:images_image_add"),
        library_post(SimpleUploadedFile(name, make())),
    )
    assert response.status_code == 200
    assert message in response.text
    assert "The text the editor typed." in response.text
    assert stored_files() == before


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=list(BAD_UPLOADS))
def test_every_bad_image_stored_from_code_is_refused_and_leaves_no_file(case):
    make, name, message = BAD_UPLOADS[case]
    picture = new_picture("A picture")
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        picture.file.save(name, ContentFile(make()), save=True)
    assert message in " ".join(refused.value.messages)
    assert stored_files() == before


def test_a_jpeg_claiming_more_pixels_than_its_bytes_hold_is_refused_before_decoding(monkeypatch):
    from PIL import ImageFile

    def no_decoding(self):
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    assert refusal(tiny_jpeg_claiming(6000, 6000), "huge.jpg", code="damaged") == (
        "This file says it is a 6000 × 6000 pixel picture, but it holds only 633\xa0bytes: "
        "it is damaged or incomplete. Export it again."
    )


def test_a_jpeg_may_hold_up_to_a_thousand_pixels_a_byte():
    size = len(tiny_jpeg_claiming(8, 8))
    # As many pixels as the bytes could hold passes this check (libjpeg then pads the
    # picture out); one row more is refused before decoding.
    clean = check_image(SimpleUploadedFile("big.jpg", tiny_jpeg_claiming(size, 1000)))
    assert (clean.width, clean.height) == (size, 1000)
    assert refusal(tiny_jpeg_claiming(size, 1001), "big.jpg", code="damaged") == (
        f"This file says it is a {size} × 1001 pixel picture, but it holds only "
        f"{size}\xa0bytes: it is damaged or incomplete. Export it again."
    )


def test_a_multi_picture_jpeg_claiming_more_pixels_than_its_bytes_hold_is_refused_too():
    data = bytearray(mpo_bytes())
    frame = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, frame + 5, 6000, 6000)
    message = refusal(bytes(data), "IMG_0002.jpg", code="damaged")
    assert message.startswith("This file says it is a 6000 × 6000 pixel picture, but it holds")


def test_a_phone_photo_in_multi_picture_format_is_accepted_as_a_jpeg():
    picture = new_picture("A phone photo")
    picture.file.save("IMG_0001.jpg", ContentFile(mpo_bytes()), save=True)
    assert picture.file.name.endswith(".jpg")
    with default_storage.open(picture.file.name) as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and image.size == (120, 80)
        assert image.getpixel((5, 5))[2] > 150  # the first picture, not the second


def test_a_display_p3_photo_is_converted_to_srgb_not_stripped():
    from PIL import ImageCms

    profile = display_p3_profile()
    photo = Image.new("RGB", (64, 64), (200, 100, 50))
    out = io.BytesIO()
    photo.save(out, "PNG", icc_profile=profile)
    expected = ImageCms.profileToProfile(
        photo,
        ImageCms.ImageCmsProfile(io.BytesIO(profile)),
        ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")),
    ).getpixel((0, 0))
    assert expected != (200, 100, 50)

    picture = new_picture("A sunset")
    picture.file.save("sunset.png", ContentFile(out.getvalue()), save=True)
    with default_storage.open(picture.file.name) as stored, Image.open(stored) as image:
        assert "icc_profile" not in image.info
        assert image.mode == "RGB" and image.getpixel((0, 0)) == expected


def disk_full_at(monkeypatch, number):
    """Make the storage fail on its ``number``-th save from now; the names asked for."""
    kind = type(storages["default"])  # the class: the storage itself is made again
    real_save, calls = kind.save, []

    def failing_save(storage, name, content, **kwargs):
        calls.append(name)
        if len(calls) == number:
            raise OSError("No space left on device")
        return real_save(storage, name, content, **kwargs)

    monkeypatch.setattr(kind, "save", failing_save)
    return calls


def test_a_failure_halfway_through_the_renditions_leaves_no_file_behind(monkeypatch):
    picture = new_picture("Wide")
    before = stored_files()
    calls = disk_full_at(monkeypatch, 4)
    with pytest.raises(OSError):
        picture.file.save("wide.png", ContentFile(image_bytes((2000, 1000))), save=True)
    assert len(calls) == 4
    assert stored_files() == before


def test_a_refused_save_asks_for_the_chosen_image_again(editor_client):
    upload = SimpleUploadedFile("still.png", image_bytes((300, 200)))
    post = library_post(upload, alt="")  # the alt text is required
    response = editor_client.post(reverse("admin:images_image_add"), post)
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "Nothing was saved, so “still.png” was not stored either" in response.text
    assert "Choose it again when you save." in response.text
    assert "The text the editor typed." in response.text
    assert not LibraryImage.objects.exists()


def png_with_a_wrong_checksum():
    """Pixels intact, but a chunk's checksum does not match: the file was damaged."""
    data = bytearray(image_bytes((120, 80)))
    start = data.index(b"IDAT")
    length = struct.unpack(">I", data[start - 4 : start])[0]
    data[start + 4 + length] ^= 0xFF
    return bytes(data)


def test_a_file_whose_checksums_do_not_match_is_refused_as_damaged():
    assert refusal(png_with_a_wrong_checksum(), "damaged.png", code="damaged") == DAMAGED


def test_every_rendition_is_upright_and_keeps_no_camera_data_or_location():
    picture = new_picture("A holiday snap")
    picture.file.save("holiday.jpg", ContentFile(jpeg_with_location((1200, 800))), save=True)
    assert {r["format"] for r in whole(picture)} == {"webp", "jpg"}
    for rendition in whole(picture):
        with default_storage.open(rendition["name"]) as f, Image.open(f) as image:
            assert image.height > image.width, rendition["name"]  # turned as the camera was
            assert not image.getexif(), rendition["name"]
            assert "exif" not in image.info and "xmp" not in image.info, rendition["name"]
            if rendition["format"] == "jpg":  # drawn coarse first on a slow connection
                assert image.info.get("progressive"), rendition["name"]


def stored(picture):
    with default_storage.open(picture.file.name) as f, Image.open(f) as image:
        image.load()
        return image


def test_a_cmyk_photo_without_a_profile_is_stored_in_rgb():
    out = io.BytesIO()
    Image.new("CMYK", (40, 30), (0, 255, 255, 0)).save(out, "JPEG", quality=95)  # print red
    picture = new_picture("Red")
    picture.file.save("print.jpg", ContentFile(out.getvalue()), save=True)
    image = stored(picture)
    assert image.mode == "RGB"
    red, green, blue = image.getpixel((20, 15))
    assert red > 200 and green < 60 and blue < 60


def test_a_cmyk_photo_with_a_print_profile_is_converted_through_it():
    from PIL import ImageCms

    profile = print_shop_cmyk_profile()
    ink = (0, 128, 128, 0)
    out = io.BytesIO()
    Image.new("CMYK", (40, 30), ink).save(out, "JPEG", quality=100, icc_profile=profile)
    expected = ImageCms.profileToProfile(
        Image.new("CMYK", (1, 1), ink),
        ImageCms.ImageCmsProfile(io.BytesIO(profile)),
        ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")),
        outputMode="RGB",
    ).getpixel((0, 0))
    plain = Image.new("CMYK", (1, 1), ink).convert("RGB").getpixel((0, 0))
    assert max(abs(a - b) for a, b in zip(expected, plain, strict=True)) > 40

    picture = new_picture("A poster proof")
    picture.file.save("proof.jpg", ContentFile(out.getvalue()), save=True)
    image = stored(picture)
    assert image.mode == "RGB" and "icc_profile" not in image.info
    assert max(abs(a - b) for a, b in zip(image.getpixel((20, 15)), expected, strict=True)) <= 3


def test_a_transparent_picture_with_a_profile_keeps_its_transparency_and_converts():
    from PIL import ImageCms

    profile = display_p3_profile()
    logo = Image.new("RGBA", (40, 30), (200, 100, 50, 0))
    logo.putpixel((39, 29), (200, 100, 50, 255))  # one opaque corner
    out = io.BytesIO()
    logo.save(out, "PNG", icc_profile=profile)
    in_srgb = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), (200, 100, 50)),
        ImageCms.ImageCmsProfile(io.BytesIO(profile)),
        ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")),
    ).getpixel((0, 0))
    picture = new_picture("A logo")
    picture.file.save("logo.png", ContentFile(out.getvalue()), save=True)
    image = stored(picture)
    assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0
    assert image.getpixel((39, 29)) == (*in_srgb, 255)
    assert "icc_profile" not in image.info


@contextlib.contextmanager
def log_of(name):
    """Every message the logger ``name`` writes meanwhile, at any level (caplog is off
    under mutation testing)."""
    logger, heard, messages = logging.getLogger(name), logging.Handler(logging.DEBUG), []
    heard.emit = lambda record: messages.append(record.getMessage())
    logger.addHandler(heard)
    level, logger.level = logger.level, logging.DEBUG
    try:
        yield messages
    finally:
        logger.removeHandler(heard)
        logger.setLevel(level)


def test_a_picture_whose_profile_cannot_be_read_is_kept_and_the_log_says_so():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 100, 50)).save(out, "PNG", icc_profile=b"not a profile")
    picture = new_picture("Odd")
    with log_of("images.checks") as messages:
        picture.file.save("odd.png", ContentFile(out.getvalue()), save=True)
    assert stored(picture).getpixel((0, 0)) == (200, 100, 50)
    assert messages == ["Colour profile not readable; the image is kept as it is."]


def test_a_picture_without_a_profile_is_stored_without_a_word_in_the_log():
    with log_of("images.checks") as messages:
        check_image(SimpleUploadedFile("plain.png", image_bytes()))
    assert messages == []


def test_a_transparent_palette_picture_stays_transparent_in_webp():
    out = io.BytesIO()
    Image.new("P", (1000, 500), 0).save(out, "PNG", transparency=0)
    picture = new_picture("A cut-out")
    picture.file.save("cutout.png", ContentFile(out.getvalue()), save=True)
    for (width, fmt), image in rendition_images(picture).items():
        if fmt == "webp":
            assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0, width


def test_storing_a_picture_from_code_saves_it():
    picture = new_picture("From the shell")
    picture.file.save("shell.png", ContentFile(image_bytes((120, 80))))
    picture.refresh_from_db()
    assert picture.file.name.endswith(".png") and picture.width == 120


@pytest.mark.parametrize("mode, colour", [("L", 128), ("LA", (128, 255)), ("P", 3), ("1", 1)])
def test_grayscale_palette_and_black_and_white_pictures_are_kept_as_they_are(mode, colour):
    out = io.BytesIO()
    Image.new(mode, (40, 30), colour).save(out, "PNG")
    picture = new_picture("Plain")
    picture.file.save("plain.png", ContentFile(out.getvalue()), save=True)
    assert stored(picture).mode == mode


def test_a_16_bit_picture_is_stored_in_a_mode_every_browser_shows():
    out = io.BytesIO()
    Image.new("I;16", (40, 30), 40_000).save(out, "PNG")
    picture = new_picture("Deep")
    picture.file.save("deep.png", ContentFile(out.getvalue()), save=True)
    image = stored(picture)
    assert image.mode == "RGB" and max(image.getpixel((0, 0))) > 0


def rendition_images(picture):
    found = {}
    for rendition in whole(picture):
        with default_storage.open(rendition["name"]) as f, Image.open(f) as image:
            image.load()
            found[(rendition["width"], rendition["format"])] = image
    return found


def test_renditions_of_a_transparent_picture_keep_it_in_webp_and_flatten_it_in_jpeg():
    out = io.BytesIO()
    Image.new("RGBA", (1000, 500), (10, 120, 200, 0)).save(out, "PNG")
    picture = new_picture("A logo")
    picture.file.save("logo.png", ContentFile(out.getvalue()), save=True)
    for (width, fmt), image in rendition_images(picture).items():
        if fmt == "webp":
            assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0, width
        else:
            assert image.mode == "RGB", width


@pytest.mark.parametrize("mode, colour", [("P", 3), ("1", 1), ("L", 90), ("LA", (90, 255))])
def test_every_kind_of_picture_gets_renditions_a_browser_can_show(mode, colour):
    out = io.BytesIO()
    Image.new(mode, (1000, 500), colour).save(out, "PNG")
    picture = new_picture("Plain")
    picture.file.save("plain.png", ContentFile(out.getvalue()), save=True)
    images = rendition_images(picture)
    assert {key[1] for key in images} == {"webp", "jpg"}
    for (_, fmt), image in images.items():
        assert image.mode in (("RGB", "RGBA") if fmt == "webp" else ("RGB", "L"))


def test_a_hairline_picture_gets_renditions_one_pixel_tall():
    picture = new_picture("A rule")
    picture.file.save("rule.png", ContentFile(image_bytes((3000, 1))), save=True)
    assert {(r["width"], r["height"]) for r in whole(picture)} == {
        (480, 1),
        (960, 1),
        (1600, 1),
        (2400, 1),
    }


def test_a_tall_picture_whose_small_rendition_is_as_tall_as_it_is_wide_is_resized_too():
    picture = new_picture("A poster")
    picture.file.save("poster.png", ContentFile(image_bytes((960, 1920))), save=True)
    small = next(r for r in whole(picture) if r["width"] == 480 and r["format"] == "jpg")
    with default_storage.open(small["name"]) as f, Image.open(f) as image:
        assert image.size == (480, 960)
