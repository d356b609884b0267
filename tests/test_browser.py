"""The newsroom in a real browser: Debian's Chromium driven by Playwright.

A writer writes a review with a table and a spoiler, watches the live
preview and submits it; an editor finds it in the review queue, previews it,
schedules it and then publishes it; readers see it on the home page, in its
section and on its show page with the spoiler still closed. Each step is
saved as a screenshot under test-artifacts/browser/.
"""

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Article

from .factories import SeasonFactory, ShowFactory, UserFactory, WriterFactory, newsroom_group

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "browser"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not shutil.which(CHROMIUM),
        reason=f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REVIEW_BODY = """\
The first episode sets the tone.

| Episode | Verdict |
| --- | --- |
| 1 | Gripping |
| 2 | Slower |

:::spoiler Who did it
The neighbour, all along.
:::
"""


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Playwright's sync API runs an event loop in this thread; the test's own database
    # calls are synchronous and safe, so let Django make them while the browser is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def newsroom(live_server):
    """A show, a writer and an editor (in the real groups), on a live server."""
    show = ShowFactory(title="Harbour Lights", slug="harbour-lights")
    season = SeasonFactory(show=show, number=1, episode_count=6)
    people = {}
    for username, group, name in (
        ("writer", "Writers", "Tom Reilly"),
        ("editor", "Editors", "Maya Okafor"),
    ):
        user = UserFactory(username=username, is_staff=True)
        user.groups.add(newsroom_group(group))
        WriterFactory(name=name, user=user)
        people[username] = user
    return {"url": live_server.url, "show": show, "season": season, **people}


# Every page a test opens reports Content-Security-Policy violations here (Chromium logs
# each one to the console); each test ends by asserting there were none.
CSP_VIOLATIONS = []


def watch_csp(context):
    def note(message):
        if "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", note)
    return context


@pytest.fixture(autouse=True)
def no_csp_violations():
    CSP_VIOLATIONS.clear()
    yield
    assert CSP_VIOLATIONS == []


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(browser, base, username):
    context = watch_csp(browser.new_context(viewport={"width": 1280, "height": 900}))
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page


def choose(page, field_id, text):
    """Pick an option in one of the admin's autocomplete (select2) boxes."""
    page.click(f"[aria-labelledby='select2-{field_id}-container']")
    page.fill(".select2-search__field", text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_a_review_goes_from_writer_to_readers(browser, newsroom):
    base = newsroom["url"]

    # The writer writes, with the live preview beside the body, and submits.
    writer = log_in(browser, base, "writer")
    shot(writer, "01-writer-desk")
    writer.goto(f"{base}/admin/articles/review/add/")
    writer.fill("#id_title", "Harbour Lights season 1 review")
    writer.fill("#id_body", REVIEW_BODY)
    preview = writer.frame_locator(".markdown-preview iframe")
    preview.locator("table td", has_text="Gripping").wait_for()
    assert preview.locator("details.spoiler summary").inner_text() == "Spoiler: Who did it"
    shot(writer, "02-writer-live-preview")
    choose(writer, "id_show", "Harbour Lights")
    choose(writer, "id_season", "Harbour Lights, season 1")
    writer.select_option("#id_rating", "4.0")
    writer.fill("#id_verdict", "Worth the trip.")
    assert "Tom Reilly" in writer.inner_text("#bylines-group")  # the byline starts with them
    writer.click("#publish-panel button[name=_save]")
    writer.wait_for_selector("button[value=submit]")
    writer.click("button[value=submit]")
    writer.locator(".messagelist", has_text="Submitted for review").wait_for()
    shot(writer, "03-writer-submitted")
    review = Article.objects.get(slug="harbour-lights-season-1-review")
    assert review.status == Article.Status.IN_REVIEW

    # The editor finds it in the queue, previews it, schedules it, then publishes it.
    editor = log_in(browser, base, "editor")
    queue = editor.locator("section.newsroom-queue", has_text="In review")
    queue.get_by_role("link", name="Harbour Lights season 1 review").click()
    shot(editor, "04-editor-opens-from-queue")
    with editor.expect_popup() as popup:
        editor.click("#publish-panel .preview-link")
    preview_page = popup.value
    preview_page.wait_for_load_state()
    assert "Preview: this story is in review" in preview_page.content()
    shot(preview_page, "05-editor-preview")
    preview_page.close()

    when = timezone.localtime() + timedelta(days=1)
    editor.click("#publish-panel summary:has-text('Schedule')")
    editor.fill("#id_schedule_at_0", when.date().isoformat())
    editor.fill("#id_schedule_at_1", "09:30")
    editor.click("button[value=schedule]")
    editor.locator(".messagelist", has_text="Scheduled for").wait_for()
    shot(editor, "06-editor-scheduled")
    review.refresh_from_db()
    assert review.is_scheduled

    editor.click("button[value=publish]")
    editor.locator(".messagelist", has_text="Published").wait_for()
    shot(editor, "07-editor-published")
    review.refresh_from_db()
    assert review.is_public

    # Readers see it everywhere it belongs, the spoiler closed until they open it.
    reader = watch_csp(browser.new_context(viewport={"width": 390, "height": 844})).new_page()
    for name, path in (
        ("08-reader-home", "/"),
        ("09-reader-section", "/reviews/"),
        ("10-reader-show", "/shows/harbour-lights/"),
    ):
        reader.goto(base + path)
        assert reader.get_by_role("link", name="Harbour Lights season 1 review").count() >= 1
        shot(reader, name)
    reader.get_by_role("link", name="Harbour Lights season 1 review").first.click()
    spoiler = reader.locator("details.spoiler")
    assert spoiler.get_attribute("open") is None
    assert not reader.get_by_text("The neighbour, all along.").is_visible()
    shot(reader, "11-reader-review-spoiler-closed")
    spoiler.locator("summary").click()
    assert reader.get_by_text("The neighbour, all along.").is_visible()
    shot(reader, "12-reader-opens-spoiler")


def test_no_desk_screen_breaks_its_content_security_policy(browser, newsroom):
    """The desk's busiest screens, with their scripts running."""
    from django.core.management import call_command

    call_command("demo", verbosity=0)
    base = newsroom["url"]  # the public pages: see test_every_page_type_at_both_widths…
    editor = log_in(browser, base, "editor")
    review = Article.objects.get(slug="run-away-season-1-review")
    for path in (
        "/admin/articles/article/",
        f"/admin/articles/review/{review.pk}/change/",
        f"/admin/articles/review/{review.pk}/history/",
        "/admin/shows/show/",
        "/admin/articles/tag/",
        "/admin/two-factor/",
    ):
        editor.goto(base + path)
        editor.wait_for_load_state("networkidle")
    editor.goto(f"{base}/admin/articles/review/{review.pk}/change/")
    editor.fill("#id_body", "## Live\n\n| a | b |\n| --- | --- |\n| 1 | 2 |")
    editor.frame_locator(".markdown-preview iframe").locator("table").wait_for()
    editor.locator("#autosave-state", has_text="Autosaved at").wait_for()
    choose(editor, "id_show", "Run Away")


def test_on_a_phone_the_header_is_one_short_row_and_its_menu_opens_without_javascript(
    browser, newsroom
):
    base = newsroom["url"]
    for scheme in ("light", "dark"):
        context = watch_csp(
            browser.new_context(
                viewport={"width": 390, "height": 844}, java_script_enabled=False,
                color_scheme=scheme,
            )
        )  # fmt: skip
        page = context.new_page()
        page.goto(f"{base}/")
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 64, header
        assert not page.locator(".menu nav").is_visible()
        shot(page, f"phone-home-{scheme}")
        page.click(".menu summary")
        assert page.locator(".menu nav a", has_text="Renewal tracker").is_visible()
        assert page.locator(".site-header").bounding_box()["height"] <= 64  # it drops over
        shot(page, f"phone-menu-{scheme}")
        page.click(".search-link")
        page.wait_for_url(f"{base}/search/")
        context.close()
    desktop = watch_csp(browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
    desktop.goto(f"{base}/")
    assert desktop.locator(".site-nav a", has_text="Reviews").is_visible()
    assert desktop.locator("#site-search").is_visible()
    assert not desktop.locator(".menu").is_visible()
    shot(desktop, "desktop-home")


def test_an_editor_sets_a_pictures_focal_point_by_clicking_on_it(browser, newsroom):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image as Picture

    from images.models import Image

    out = io.BytesIO()
    Picture.new("RGB", (1280, 720), (30, 60, 120)).save(out, "PNG")
    image = Image(title="Harbour Lights key art", alt="A lighthouse at night")
    image.file.save("harbour-lights.png", ContentFile(out.getvalue()), save=True)
    page = log_in(browser, newsroom["url"], "editor")
    page.goto(f"{newsroom['url']}/admin/images/image/{image.pk}/change/")
    picture = page.locator(".focal-picker img")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.8, "y": box["height"] * 0.25})
    assert abs(float(page.input_value("#id_focal_x")) - 0.8) < 0.01
    assert abs(float(page.input_value("#id_focal_y")) - 0.25) < 0.01
    marker = page.locator(".focal-marker").bounding_box()
    assert abs(marker["x"] + marker["width"] / 2 - (box["x"] + box["width"] * 0.8)) < 3
    shot(page, "image-library-focal-point")
    page.click("input[name=_save]")
    page.wait_for_url(f"{newsroom['url']}/admin/images/image/")
    shot(page, "image-library-list")
    image.refresh_from_db()
    assert abs(image.focal_x - 0.8) < 0.01 and abs(image.focal_y - 0.25) < 0.01


# axe-core, where `make page-tools` installed it: accessibility rules run in the page.
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE = AXE if AXE.exists() else None


AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def no_sideways_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_the_desk_from_autosave_to_a_live_storys_draft(browser, newsroom):
    """A writer's work survives a reload; an editor compares, schedules, publishes, then
    prepares changes to the live story as a draft, previews them and publishes them. Each
    step is a screenshot (desk-*.png); the editor checks the story on a phone too."""
    base = newsroom["url"]

    # The writer types; the work is autosaved; leaving asks first; a reload recovers it.
    writer = log_in(browser, base, "writer")
    writer.goto(f"{base}/admin/articles/review/add/")
    writer.fill("#id_title", "Harbour Lights season 1 review")
    writer.fill("#id_body", "The first episode sets the tone.\n\nThe second one drifts.")
    assert writer.inner_text(".word-count") == "10 words · 1 min read"
    writer.locator("#autosave-state", has_text="Autosaved at").wait_for()
    shot(writer, "desk-01-writer-autosaved")
    dialogs = []
    writer.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    writer.reload()
    assert dialogs == ["beforeunload"]  # "Leave site? Changes you made may not be saved."
    writer.locator(".autosave-offer").wait_for()
    shot(writer, "desk-02-writer-offered-recovery")
    writer.click(".autosave-offer a:has-text('Recover it')")
    assert writer.input_value("#id_title") == "Harbour Lights season 1 review"
    assert "The second one drifts." in writer.input_value("#id_body")
    shot(writer, "desk-03-writer-recovered")
    choose(writer, "id_show", "Harbour Lights")
    choose(writer, "id_season", "Harbour Lights, season 1")
    writer.select_option("#id_rating", "4.0")
    writer.fill("#id_verdict", "Worth the trip.")
    writer.click("#publish-panel button[name=_save]")
    writer.locator(".messagelist", has_text="as a draft").wait_for()
    writer.click("button[value=submit]")
    writer.locator(".messagelist", has_text="Submitted for review").wait_for()
    review = Article.objects.get(slug="harbour-lights-season-1-review")
    assert review.status == Article.Status.IN_REVIEW
    assert not review.drafts.exists()  # saved: the autosave is gone

    # The editor reviews: tightens the verdict, compares the versions, schedules.
    editor = log_in(browser, base, "editor")
    change = f"{base}/admin/articles/review/{review.pk}/change/"
    editor.goto(change)
    assert "In review" in editor.inner_text("#publish-panel .publish-status")
    editor.fill("#id_verdict", "Worth the trip, twice.")
    editor.click("#publish-panel button[name=_save]")
    editor.locator(".messagelist", has_text="Saved").wait_for()
    editor.goto(f"{change.removesuffix('change/')}history/")
    shot(editor, "desk-04-editor-history")
    editor.click("text=Compare the selected versions")
    assert "<del>trip.</del><ins>trip, twice.</ins>" in editor.inner_html(".diff-table")
    shot(editor, "desk-05-editor-compares")
    editor.goto(change)
    when = timezone.localtime() + timedelta(days=1)
    editor.click("#publish-panel summary:has-text('Schedule')")
    editor.fill("#id_schedule_at_0", when.date().isoformat())
    editor.fill("#id_schedule_at_1", "09:30")
    shot(editor, "desk-06-editor-schedules")
    editor.click("button[value=schedule]")
    editor.locator(".messagelist", has_text="Scheduled for").wait_for()
    assert "Scheduled for" in editor.inner_text("#publish-panel .publish-status")
    assert "(Europe/London)" in editor.inner_text("#publish-panel .publish-status")
    shot(editor, "desk-07-editor-scheduled")
    editor.click("button[value=publish]")
    editor.locator(".messagelist", has_text="Published").wait_for()

    # The live story, changed as a draft: readers keep the old headline until published.
    reader = watch_csp(browser.new_context(viewport={"width": 390, "height": 844})).new_page()
    review.refresh_from_db()
    editor.fill("#id_title", "Harbour Lights season 1 review: a slow tide")
    editor.click("#publish-panel button[name=_save]")
    editor.locator(".messagelist", has_text="unpublished changes").wait_for()
    assert "with unpublished changes" in editor.inner_text("#publish-panel .publish-status")
    shot(editor, "desk-08-editor-draft-of-live-story")
    reader.goto(base + review.get_absolute_url())
    assert "a slow tide" not in reader.content()
    with editor.expect_popup() as popup:
        editor.click("#publish-panel .preview-link")
    preview = popup.value
    preview.wait_for_load_state()
    assert (
        "a slow tide" in preview.content() and "Preview of unpublished changes" in preview.content()
    )
    shot(preview, "desk-09-editor-previews-changes")
    preview.close()
    editor.click("#publish-panel button[name=_publish_changes]")
    editor.locator(".messagelist", has_text="Changes published").wait_for()
    shot(editor, "desk-10-editor-published-changes")
    # A new reader (the first one's browser may keep its copy for a minute, as told).
    newcomer = watch_csp(browser.new_context(viewport={"width": 390, "height": 844})).new_page()
    newcomer.goto(base + review.get_absolute_url())
    assert "a slow tide" in newcomer.content()

    # The editor checks the story on a phone: the panel fits, nothing scrolls sideways.
    phone = watch_csp(browser.new_context(viewport={"width": 390, "height": 844})).new_page()
    phone.goto(f"{base}/admin/login/?next=/admin/")
    phone.fill("#id_username", "editor")
    phone.fill("#id_password", "correct horse battery staple")
    phone.click("input[type=submit]")
    phone.goto(change)
    assert phone.locator("#publish-panel button[name=_save]").is_visible()
    assert no_sideways_scroll(phone)
    shot(phone, "desk-11-editor-on-a-phone")
    phone.goto(f"{change.removesuffix('change/')}history/")
    assert no_sideways_scroll(phone)
    shot(phone, "desk-12-phone-history")
    phone.click("text=Compare the selected versions")
    assert phone.locator(".diff-table ins").count() >= 1
    assert no_sideways_scroll(phone)
    shot(phone, "desk-13-phone-compare")
    phone.goto(change)
    with phone.expect_popup() as popup:
        phone.click("#publish-panel .preview-link")
    popup.value.wait_for_load_state()
    assert no_sideways_scroll(popup.value)
    shot(popup.value, "desk-14-phone-preview")


def axe_violations(page):
    """What axe finds wrong on the page as shown, by the rules of WCAG 2.2 AA and axe's
    best practices, whatever the impact (heading order, target size, landmarks...)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # run by the browser's tools: no page script needed
    return page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: "tag", values: tags}}))
            .violations.map(v => `${v.id} (${v.impact}): ` +
                v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))""",
        AXE_RULES,
    )


PAGE_TYPES = {
    "home": "/",
    "review": "/reviews/run-away-season-1-review/",
    "explainer": "/explainers/is-run-away-a-true-story/",
    "renewal": "/renewals/run-away-season-2-renewal-status/",
    "renewal-moved-on": "/renewals/will-copper-hill-get-a-second-season/",
    "news": "/news/{news}/",
    "section": "/reviews/",
    "show": "/shows/run-away/",
    "show-index": "/shows/",
    "tracker": "/renewal-tracker/",
    "person": "/people/james-nesbitt/",
    "writer": "/writers/maya-okafor/",
    "tag": "/tags/netflix/",
    "search": "/search/?q=run",
    "corrections": "/corrections/",
    "people": "/people/",
    "404": "/no-such-page/",
}
STORIES = ("review", "explainer", "renewal", "news")


def test_every_page_type_at_both_widths_and_in_both_schemes(browser, newsroom):
    """Screenshots of each page type at 390 and 1280 px, light and dark, saved as
    artifacts; none scrolls sideways. On a phone a story's headline, standfirst, byline
    and picture are on the first screen; on a wide screen the show's card sits in a
    column of its own, right of the text."""
    from django.core.management import call_command

    from articles.models import Article as Story

    from .factories import ArticleFactory, ImageFactory

    call_command("demo", verbosity=0)
    news = ArticleFactory(
        title="Netflix sets a date for its next Coben thriller", slug="next-coben-date",
        show=Story.objects.get(slug="run-away-season-1-review").show,
        dek="The streamer's New Year's Day habit continues.", hero=ImageFactory(size=(1200, 675)),
    )  # fmt: skip
    base = newsroom["url"]
    for scheme in ("light", "dark"):
        for width, height in ((390, 844), (1280, 900)):
            context = watch_csp(
                browser.new_context(
                    viewport={"width": width, "height": height}, color_scheme=scheme
                )
            )
            page = context.new_page()
            page.set_default_timeout(5_000)
            for name, path in PAGE_TYPES.items():
                page.goto(base + path.format(news=news.slug))
                wide = page.evaluate("document.documentElement.scrollWidth > innerWidth")
                assert not wide, f"{name} scrolls sideways at {width} px"
                if name in STORIES:
                    check_story_layout(page, name, width, height)
                shot(page, f"page-{name}-{width}-{scheme}")
                if AXE:
                    problems = axe_violations(page)
                    assert problems == [], f"{name} at {width} px, {scheme}: {problems}"
            context.close()


def check_story_layout(page, name, width, height):
    top = {
        part: page.locator(selector).first.bounding_box()
        for part, selector in (
            ("headline", ".story h1"), ("standfirst", ".story-header .dek"),
            ("byline", ".byline"), ("picture", ".hero img"), ("opening", ".body-opening"),
            ("rail", ".story > .rail"),
        )
    }  # fmt: skip
    if width < 500:
        for part in ("headline", "standfirst", "byline"):
            assert top[part]["y"] + top[part]["height"] <= height, (name, part)
        assert top["picture"]["y"] < height - 100, name  # the picture starts on screen one
        assert top["rail"]["y"] > top["opening"]["y"], name  # facts after the opening
    else:
        assert top["rail"]["x"] >= top["opening"]["x"] + top["opening"]["width"] + 16, name
        assert top["rail"]["y"] < top["opening"]["y"] + top["opening"]["height"] + 400, name
