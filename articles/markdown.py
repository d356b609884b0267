"""Turn an editor's Markdown into safe HTML, once, when an article is saved.

The pipeline is markdown-it-py (CommonMark plus tables and strikethrough),
heading ids for links and tables of contents, and two containers:

    :::spoiler What happens in the finale
    Hidden until the reader opens it.
    :::

    :::pullquote
    A line worth repeating in large type.
    :::

Whatever comes out is cleaned by nh3 against an allowlist, so raw HTML,
``javascript:`` links, event handlers, iframes and inline styles never reach
a reader, whatever the editor typed.
"""

import math
import re
from html import escape, unescape

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "del",
    "details", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "li", "ol", "p", "pre", "s", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_CLASSES = {"details": {"spoiler"}, "figure": {"pullquote"}}
URL_SCHEMES = {"http", "https", "mailto"}

SPOILER_LABEL = "Spoiler"
WORDS_PER_MINUTE_FAST = 265
WORDS_PER_MINUTE_SLOW = 180


def _heading_slug(text):
    return slugify(text) or "section"


def _render_spoiler(renderer, tokens, idx, options, env):
    token = tokens[idx]
    if token.nesting == 1:
        title = token.info.strip()[len("spoiler") :].strip()
        label = f"{SPOILER_LABEL}: {title}" if title else SPOILER_LABEL
        return f'<details class="spoiler"><summary>{escape(label)}</summary>\n'
    return "</details>\n"


def _render_pullquote(renderer, tokens, idx, options, env):
    if tokens[idx].nesting == 1:
        return '<figure class="pullquote"><blockquote>\n'
    return "</blockquote></figure>\n"


def _build_parser():
    md = MarkdownIt("commonmark", {"html": True, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=_heading_slug)
    md.use(container_plugin, name="spoiler", render=_render_spoiler)
    md.use(container_plugin, name="pullquote", render=_render_pullquote)
    return md


_parser = _build_parser()

# Table cell alignment comes out as style="text-align:…"; styles are not kept.
_STYLE_ATTR = re.compile(r'\sstyle="text-align:(?:left|center|right)"')


def render_markdown(text):
    """Markdown in, sanitised HTML out."""
    html = _parser.render(text or "")
    html = _STYLE_ATTR.sub("", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


_DETAILS_TAG = re.compile(r"<(/?)details\b[^>]*>")


def strip_spoilers(html, replacement=""):
    """Replace each spoiler block of rendered HTML with ``replacement``.

    For summaries, meta tags and feeds. Counts nesting, so a spoiler that holds
    a ``<details>`` of its own is removed whole (sanitised HTML is balanced).
    """
    out, kept_from, depth = [], 0, 0
    for tag in _DETAILS_TAG.finditer(html):
        closing = bool(tag.group(1))
        if depth == 0:
            if not closing and tag.group(0).startswith('<details class="spoiler"'):
                out.append(html[kept_from : tag.start()])
                depth = 1
            continue
        depth += -1 if closing else 1
        if depth == 0:
            out.append(replacement)
            kept_from = tag.end()
    if depth:  # unbalanced input: drop the unfinished spoiler rather than leak it
        return "".join(out) + replacement
    out.append(html[kept_from:])
    return "".join(out)


def headings(html):
    """The (level, id, plain text) of each h2 and h3 in rendered HTML, for a contents list."""
    found = re.findall(r'<h([23]) id="([^"]+)">(.*?)</h\1>', html, flags=re.S)
    return [
        (int(level), anchor, unescape(re.sub(r"<[^>]+>", "", text)))
        for level, anchor, text in found
    ]


def word_count(text):
    return len(re.findall(r"\w+(?:['’-]\w+)*", text or ""))


def reading_time(text):
    """Minutes to read ``text``: (quick reader, unhurried reader), at least 1."""
    words = word_count(text)
    return (
        max(1, math.ceil(words / WORDS_PER_MINUTE_FAST)),
        max(1, math.ceil(words / WORDS_PER_MINUTE_SLOW)),
    )
