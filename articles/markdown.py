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

The cost is bounded whatever is typed: a body holds at most BODY_MAX_CHARS
characters and raw HTML nests at most HTML_MAX_DEPTH tags deep (``check_body``,
for the story form and the live preview). HTML cleaning takes time quadratic in
nesting depth, and smart quotes time quadratic in the quotes of one paragraph,
so text that reaches ``render_markdown`` some other way is still bounded: raw
HTML nested deeper than the limit is shown as text, and a paragraph with more
than SMART_QUOTES_MAX quotes keeps straight ones.
"""

import math
import re
from html import escape, unescape

import nh3
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.rules_core.smartquotes import process_inlines as smart_quotes_in
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

BODY_MAX_CHARS = 100_000  # about 16,000 words; a long feature is 60,000 characters
HTML_MAX_DEPTH = 64  # raw HTML tags open at once; Markdown's own nesting stays far below
SMART_QUOTES_MAX = 500  # quote marks in one paragraph

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


def _heading_ids(state):
    """An id on each h2-h4 from its text, made unique with -1, -2... The suffix for each
    text is remembered, so a thousand identical headings cost a thousand steps, not a
    million (the anchors plugin's own loop starts again from -1 every time)."""
    taken, next_suffix = set(), {}
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open" or token.tag not in ("h2", "h3", "h4"):
            continue
        title = "".join(
            child.content
            for child in state.tokens[index + 1].children or []
            if child.type in ("text", "code_inline")
        )
        base = slug = _heading_slug(title)
        suffix = next_suffix.get(base, 1)
        while slug in taken:
            slug = f"{base}-{suffix}"
            suffix += 1
        next_suffix[base] = suffix
        taken.add(slug)
        token.attrSet("id", slug)


def _bounded_smartquotes(state):
    """markdown-it's smart quotes, skipping paragraphs with more than SMART_QUOTES_MAX
    quote marks (its cost grows with the square of their number)."""
    if not state.md.options.typographer:
        return
    for token in state.tokens:
        if token.type != "inline" or token.children is None:
            continue
        quotes = token.content.count('"') + token.content.count("'")
        if 0 < quotes <= SMART_QUOTES_MAX:
            smart_quotes_in(token.children, state)


def _build_parser(*, html=True):  # pragma: no mutate block (runs once, at import)
    md = MarkdownIt("commonmark", {"html": html, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.core.ruler.at("smartquotes", _bounded_smartquotes)
    md.core.ruler.push("heading_ids", _heading_ids)
    md.use(container_plugin, name="spoiler", render=_render_spoiler)
    md.use(container_plugin, name="pullquote", render=_render_pullquote)
    return md


_parser = _build_parser()
_parser_without_html = _build_parser(html=False)  # raw HTML shown as text

# A start or end tag of raw HTML, and the elements that never have an end tag.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^<>]*?(/?)>")
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "param", "source", "track", "wbr",
}  # fmt: skip


def html_depth(text):
    """How many raw HTML tags are open at once, at most, in ``text`` (an estimate that
    counts a tag left unclosed as still open)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(text or ""):
        if self_closing or name.lower() in _VOID:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def check_body(text):
    """Refuse a body too long or too deeply nested to render quickly, in editors' words."""
    if len(text or "") > BODY_MAX_CHARS:
        raise ValidationError(
            "This text is %(length)s characters long; a story can be up to %(limit)s "
            "(about %(size)s). Split it into two stories, or cut it down.",
            code="body_too_long",
            params={
                "length": f"{len(text):,}",
                "limit": f"{BODY_MAX_CHARS:,}",
                "size": filesizeformat(BODY_MAX_CHARS),
            },
        )
    depth = html_depth(text)
    if depth > HTML_MAX_DEPTH:
        raise ValidationError(
            "This text has HTML tags open %(depth)d deep; the limit is %(limit)d. Close "
            "the tags you open, or use Markdown for lists, quotes and headings.",
            code="html_too_deep",
            params={"depth": depth, "limit": HTML_MAX_DEPTH},
        )


# Table cell alignment comes out as style="text-align:…"; styles are not kept.
_STYLE_ATTR = re.compile(r'\sstyle="text-align:(?:left|center|right)"')


def render_markdown(text):
    """Markdown in, sanitised HTML out."""
    parser = _parser if html_depth(text) <= HTML_MAX_DEPTH else _parser_without_html
    html = parser.render(text or "")
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
