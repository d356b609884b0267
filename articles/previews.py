"""Shareable preview links for people without an account.

A link is signed, expires (PREVIEW_LINK_MAX_AGE, 48 hours by default) and is
tied to the story's last change: editing the story revokes every link to the
old version, so a link never shows text the newsroom has since replaced.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "articles.preview-link"


def _version(article):
    return article.updated_at.isoformat()


def share_token(article):
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"pk": article.pk, "v": _version(article)}
    )


def share_url(article):
    return reverse("articles:shared-preview", args=[share_token(article)])


class LinkInvalid(Exception):
    """The link was tampered with, has expired, or the story has changed since."""


def article_for_token(token, queryset):
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=settings.PREVIEW_LINK_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise LinkInvalid("This preview link has expired.") from error
    except signing.BadSignature as error:
        raise LinkInvalid("This preview link is not valid.") from error
    article = queryset.filter(pk=data.get("pk")).first()
    if article is None or _version(article) != data.get("v"):
        raise LinkInvalid("This story has changed since the link was made; ask for a new one.")
    return article
