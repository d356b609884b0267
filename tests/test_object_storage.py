"""Uploads and renditions in object storage, as several app servers keep them: the upload,
rendition, crop and card tests run again against a bucket on a local S3-compatible
server (moto's, over HTTP: the same API calls and errors as AWS, installed from PyPI with
the test tools, no container or download needed)."""

import logging
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages

from images.models import Image
from newsroom.settings import media_origins, s3_media_storage

from .factories import ArticleFactory

# The tests that store, read, replace or delete files, collected here a second time.
from .test_image_library import (  # noqa: F401
    desk,
    library_image,
    test_a_bad_upload_to_the_library_is_a_clear_form_error,
    test_a_card_that_cannot_be_drawn_leaves_the_page_without_one,
    test_a_change_to_a_library_image_is_on_every_page_at_once,
    test_a_failure_halfway_through_cropping_again_leaves_the_old_crops,
    test_a_picture_put_in_from_the_shell_is_cropped_when_saved,
    test_an_editor_uploads_a_picture_to_the_library,
    test_crops_are_made_once_in_webp_and_jpeg_up_to_1200_pixels_wide,
    test_moving_the_focal_point_makes_new_crops_and_removes_the_old,
    test_the_focal_point_is_set_on_the_picture_and_moves_the_crops,
)
from .test_images import (  # noqa: F401
    test_a_failure_halfway_through_the_renditions_leaves_no_file_behind,
    test_an_upload_through_the_form_is_cleaned_and_resized,
    test_every_bad_image_stored_from_code_is_refused_and_leaves_no_file,
    test_exif_and_location_are_removed_and_the_image_turned_upright,
    test_renditions_are_made_once_on_upload_in_webp_and_jpeg,
    test_replacing_a_picture_updates_its_size,
    test_the_story_page_serves_its_hero_cropped_to_16_9_with_srcset_and_size,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def s3_server():
    server_module = pytest.importorskip("moto.server", reason="moto is in requirements-dev.txt")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


REGION = "eu-west-2"


def s3_client(s3_server):
    import boto3

    return boto3.client(
        "s3", endpoint_url=s3_server, region_name=REGION,
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip


@pytest.fixture(autouse=True)
def bucket(s3_server, settings):
    """A bucket of this test's own, as the default storage; its name."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    s3_client(s3_server).create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    credentials = {"access_key": "testing", "secret_key": "testing", "region_name": REGION}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_media_storage(name, endpoint_url=s3_server, **credentials),
    }
    yield name


def objects(s3_server, bucket):
    """What the bucket holds: each object's headers by its key."""
    client = s3_client(s3_server)
    listing = client.list_objects_v2(Bucket=bucket)
    return {
        item["Key"]: client.head_object(Bucket=bucket, Key=item["Key"])
        for item in listing.get("Contents", [])
    }


def test_an_upload_and_its_renditions_are_objects_in_the_bucket_with_public_addresses(
    s3_server, bucket
):
    image = library_image()
    stored = objects(s3_server, bucket)
    names = {f"media/{image.file.name}"} | {f"media/{r['name']}" for r in image.renditions}
    assert names <= set(stored)
    assert stored[f"media/{image.file.name}"]["ContentType"] == "image/png"
    # Addresses that never expire: cached pages keep them for a day.
    url = default_storage.url(image.renditions[0]["name"])
    assert url.startswith(f"{s3_server}/{bucket}/media/images/")
    assert "Signature" not in url and "Expires" not in url
    assert (
        stored[f"media/{image.renditions[0]['name']}"]["CacheControl"] == "public, max-age=604800"
    )


def test_a_second_upload_of_the_same_name_is_stored_beside_the_first_not_over_it(bucket):
    first = default_storage.save("images/2026/11/poster.jpg", ContentFile(b"first"))
    second = default_storage.save("images/2026/11/poster.jpg", ContentFile(b"second"))
    assert first != second
    with default_storage.open(first) as f:
        assert f.read() == b"first"


def test_a_story_page_shows_its_picture_from_the_bucket(client, s3_server, bucket):
    story = ArticleFactory(hero=library_image())
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'src="{s3_server}/{bucket}/media/images/' in html
    assert f'srcset="{s3_server}/{bucket}/media/images/' in html


def test_deleting_a_picture_leaves_its_files_for_pages_cached_before(bucket):
    image = Image.objects.get(pk=library_image().pk)
    image.delete()
    assert default_storage.exists(image.file.name)
    assert all(default_storage.exists(r["name"]) for r in image.renditions)


@pytest.mark.parametrize(
    "bucket_name, endpoint, domain, region, origins",
    [
        ("", None, None, None, []),
        ("news", None, "media.example.com", None, ["https://media.example.com"]),
        ("news", None, "cdn.example.com/media", None, ["https://cdn.example.com"]),
        ("news", "http://127.0.0.1:9000", None, None, ["http://127.0.0.1:9000"]),
        (
            "news", None, None, "eu-west-2",
            ["https://news.s3.amazonaws.com", "https://news.s3.eu-west-2.amazonaws.com"],
        ),
        (
            "media.example.com", None, None, "eu-west-2",
            [
                "https://media.example.com.s3.amazonaws.com",
                "https://media.example.com.s3.eu-west-2.amazonaws.com",
                "https://s3.amazonaws.com", "https://s3.eu-west-2.amazonaws.com",
            ],
        ),
    ],
)  # fmt: skip
def test_the_content_security_policy_lets_pages_load_pictures_from_the_bucket(
    bucket_name, endpoint, domain, region, origins
):
    assert media_origins(bucket_name, endpoint, domain, region) == origins


def test_a_drawn_card_is_looked_for_in_the_bucket_once_not_on_every_page(
    client, bucket, monkeypatch, settings
):
    settings.PAGE_CACHE_ENABLED = False  # every request renders the page
    storage_class = type(storages["default"])
    asked, real_exists = [], storage_class.exists
    monkeypatch.setattr(
        storage_class,
        "exists",
        lambda storage, name: asked.append(name) or real_exists(storage, name),
    )
    assert client.get("/").status_code == 200
    cards = [name for name in asked if name.startswith("cards/")]
    for _ in range(2):
        assert client.get("/").status_code == 200
    assert [name for name in asked if name.startswith("cards/")] == cards  # not asked again
    assert cards and real_exists(storages["default"], cards[0])  # drawn and stored


@pytest.mark.parametrize("bucket_name", ["news", "media.example.com"])
@pytest.mark.parametrize("region", [None, "eu-west-2"])
def test_the_policy_allows_the_address_the_storage_gives_a_picture_in_an_aws_bucket(
    bucket_name, region
):
    from urllib.parse import urlsplit

    from storages.backends.s3 import S3Storage

    storage = S3Storage(
        bucket_name=bucket_name, region_name=region, querystring_auth=False,
        access_key="testing", secret_key="testing",
    )  # fmt: skip
    url = urlsplit(storage.url("media/images/poster.jpg"))
    assert f"{url.scheme}://{url.netloc}" in media_origins(bucket_name, region=region)
