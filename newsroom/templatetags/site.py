"""Template helpers for the public site: structured data, stars, absolute URLs."""

import json
from decimal import Decimal

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

from images import cards
from newsroom import structured_data
from people.text import clean_text, clean_tree

register = template.Library()


def _json_ld(data):
    text = json.dumps(clean_tree(data), cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(
        '<script type="application/ld+json">' + text.translate(_json_script_escapes) + "</script>"
    )


@register.simple_tag(takes_context=True)
def json_ld(context, kind, obj=None, extra=None):
    """Render the page's JSON-LD: the breadcrumbs plus the page's own item."""
    request = context["request"]
    items = []
    if kind == "article":
        items += structured_data.article_graph(request, obj)
    elif kind == "show":
        items.append(structured_data.tv_series(request, obj, extra or []))
    elif kind == "person":
        items.append(structured_data.person(request, obj))
    elif kind == "home":
        items.append(structured_data.website(request))
    crumbs = context.get("breadcrumbs")
    if crumbs:
        items.append(structured_data.breadcrumbs(request, crumbs))
    if not items:
        return ""
    return _json_ld(structured_data.document(items))


@register.simple_tag(takes_context=True)
def absolute(context, path):
    return context["request"].build_absolute_uri(path) if path else ""


@register.simple_tag
def shared_image(meta):
    """The picture a page is shared with: a stored record's own (``meta.image``: its
    picture or a card of its title; None if neither could be had), else the site's
    card (see images/cards.py)."""
    meta = meta or {}
    return meta["image"] if "image" in meta else cards.site_wide_card()


@register.filter
def iso_time(value):
    """A date and time as ISO 8601 to the second, with its offset: what HTML's datetime
    attribute and Open Graph accept."""
    return structured_data.iso_time(value) or ""


@register.filter
def page_markdown(text):
    """A page an editor wrote (About, Standards...): Markdown, sanitised as stories are."""
    from articles.markdown import render_markdown

    return mark_safe(render_markdown(str(text or "")))


@register.filter
def xml_text(value):
    """Text for an XML document: only the characters XML allows (still autoescaped)."""
    return clean_text(str(value)) if value is not None else ""


@register.filter
def minutes(duration):
    """A timedelta in whole minutes, at least 1: 0:15:00 -> 15."""
    return max(1, round(duration.total_seconds() / 60))


@register.filter
def half_stars(rating):
    """4.5 -> 9: the number of filled half stars, for the star display."""
    return int(Decimal(rating) * 2) if rating is not None else 0
