"""Article Markdown: hostile input never reaches a reader as live HTML, and the good parts survive.

The hostile checks look at the tags and attributes a browser would build, not at escaped text.
"""

import html
import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from articles.markdown import (
    BODY_MAX_CHARS,
    HTML_MAX_DEPTH,
    SMART_QUOTES_MAX,
    check_body,
    headings,
    html_depth,
    reading_time,
    render_markdown,
    strip_spoilers,
)

FORBIDDEN_TAGS = (
    "script", "iframe", "object", "embed", "form", "input", "button", "style", "svg", "math",
    "meta", "link", "base", "noscript", "template",
)  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# Every attribute and class the sanitiser may let through, written out here rather than
# imported, so widening the allowlist in the code fails these tests until it is agreed.
EXPECTED_ATTRIBUTES = {
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
EXPECTED_CLASSES = {"details": {"spoiler"}, "figure": {"pullquote"}}
TEXT_ATTRIBUTES = {"alt", "title"}  # shown as text, never followed as a URL

EVENT_HANDLER = re.compile(r"\son\w+\s*=", re.I)
ATTRIBUTE = re.compile(r"""[\s/]([^\s"'=<>/]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
QUOTED_VALUE = re.compile(r""""[^"]*"|'[^']*'""")
WHITESPACE_AND_CONTROLS = re.compile(r"[\x00-\x20\x7f]+")


class _StartTags(HTMLParser):
    """Collects each start tag as (tag name, raw markup), the way a browser meets them."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, self.get_starttag_text()))


def start_tags(markup):
    parser = _StartTags()
    parser.feed(markup)
    parser.close()
    return parser.found


def attributes(markup):
    """(tag, attribute name, value as the browser reads it) for every attribute in the output."""
    return [
        (tag, name.lower(), html.unescape(value.strip("\"'")))
        for tag, raw in start_tags(markup)
        for name, value in ATTRIBUTE.findall(raw)
    ]


def as_url(value):
    """How a browser sees a URL: no case, no embedded tabs, newlines or control characters."""
    return WHITESPACE_AND_CONTROLS.sub("", html.unescape(value).lower())


HOSTILE = {
    # Raw HTML
    "script-tag": "<script>alert(1)</script>",
    "script-mixed-case": "<ScRiPt>alert(1)</sCrIpT>",
    "script-split-by-nesting": "<scr<script>ipt>alert(1)</script>",
    "img-onerror": '<img src="x" onerror="alert(1)">',
    "img-slash-separated": "<img/src=x/onerror=alert(1)>",
    "svg-onload": "<svg onload=alert(1)><circle r=1 /></svg>",
    "body-onload": "<body onload=alert(1)>text</body>",
    "details-ontoggle": "<details open ontoggle=alert(1)><summary>s</summary>x</details>",
    "a-onclick": '<a href="https://example.com" onclick="alert(1)">x</a>',
    "div-onmouseover": '<div onmouseover="alert(1)">hover me</div>',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "object-and-embed": '<object data="x.swf"></object><embed src="x.swf">',
    "form-and-input": (
        '<form action="https://evil.example/"><input type="password" name="p">'
        "<button formaction=javascript:alert(1)>Go</button></form>"
    ),
    "style-tag": "<style>body { display: none }</style>",
    "style-attribute": '<p style="position:fixed;inset:0;background:red">x</p>',
    "math-with-link": '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "link-and-base": '<link rel="stylesheet" href="//evil.example/x.css"><base href="//evil/">',
    "noscript-breakout": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "title-holding-script": '<a title="<script>alert(1)</script>" href="https://x.example">t</a>',
    # javascript: in raw links, plain and obfuscated
    "a-javascript": '<a href="javascript:alert(1)">x</a>',
    "a-javascript-upper-padded": '<a href="  JaVaScRiPt:alert(1)">x</a>',
    "a-javascript-tab-entity": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "a-javascript-decimal-entity": '<a href="&#106;avascript:alert(1)">x</a>',
    "a-javascript-colon-entity": '<a href="javascript&colon;alert(1)">x</a>',
    "a-javascript-newline": '<a href="java\nscript:alert(1)">x</a>',
    "a-javascript-control-char": '<a href="\x01javascript:alert(1)">x</a>',
    "a-vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "a-data-html": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "img-data-svg": '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    # Markdown links and images
    "md-link-javascript": "[x](javascript:alert(1))",
    "md-link-javascript-entity": "[x](&#106;avascript:alert(1))",
    "md-link-javascript-tab-entity": "[x](jav&#x09;ascript:alert(1))",
    "md-link-javascript-angle": "[x](<javascript:alert(1)>)",
    "md-link-vbscript": "[x](vbscript:msgbox(1))",
    "md-link-data": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "md-link-title-breakout": '[x](https://example.com "\\" onclick=\\"alert(1)")',
    "md-image-javascript": "![x](javascript:alert(1))",
    "md-image-data": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "md-image-alt-breakout": '![" onerror="alert(1)](https://example.com/a.png)',
    "md-reference-link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "md-reference-image": "![x][evil]\n\n[evil]: jav&#x09;ascript:alert(1)",
    # Autolinks
    "autolink-javascript": "<javascript:alert(1)>",
    "autolink-vbscript": "<vbscript:msgbox(1)>",
    "autolink-data": "<data:text/html,<script>alert(1)</script>>",
    # HTML inside tables and containers
    "table-cell-html": (
        "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | <script>alert(1)</script> |\n"
        "| <iframe src=//evil></iframe> | [x](javascript:alert(1)) |"
    ),
    "spoiler-title-img": ":::spoiler <img src=x onerror=alert(1)>\nbody\n:::",
    "spoiler-title-breakout": ":::spoiler </summary><script>alert(1)</script>\nbody\n:::",
    "spoiler-body-html": (
        ":::spoiler Ending\n<iframe src=//evil></iframe>\n\n"
        "<svg onload=alert(1)></svg>\n\n[x](javascript:alert(1))\n:::"
    ),
    "pullquote-body-html": ":::pullquote\n<img src=x onerror=alert(1)> <script>x</script>\n:::",
    # Unclosed tags and comments
    "unclosed-script": "<script>alert(1)",
    "unclosed-img": "<img src=x onerror=alert(1)",
    "unclosed-href": '<a href="javascript:alert(1)',
    "unclosed-details": "<details ontoggle=alert(1) open><summary>x",
    "comment-hiding-script": "before <!-- <script>alert(1)</script> --> after",
    "conditional-comment": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "cdata-hiding-script": "<![CDATA[<script>alert(1)</script>]]>",
    # Attributes and classes outside the allowlist
    "details-open-attribute": "<details open><summary>s</summary>x</details>",
    "details-extra-class": '<details class="spoiler evil"><summary>s</summary>x</details>',
    "paragraph-class": '<p class="x">hi</p>',
}


def assert_safe(rendered):
    tags = start_tags(rendered)
    lowered = rendered.lower()
    for forbidden in FORBIDDEN_TAGS:
        assert f"<{forbidden}" not in lowered, f"<{forbidden}> reaches the page"
        assert forbidden not in {tag for tag, _ in tags}, f"<{forbidden}> reaches the page"
    assert "<!--" not in rendered, "an HTML comment reaches the page"
    for tag, raw in tags:
        unquoted = QUOTED_VALUE.sub('""', raw).replace("/", " ")
        assert not EVENT_HANDLER.search(unquoted), f"event handler on <{tag}>: {raw}"
    for tag, name, value in attributes(rendered):
        if name == "class":
            assert set(value.split()) <= EXPECTED_CLASSES.get(tag, set()), f"<{tag} {value}>"
        else:
            assert name in EXPECTED_ATTRIBUTES.get(tag, set()), f"<{tag} {name}> reaches the page"
        if name in TEXT_ATTRIBUTES:
            continue
        url = as_url(value)
        for scheme in DANGEROUS_SCHEMES:
            assert scheme not in url, f"{scheme} URL in <{tag} {name}>: {value!r}"


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_never_reaches_the_reader(text):
    assert_safe(render_markdown(text))


def test_details_keeps_no_open_attribute():
    assert render_markdown("<details open><summary>s</summary>x</details>").startswith(
        "<details><summary>"
    )


def test_only_allowlisted_classes_survive():
    rendered = render_markdown('<details class="spoiler evil"><summary>s</summary>x</details>')
    assert '<details class="spoiler">' in rendered
    assert "evil" not in rendered
    assert render_markdown('<p class="x">hi</p>').strip() == "<p>hi</p>"


def test_comments_are_dropped_but_surrounding_text_stays():
    rendered = render_markdown("before <!-- secret note --> after")
    assert "secret note" not in rendered
    assert "before" in rendered and "after" in rendered


# The good parts


def test_table_renders_without_alignment_styles():
    rendered = render_markdown("| Film | Year |\n|:-----|-----:|\n| Heat | 1995 |")
    for tag in ("<table>", "<th>", "<td>"):
        assert tag in rendered
    assert "<td>Heat</td>" in rendered
    assert "style=" not in rendered


def test_the_contents_list_reads_headings_as_text():
    rendered = render_markdown("## A *great* show & its **cast**")
    assert headings(rendered) == [(2, "a-great-show-its-cast", "A great show & its cast")]


def test_a_heading_written_in_html_across_lines_is_in_the_contents():
    rendered = render_markdown('<h2 id="where">Where it\nwas filmed</h2>')
    assert headings(rendered) == [(2, "where", "Where it\nwas filmed")]


def test_headings_get_slug_ids_in_order():
    rendered = render_markdown("## The Cast\n\ntext\n\n### Behind the Scenes\n\n#### Deep")
    assert '<h2 id="the-cast">The Cast</h2>' in rendered
    assert '<h4 id="deep">' in rendered
    assert headings(rendered) == [
        (2, "the-cast", "The Cast"),
        (3, "behind-the-scenes", "Behind the Scenes"),
    ]


def test_duplicate_headings_get_distinct_ids():
    anchors = [anchor for _, anchor, _ in headings(render_markdown("## Review\n\n## Review"))]
    assert len(anchors) == 2
    assert anchors[0] == "review"
    assert len(set(anchors)) == 2


def test_spoiler_with_title():
    rendered = render_markdown(":::spoiler The ending\nEveryone survives.\n:::")
    assert '<details class="spoiler"><summary>Spoiler: The ending</summary>' in rendered
    assert "<p>Everyone survives.</p>" in rendered
    assert rendered.rstrip().endswith("</details>")


def test_spoiler_without_title():
    rendered = render_markdown(":::spoiler\nHidden.\n:::")
    assert "<summary>Spoiler</summary>" in rendered
    assert "<p>Hidden.</p>" in rendered


def test_pullquote():
    rendered = render_markdown("Before.\n\n:::pullquote\nA line worth repeating.\n:::\n\nAfter.")
    assert rendered == (
        "<p>Before.</p>\n"
        '<figure class="pullquote"><blockquote>\n<p>A line worth repeating.</p>\n'
        "</blockquote></figure>\n"
        "<p>After.</p>\n"
    )


def test_https_links_and_emphasis_survive():
    rendered = render_markdown("Read *this* and **that** at [the site](https://example.com/a?b=1).")
    assert "<em>this</em>" in rendered
    assert "<strong>that</strong>" in rendered
    assert '<a href="https://example.com/a?b=1">the site</a>' in rendered


def test_strip_spoilers_removes_only_the_spoiler():
    rendered = render_markdown("Before.\n\n:::spoiler Ending\nThe butler did it.\n:::\n\nAfter.")
    stripped = strip_spoilers(rendered)
    assert "butler" not in stripped
    assert "Ending" not in stripped
    assert "<p>Before.</p>" in stripped
    assert "<p>After.</p>" in stripped


def test_a_spoiler_holding_its_own_details_is_removed_whole():
    text = (
        ":::spoiler Ending\n<details><summary>a</summary>b</details>\n\n"
        "The butler did it.\n:::\n\nAfter."
    )
    stripped = strip_spoilers(render_markdown(text))
    assert "butler" not in stripped
    assert stripped.count("<details") == stripped.count("</details>") == 0
    assert "<p>After.</p>" in stripped


def test_spoilers_can_be_replaced_with_a_notice():
    rendered = render_markdown(":::spoiler\nSecret.\n:::\n\nKept.")
    assert strip_spoilers(rendered, "<p>Spoilers on the site.</p>").startswith(
        "<p>Spoilers on the site.</p>"
    )


# Reading time


def test_reading_time_of_nothing_is_one_minute():
    assert reading_time("") == (1, 1)


def test_reading_time_of_a_thousand_words():
    assert reading_time(" ".join(["word"] * 1000)) == (4, 6)


@pytest.mark.parametrize("words", [0, 1, 179, 180, 181, 265, 266, 999, 5000])
def test_reading_time_range_is_never_inverted(words):
    quick, unhurried = reading_time(" ".join(["word"] * words))
    assert 1 <= quick <= unhurried


# Bounded cost ------------------------------------------------------------------------------


def test_a_body_at_the_limit_is_accepted_and_one_character_more_is_refused():
    check_body("x" * BODY_MAX_CHARS)
    with pytest.raises(ValidationError) as refused:
        check_body("x" * (BODY_MAX_CHARS + 1))
    assert refused.value.code == "body_too_long"
    assert refused.value.messages == [
        "This text is 100,001 characters long; a story can be up to 100,000 (about 97.7\xa0KB). "
        "Split it into two stories, or cut it down."
    ]


def test_html_nested_past_the_limit_is_refused_with_how_to_fix_it():
    check_body("<div>" * HTML_MAX_DEPTH + "</div>" * HTML_MAX_DEPTH)
    with pytest.raises(ValidationError) as refused:
        check_body("<dl><dd>" * 40)
    assert refused.value.code == "html_too_deep"
    assert refused.value.messages == [
        "This text has HTML tags open 80 deep; the limit is 64. Close the tags you open, or "
        "use Markdown for lists, quotes and headings."
    ]


def test_closed_void_and_self_closing_tags_do_not_count_as_open():
    assert html_depth("<p>a</p>" * 500 + "<br>" * 500 + "<img src=x>" * 100 + "<span/>" * 100) == 1


def test_deep_html_stored_some_other_way_is_shown_as_text_not_parsed():
    html_out = render_markdown("<dl><dd>" * 1000 + "deep")
    assert "<dl>" not in html_out and "&lt;dl&gt;&lt;dd&gt;" in html_out and "deep" in html_out


def test_repeated_headings_get_distinct_ids_whatever_order_they_come_in():
    html_out = render_markdown("## a\n## a-1\n## a\n## a\n## a-1\n")
    assert re.findall(r'<h2 id="([^"]+)"', html_out) == ["a", "a-1", "a-2", "a-3", "a-1-1"]


def test_smart_quotes_are_kept_for_ordinary_paragraphs():
    assert render_markdown('She said "hello" and it\'s fine') == (
        "<p>She said \u201chello\u201d and it\u2019s fine</p>\n"
    )


def test_a_paragraph_with_thousands_of_quotes_keeps_straight_ones():
    text = "'a\" " * (SMART_QUOTES_MAX + 1)
    out = render_markdown(text)
    assert "\u201c" not in out and "\u2019" not in out and "'a\" 'a\"" in out


# Anchors, quotes, limits and spoilers, word for word ----------------------------------


def anchors(html):
    return re.findall(r'<h[2-6] id="([^"]+)"', html)


def test_a_heading_with_nothing_to_make_an_anchor_of_still_gets_one():
    assert render_markdown("## ???") == '<h2 id="section">???</h2>\n'


def test_code_in_a_heading_is_part_of_its_anchor():
    assert anchors(render_markdown("## The `git` saga")) == ["the-git-saga"]


def test_repeated_headings_get_numbered_anchors_that_never_collide():
    html = render_markdown("## Cast\n\n## Cast\n\n## Cast\n\n## Cast 1")
    assert anchors(html) == ["cast", "cast-1", "cast-2", "cast-1-1"]


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("It's here", "It’s here"),
        ('"Hello"', "“Hello”"),
        ("\"It's Tom's,\" she said", "“It’s Tom’s,” she said"),
    ],
)
def test_quote_marks_are_made_typographic(typed, shown):
    assert render_markdown(typed) == f"<p>{shown}</p>\n"


def test_a_paragraph_of_up_to_the_quote_limit_gets_typographic_quotes():
    assert render_markdown("a'b " * SMART_QUOTES_MAX).count("’") == SMART_QUOTES_MAX
    assert "’" not in render_markdown("a'b " * (SMART_QUOTES_MAX + 1))


def test_html_depth_counts_tags_open_at_once():
    assert html_depth("<div><div></div><div><div></div></div></div>") == 3
    assert html_depth("<p>a<br>b</p><div><div>x</div></div>") == 2  # <br> opens nothing


def test_html_up_to_the_depth_limit_is_read_as_html_and_deeper_is_shown_as_text():
    def nested(depth):
        return "<div>" * depth + "x" + "</div>" * depth

    assert render_markdown(nested(HTML_MAX_DEPTH)) == "x"  # <div> is not kept, its text is
    assert render_markdown(nested(HTML_MAX_DEPTH + 1)).startswith("<p>&lt;div&gt;&lt;div&gt;")


def test_an_empty_body_renders_as_nothing():
    assert render_markdown("") == ""


def test_tags_outside_the_house_list_are_dropped_and_their_text_kept():
    assert render_markdown("<center>x</center> <nav>y</nav>") == "x y"


def test_links_to_schemes_outside_the_house_list_lose_their_address():
    assert render_markdown("[files](ftp://example.com/f)") == "<p><a>files</a></p>\n"


def test_a_plain_details_block_is_no_spoiler_and_is_kept():
    html = "<details><summary>Cast list</summary><p>x</p></details>"
    assert strip_spoilers(html) == html


def test_a_spoiler_is_removed_without_a_trace():
    html = '<p>a</p><details class="spoiler"><summary>Spoiler</summary><p>b</p></details><p>c</p>'
    assert strip_spoilers(html) == "<p>a</p><p>c</p>"


def test_an_unfinished_spoiler_is_dropped_and_replaced():
    html = '<p>a</p><details class="spoiler"><p>b</p>'
    assert strip_spoilers(html, "<p>Spoilers.</p>") == "<p>a</p><p>Spoilers.</p>"
    html = '<p>a</p><details class="spoiler"><p>b</p></details><p>c</p><details class="spoiler">'
    assert strip_spoilers(html, "<p>S.</p>") == "<p>a</p><p>S.</p><p>c</p><p>S.</p>"
