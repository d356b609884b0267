"""Shareable preview links for people without an account.

A link is signed and expires (PREVIEW_LINK_MAX_AGE, 48 hours by default). It
names the story, not a version of it: edits do not break it, and it always
shows the latest version, unpublished changes to a live story included. An
editor revokes every link made so far with one button (``revoke``).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from . import revisions, services
from .models import Article

SALT = "articles.preview-link"


def share_token(article):
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"pk": article.pk, "at": timezone.now().timestamp()}
    )


def share_url(article):
    return reverse("articles:shared-preview", args=[share_token(article)])


def expires_at(now=None):
    """Until when a link made now works."""
    return (now or timezone.now()) + timedelta(seconds=settings.PREVIEW_LINK_MAX_AGE)


def revoke(*, article):
    """Every link to the story made until now stops working; nothing else about the
    story changes (no revision: the links are not part of the story)."""
    article.share_revoked_at = timezone.now()
    Article.objects.filter(pk=article.pk).update(share_revoked_at=article.share_revoked_at)


class LinkInvalid(Exception):
    """The link was tampered with, has expired, or was revoked."""


def article_for_token(token, queryset):
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=settings.PREVIEW_LINK_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise LinkInvalid("This preview link has expired; ask for a new one.") from error
    except signing.BadSignature as error:
        raise LinkInvalid("This preview link is not valid.") from error
    article = queryset.filter(pk=data.get("pk")).first()
    made = data.get("at")
    if article is None or not isinstance(made, (int, float)):
        raise LinkInvalid("This preview link is not valid.")
    revoked = article.share_revoked_at
    if revoked is not None and datetime.fromtimestamp(made, tz=revoked.tzinfo) <= revoked:
        raise LinkInvalid("This preview link was withdrawn by the newsroom; ask for a new one.")
    return article


def latest_version(article):
    """The story as it will be once its unpublished changes are published (in memory;
    nothing is saved), and those changes; the story itself when there are none."""
    changes = services.pending_changes(article) if article.pk and article.is_public else None
    if changes is None or not changes.snapshot:
        return article, None
    return revisions.apply(article, changes.snapshot), changes
