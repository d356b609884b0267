"""Template helpers for the public site: structured data, stars, absolute URLs."""

import functools
import json
from decimal import Decimal

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
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


@register.simple_tag
def fixed(name):
    """A template that shows every reader of every page the same (links and settings,
    nothing of the request or the page: the menus, the footer), rendered once a process
    (every time while DEBUG is on, so an edited template shows at once)."""
    if settings.DEBUG:
        return _render_fixed.__wrapped__(name)
    return _render_fixed(name, get_script_prefix(), get_urlconf(), repr(settings.SOCIAL_LINKS))


@functools.lru_cache(maxsize=16)
def _render_fixed(name, *depends_on):
    # The publication's accounts elsewhere, for the footer.
    return mark_safe(render_to_string(name, {"social_links": settings.SOCIAL_LINKS}))


@register.tag
def part(parser, token):
    """``{% part "name" %}…{% endpart %}``: a part of a story page made from the story
    alone: its kept copy if the page has one, else rendered and kept (articles.parts).
    Where the page keeps no parts (``parts`` is None: previews), simply rendered."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Use {% part "name" %}…{% endpart %}.')
    nodelist = parser.parse(("endpart",))
    parser.delete_first_token()
    return PartNode(bits[1][1:-1], nodelist)


class PartNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        parts = context.get("parts")
        if parts is None:
            return self.nodelist.render(context)
        kept = parts.get(self.name)
        if kept is not None:
            return kept
        html = self.nodelist.render(context)
        parts.keep(self.name, html)
        return html
