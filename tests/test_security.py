"""Signing in and the headers every response carries, tried as a stranger and as staff.

Password guessing is throttled per account and per address (django-axes); two-factor
sign-in with an authenticator app can be turned on by anyone on the desk and required
for editors (django-otp); a rejected ?next= lands on the desk; every page carries the
Content-Security-Policy; a proxy's headers are believed only when one is configured.
"""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.proxy import client_ip

from .factories import ArticleFactory, UserFactory, WriterFactory, newsroom_group

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/admin/login/"


def member(username, group):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(newsroom_group(group))
    WriterFactory(user=user)
    return user


@pytest.fixture
def editor_user():
    return member("chief", "Editors")


@pytest.fixture
def writer_user():
    return member("tom", "Writers")


def sign_in(client, username, password=PASSWORD, address="203.0.113.5", forwarded=None, **data):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(
        LOGIN, {"username": username, "password": password, **data}, REMOTE_ADDR=address, **headers
    )


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def time_passes(device):
    """As if the seconds a wrong code costs had gone by."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(hours=1)
    )


def turn_on_two_factor(user):
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device


# Password guessing --------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(editor_user):
    client = Client()
    for _ in range(4):
        response = sign_in(client, "chief", "wrong")
        assert response.status_code == 200  # the form again, with Django's message
        assert "Please enter the correct username and password" in response.text
    locked = sign_in(client, "chief", "wrong")
    assert locked.status_code == 429
    assert "Too many wrong passwords in a row for “chief”" in locked.text
    assert "Try again in 15 minutes." in locked.text
    right = sign_in(Client(), "chief", PASSWORD, address="198.51.100.7")  # elsewhere too
    assert right.status_code == 429
    assert "_auth_user_id" not in Client().session


def test_guessing_many_accounts_from_one_address_locks_that_address(editor_user, writer_user):
    client = Client()
    for name in ("alice", "bob", "carol", "dave", "erin"):
        sign_in(client, name, "guess")
    response = sign_in(client, "tom", PASSWORD)
    assert response.status_code == 429
    assert sign_in(Client(), "tom", PASSWORD, address="198.51.100.7").status_code == 302


def test_the_lock_lifts_after_the_cool_off(editor_user):
    client = Client()
    for _ in range(5):
        sign_in(client, "chief", "wrong")
    assert sign_in(client, "chief").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, "chief").status_code == 302


def test_failures_older_than_the_cool_off_no_longer_count(editor_user):
    client = Client()
    for _ in range(4):
        sign_in(client, "chief", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    for _ in range(4):
        sign_in(client, "chief", "wrong")
    assert sign_in(client, "chief").status_code == 302


def test_behind_a_proxy_each_reader_is_counted_by_their_own_address(settings, writer_user):
    settings.TRUSTED_PROXIES = 1
    for name in ("alice", "bob", "carol", "dave", "erin"):
        sign_in(Client(), name, "guess", address="10.0.0.2", forwarded="192.0.2.9")
    blocked = sign_in(Client(), "tom", address="10.0.0.2", forwarded="192.0.2.9")
    assert blocked.status_code == 429
    other = sign_in(Client(), "tom", address="10.0.0.2", forwarded="192.0.2.44")
    assert other.status_code == 302  # another reader behind the same proxy is not locked out


def test_a_forwarded_address_is_believed_only_from_a_configured_proxy(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.9"
    )
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXIES = 1
    assert client_ip(request) == "192.0.2.9"  # the proxy's entry, not the client's claim


# Where signing in lands ------------------------------------------------------------------


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_a_rejected_next_lands_on_the_desk(editor_user, target):
    response = sign_in(Client(), "chief", next=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_safe_next_is_followed(editor_user):
    target = reverse("admin:articles_review_changelist")
    assert sign_in(Client(), "chief", next=target)["Location"] == target


# Two-factor sign-in -------------------------------------------------------------------


def test_a_writer_turns_on_two_factor_sign_in_by_scanning_and_confirming(writer_user):
    client = Client()
    client.force_login(writer_user)
    page = client.get(reverse("admin:two_factor"))
    assert "<svg" in page.text and "Cannot scan? Type this key instead" in page.text
    device = TOTPDevice.objects.get(user=writer_user, confirmed=False)
    secret = re.search(r'class="two-factor-secret">([A-Z2-7 ]+)<', page.text).group(1)
    assert len(secret.replace(" ", "")) >= 26

    wrong = client.post(reverse("admin:two_factor"), {"code": "000000"})
    assert "That code is not right" in wrong.text
    device.refresh_from_db()
    assert not device.confirmed

    time_passes(device)
    done = client.post(reverse("admin:two_factor"), {"code": current_code(device)}, follow=True)
    assert "Two-factor sign-in is on" in done.text
    assert TOTPDevice.objects.get(user=writer_user).confirmed


def test_with_two_factor_on_the_password_alone_does_not_open_the_desk(writer_user):
    device = turn_on_two_factor(writer_user)
    client = Client()
    response = sign_in(client, "tom")
    assert response.status_code == 302
    desk = client.get(reverse("admin:index"), follow=True)
    assert desk.redirect_chain[-1][0].startswith(reverse("admin:two_factor_verify"))
    assert "type the code it shows" in desk.text
    assert client.get(reverse("admin:articles_review_changelist")).status_code == 302

    wrong = client.post(reverse("admin:two_factor_verify"), {"code": "123456"})
    assert "That code is not right" in wrong.text
    assert client.get(reverse("admin:index")).status_code == 302

    time_passes(device)
    right = client.post(
        reverse("admin:two_factor_verify"),
        {"code": current_code(device), "next": reverse("admin:articles_review_changelist")},
    )
    assert right["Location"] == reverse("admin:articles_review_changelist")
    assert client.get(reverse("admin:index")).status_code == 200


def test_repeated_wrong_codes_are_slowed_down(writer_user):
    turn_on_two_factor(writer_user)
    client = Client()
    sign_in(client, "tom")
    for _ in range(3):
        client.post(reverse("admin:two_factor_verify"), {"code": "000000"})
    response = client.post(reverse("admin:two_factor_verify"), {"code": "000000"})
    assert "Too many wrong codes in a row" in response.text


def test_someone_stuck_at_the_code_can_sign_out(writer_user):
    turn_on_two_factor(writer_user)
    client = Client()
    sign_in(client, "tom")
    client.post(reverse("admin:two_factor_cancel"))
    assert "_auth_user_id" not in client.session


def test_turning_it_off_needs_a_current_code(writer_user):
    device = turn_on_two_factor(writer_user)
    client = Client()
    sign_in(client, "tom")
    client.post(reverse("admin:two_factor_verify"), {"code": current_code(device)})
    device.refresh_from_db()
    device.last_t = -1  # the same code may be used once more in this test
    device.save()
    refused = client.post(reverse("admin:two_factor"), {"code": "000000"})
    assert "That code is not right" in refused.text and TOTPDevice.objects.exists()
    time_passes(device)
    client.post(reverse("admin:two_factor"), {"code": current_code(device)})
    assert not TOTPDevice.objects.exists()


def test_when_required_an_editor_must_set_it_up_before_the_desk_opens(
    settings, editor_user, writer_user
):
    settings.TWO_FACTOR_REQUIRED_FOR_EDITORS = True
    ArticleFactory(title="On the desk")
    editor = Client()
    sign_in(editor, "chief")
    desk = editor.get(reverse("admin:index"), follow=True)
    assert desk.redirect_chain[-1][0].startswith(reverse("admin:two_factor"))
    assert "Editors must use two-factor sign-in" in desk.text
    assert "On the desk" not in editor.get(reverse("admin:articles_article_changelist")).text

    device = TOTPDevice.objects.get(user=editor_user)
    editor.post(reverse("admin:two_factor"), {"code": current_code(device)})
    assert editor.get(reverse("admin:index")).status_code == 200
    kept = editor.get(reverse("admin:two_factor"))
    assert "Editors must keep it on" in kept.text

    writer = Client()
    sign_in(writer, "tom")
    assert writer.get(reverse("admin:index")).status_code == 200  # writers may choose


# Headers ------------------------------------------------------------------------------


def test_every_kind_of_response_carries_a_strict_content_security_policy(client, editor_user):
    story = ArticleFactory()
    urls = [
        "/",
        story.get_absolute_url(),
        reverse("articles:section", args=["news"]),
        reverse("articles:feed"),
        "/sitemap.xml",
        "/robots.txt",
        "/no-such-page/",
        LOGIN,
    ]
    staff = Client()
    staff.force_login(editor_user)
    for url in urls:
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy, url
        assert "nonce-" not in policy, url  # nothing inline on public pages
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    for url in (
        reverse("admin:index"),
        reverse("admin:articles_newsstory_change", args=[story.pk]),
    ):
        policy = staff.get(url)["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, url


def test_public_pages_hold_no_inline_script_or_style(client):
    story = ArticleFactory()
    for url in ("/", story.get_absolute_url(), reverse("search") + "?q=story"):
        page = client.get(url).text
        assert not re.search(r"<script(?![^>]*(src=|application/ld\+json))", page), url
        assert "<style" not in page and " style=" not in page, url
        assert not re.search(r"\son[a-z]+=", page), url


def test_x_forwarded_proto_is_ignored_without_a_proxy(client):
    story = ArticleFactory()
    page = client.get(story.get_absolute_url(), HTTP_X_FORWARDED_PROTO="https").text
    assert f'<link rel="canonical" href="http://testserver{story.get_absolute_url()}">' in page


def test_one_s_own_successful_sign_in_does_not_reset_the_count_on_another_account(
    editor_user, writer_user
):
    for _ in range(2):
        for _ in range(2):
            sign_in(Client(), "chief", "wrong")
        assert sign_in(Client(), "tom").status_code == 302  # the guesser's own account
    assert sign_in(Client(), "chief", "wrong").status_code == 429  # the fifth failure


def test_the_preview_also_waits_for_the_code(writer_user):
    device = turn_on_two_factor(writer_user)
    draft = ArticleFactory(
        title="Secret draft", status="draft", publish_at=None, created_by=writer_user
    )
    client = Client()
    sign_in(client, "tom")
    assert client.get(reverse("articles:preview", args=[draft.pk])).status_code == 404
    client.post(reverse("admin:two_factor_verify"), {"code": current_code(device)})
    assert client.get(reverse("articles:preview", args=[draft.pk])).status_code == 200
