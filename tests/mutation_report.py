"""The score of `make mutate`, per module, and the mutants the tests let live.

mutmut (configured under [tool.mutmut] in pyproject.toml) plants one small bug at a
time in the modules that hold the rules and runs the tests that reach it. A mutant the
tests notice is killed; one they do not has survived. Some survivors change nothing a
user could ever see (an equivalent mutant): those judged so are listed in EQUIVALENT
with the reason, and reported apart from the real gaps.

Most rules run in most tests (every page reads the publishing rule, every save renders
Markdown and renews the page cache), so trying each mutant against every test that
reaches it takes hours. ``make mutate`` tries each group of modules against the tests
written for it instead (GROUPS), each group in a copy of the project under .mutate/
(``--prepare`` makes them). A mutant those tests kill, the whole suite kills too, so the
score printed is a floor. ``mutmut run`` at the top of the project still tries every
mutant against every test that reaches it.

Run it after the groups have run (the Makefile does both): python tests/mutation_report.py
"""

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS_DIR = ROOT / ".mutate"
# Group -> (the modules mutated, the tests tried against them).
GROUPS = {
    "rules": (
        ["articles/models.py", "articles/services.py", "articles/previews.py"],
        [
            "tests/test_models.py", "tests/test_workflow.py", "tests/test_admin.py",
            "tests/test_hostile_content.py", "tests/test_query_budgets.py",
            "tests/test_security.py", "tests/test_trust.py",
        ],
    ),
    "markdown": (["articles/markdown.py"], ["tests/test_markdown.py"]),
    "feeds": (["articles/feeds.py"], ["tests/test_feeds.py", "tests/test_trust.py"]),
    "facts": (["shows/facts.py"], ["tests/test_trust.py"]),
    "images": (
        ["images/checks.py", "images/renditions.py", "images/fields.py", "images/models.py"],
        ["tests/test_images.py", "tests/test_image_library.py", "tests/test_project.py"],
    ),
    "cache": (
        ["newsroom/freshness.py", "newsroom/pagecache.py"], ["tests/test_page_cache.py"]
    ),
}  # fmt: skip
TARGET = 90.0  # per cent killed, per module

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests"}
STATUS.update({36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout"})
STATUS.update({-11: "killed", 139: "killed", -9: "killed"})  # crashed or out of memory: caught

# Mutant name -> why no test can tell it from the original (checked by hand).
_CAPFIRST = "the desk shows messages through capfirst: a lower-case first letter looks the same"
_HEADER_CASE = "Django's response headers are case-insensitive"
_SAME_STREAM = "another valid stream of the same page: readers decompress the same bytes"
_SAME_PIXELS = "converting a picture to the mode it has already gives the same pixels"
_NO_SUCH_MODE = (
    "reached only by modes with an alpha band outside the list (PA, La, RGBa), which no "
    "accepted format decodes to"
)
_RESAMPLING = "another resampling filter: the same picture, a few pixel values apart"
_SAME_SIZE = "resizing a picture to the size it has gives the same pixels"
_WIDTH_SET = "the widths are a set: the largest is in it once either way"
_RSS_ONLY = "those feeds are RSS only; only the Atom writer reads 'authors'"
_RAW_ALWAYS = "Django's pre_save and post_save always pass raw, so its default is never used"
_READ_ONLY = "only how much is read from the database: pages show the same"
EQUIVALENT = {
    "articles.feeds.xǁNewsroomAtomǁadd_item_elements__mutmut_47": (
        "no text is written for '' or None: the same empty element"
    ),
    "articles.feeds.x_payload_of__mutmut_7": _RSS_ONLY,
    "articles.feeds.x_payload_of__mutmut_8": _RSS_ONLY,
    "articles.services.x_with_fact_changes__mutmut_25": _READ_ONLY,
    "articles.services.x_with_fact_changes__mutmut_26": _READ_ONLY,
    "articles.services.x_with_fact_changes__mutmut_38": (
        "the database already left out the changes at or before the earliest check"
    ),
    "articles.models.xǁArticleQuerySetǁwith_stale_facts__mutmut_18": (
        "stories flagged by the same change come in the database's order without the key: "
        "both orders are right; the key only keeps the list still between loads"
    ),
    "articles.models.xǁArticleQuerySetǁwith_stale_facts__mutmut_35": (
        "SQLite takes the first row of a scalar subquery however many it returns; "
        "PostgreSQL refuses two, which the suite's PostgreSQL run catches"
    ),
    "shows.facts.x__remember__mutmut_1": _RAW_ALWAYS,
    "shows.facts.x__saved__mutmut_1": _RAW_ALWAYS,
    "shows.facts.x__remember__mutmut_2": (
        "a new row's stored facts are looked up and found to be none: the same None, one "
        "query more (raw saves are skipped after the save either way)"
    ),
    "shows.facts.x__remember__mutmut_4": (
        "'' or None for a new row: the save is logged as created either way"
    ),
    "shows.facts.x__saved__mutmut_7": (
        "the pre_save receiver always sets _facts_before before post_save reads it"
    ),
    "articles.feeds.xǁRenewalTrackerFeedǁchange_payload__mutmut_35": (
        "the tracker feed is RSS only; only the Atom writer reads 'authors'"
    ),
    "articles.feeds.xǁStoryFeedǁitem_payload__mutmut_16": (
        "no media element is written for '' or None alike"
    ),
    "articles.feeds.xǁStoryFeedǁitem_payload__mutmut_28": (
        "stored pictures always have a known extension, so the fallback type is never used"
    ),
    "articles.feeds.xǁStoryFeedǁitem_payload__mutmut_29": (
        "stored pictures always have a known extension, so the fallback type is never used"
    ),
    "articles.feeds.xǁStoryFeedǁitem_payload__mutmut_51": (
        "a stored picture always has a width: the fallback is never used"
    ),
    "articles.feeds.xǁStoryFeedǁitem_payload__mutmut_55": (
        "a stored picture always has a height: the fallback is never used"
    ),
    "articles.feeds.xǁNewsroomRssǁadd_item_elements__mutmut_26": (
        "no text is written for '' or None: the same empty element"
    ),
    "articles.feeds.xǁStoryFeedǁitems__mutmut_6": (
        "on SQLite, where mutation testing runs, the index on publish_at returns equal "
        "times newest key first anyway; the test holds the order on PostgreSQL too"
    ),
    "articles.models.x__clean_names__mutmut_5": "multiline=None and =False both mean one line",
    "articles.models.xǁArticleManagerǁget_queryset__mutmut_1": _READ_ONLY,
    "articles.models.xǁArticleQuerySetǁfor_cards__mutmut_3": _READ_ONLY,
    "articles.models.xǁArticleQuerySetǁfor_cards__mutmut_4": _READ_ONLY,
    "articles.services.x_role_group__mutmut_43": (
        "every codename granted in one app is granted in the others that share it (tags in "
        "taggit and articles): the same permissions"
    ),
    "articles.models.xǁArticleǁsave__mutmut_5": "no caller passes save() positional arguments",
    "articles.models.xǁArticleǁsave__mutmut_6": (
        "with one database, and no caller passing update_fields, save() with and without "
        "its keyword arguments writes the same row"
    ),
    "articles.models.xǁCleanTagManagerǁadd__mutmut_2": (
        "no caller passes keyword arguments (through_defaults=): the same tags"
    ),
    "images.checks.x__to_srgb__mutmut_35": _SAME_PIXELS,
    "images.checks.x__to_srgb__mutmut_36": _SAME_PIXELS,
    "images.checks.x__to_srgb__mutmut_37": _SAME_PIXELS,
    "images.checks.x__to_srgb__mutmut_38": _SAME_PIXELS,
    "images.checks.x__to_srgb__mutmut_47": _NO_SUCH_MODE,
    "images.checks.x__to_srgb__mutmut_49": _NO_SUCH_MODE,
    "images.checks.x__to_srgb__mutmut_50": _NO_SUCH_MODE,
    "images.checks.x__to_srgb__mutmut_51": _NO_SUCH_MODE,
    "images.checks.x__to_srgb__mutmut_52": _NO_SUCH_MODE,
    "images.renditions.x_make_renditions__mutmut_11": _WIDTH_SET,
    "images.renditions.x_make_crops__mutmut_20": _WIDTH_SET,
    "images.fields.xǁCheckedImageFieldǁupdate_dimension_fields__mutmut_1": (
        "reading the size on every load gives the same size, only slower"
    ),
    "images.fields.xǁCheckedImageFieldǁupdate_dimension_fields__mutmut_3": (
        "force=None and force=False both mean: only when the size is unknown"
    ),
    **{
        f"images.fields.xǁCheckedImageFieldǁupdate_dimension_fields__mutmut_{n}": (
            "Django passes the instance and force alone: nothing else to pass on"
        )
        for n in (5, 6, 7)
    },
    "images.models.xǁImageǁsave__mutmut_15": (
        "an empty list and None both mean: no old crops to remove"
    ),
    "images.renditions.x__write__mutmut_10": (
        "how many threads resize and encode changes only how soon: the same files"
    ),
    **{
        f"images.renditions.x__write__mutmut_{n}": (
            "the lists zipped are made one from the other: always the same length"
        )
        for n in (25, 28, 29, 40, 43, 44)
    },
    "images.renditions.x__resized__mutmut_1": _SAME_SIZE,
    "images.renditions.x__resized__mutmut_6": _RESAMPLING,
    "images.renditions.x__resized__mutmut_8": _RESAMPLING,
    "images.fields.xǁCheckedImageFieldFileǁsave__mutmut_27": (
        "the only model with a checked image field is the library's Image, which has a focal point"
    ),
    "images.renditions.x_crop_box__mutmut_3": (
        "a picture of exactly the ratio gets the same box from either branch: all of it"
    ),
    "images.models.xǁImageǁsave__mutmut_26": "no caller passes save() positional arguments",
    "images.models.xǁImageǁsave__mutmut_27": (
        "with one database, and no caller passing update_fields, save() with and without "
        "its keyword arguments writes the same row"
    ),
    "articles.markdown.x__render_spoiler__mutmut_10": (
        "the sanitiser writes tags in lower case again: the same HTML"
    ),
    "articles.markdown.x__render_pullquote__mutmut_6": (
        "the sanitiser writes tags in lower case again: the same HTML"
    ),
    "articles.models.xǁCleanTagManagerǁset__mutmut_3": (
        "no caller passes keyword arguments (clear=, through_defaults=): the same tags"
    ),
    "articles.services.x_can_see__mutmut_2": (
        "an inactive user cannot sign in, and a signed-in non-staff user has no role "
        "permission, which the next check requires"
    ),
    "articles.services.x_publishing_warnings__mutmut_6": _CAPFIRST,
    "articles.services.x_publishing_warnings__mutmut_13": _CAPFIRST,
    "articles.services.x_transition__mutmut_80": _CAPFIRST,
    "articles.services.x_transition__mutmut_1": (
        "every caller (the story form, apply()) passes the note"
    ),
    "articles.markdown.x__heading_ids__mutmut_29": (
        "where the search for a free number starts changes only how soon it is found"
    ),
    "articles.markdown.x__heading_ids__mutmut_46": (
        "the sanitiser reads attribute names in lower case: the same id"
    ),
    "articles.markdown.x__bounded_smartquotes__mutmut_2": (
        "only inline tokens have children: the same tokens are skipped"
    ),
    "articles.markdown.x__bounded_smartquotes__mutmut_15": (
        "a paragraph without quote marks has none to change"
    ),
    "articles.markdown.x_html_depth__mutmut_5": "an empty text and 'XXXX' both hold no tag",
    "articles.markdown.x_render_markdown__mutmut_28": "nh3 strips comments unless told not to",
    "images.checks.x__too_many_pixels__mutmut_7": (
        "the limit is shown in whole megapixels: dividing by 1,000,001 prints the same"
    ),
    "images.fields.xǁCheckedImageFieldFileǁsave__mutmut_11": (
        "save=None and save=False both mean: do not save the row yet"
    ),
    "images.fields.xǁCheckedImageFieldǁpre_save__mutmut_3": (
        "Django's FileField.pre_save does not read 'add'"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_23": _HEADER_CASE,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_24": _HEADER_CASE,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_76": _HEADER_CASE,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_77": _HEADER_CASE,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁserve__mutmut_29": _HEADER_CASE,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁserve__mutmut_34": _HEADER_CASE,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁserve__mutmut_48": _HEADER_CASE,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁserve__mutmut_49": _HEADER_CASE,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_72": (
        "every Django response has a Content-Type"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_74": (
        "every Django response has a Content-Type"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_101": _SAME_STREAM,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_103": _SAME_STREAM,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_104": _SAME_STREAM,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_118": _SAME_STREAM,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁencoding__mutmut_9": (
        "no header and a header naming no encoding both give the page as it is"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁ__call____mutmut_13": _HEADER_CASE,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁ__call____mutmut_14": _HEADER_CASE,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁ__call____mutmut_44": (
        "only how long an unchanged page stays stored: every reader gets the same page"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_15": (
        "no Vary header and a Vary without 'cookie' are the same"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_45": (
        "every view that sets its own Cache-Control says public, or is not stored"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁnot_modified__mutmut_17": (
        "an ETag is hexadecimal: stripping X as well as quotes changes nothing"
    ),
    "newsroom.freshness.x__next_change_due__mutmut_5": (
        "a draft's date only makes one more generation: readers see the same pages"
    ),
    "newsroom.freshness.x__touches_reviews__mutmut_11": (
        "tag changes would renew the ratings token too: one more render, never a stale one"
    ),
    "newsroom.freshness.x__touches_reviews__mutmut_2": (
        "a change with no sender renews the shows token, and the ratings table is stored "
        "under both tokens: it is made again either way"
    ),
    "newsroom.freshness.x__touches_reviews__mutmut_12": (
        "tag changes would renew the ratings token too: one more render, never a stale one"
    ),
    "newsroom.freshness.x__touches_reviews__mutmut_13": (
        "tag changes would renew the ratings token too: one more render, never a stale one"
    ),
    "newsroom.freshness.x__touches_reviews__mutmut_14": (
        "tag changes would renew the ratings token too: one more render, never a stale one"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁ__call____mutmut_42": (
        "only how long an unchanged page stays stored: every reader gets the same page"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_13": _HEADER_CASE,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_14": _HEADER_CASE,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_25": (
        "no Cache-Control and one reading 'XXXX' both name none of the words looked for"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_31": (
        "every view of ours that says no-cache also says private and no-store"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_78": (
        "every Django response has a Content-Type"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_102": _SAME_STREAM,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁserve__mutmut_38": _HEADER_CASE,
    "images.fields.xǁCheckedImageFieldǁdeconstruct__mutmut_2": (
        "the migration check compares two fields deconstructed by the same method; the "
        "running site builds its fields from models.py, not from migrations"
    ),
    "newsroom.freshness.x__next_change_due__mutmut_14": (
        "any story's third day, not only a lead's, would end a generation: one more render, "
        "never a stale page"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_99": _SAME_STREAM,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁserve__mutmut_33": _HEADER_CASE,
    "newsroom.freshness.x__next_change_due__mutmut_16": (
        "a lead not yet out is a scheduled story, whose own time comes first anyway"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_67": (
        "only whether a page of exactly 512 bytes is also kept compressed: readers get "
        "the same page either way"
    ),
    "newsroom.pagecache.xǁPageCacheMiddlewareǁentries__mutmut_117": _SAME_STREAM,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁserve__mutmut_30": _HEADER_CASE,
    "newsroom.pagecache.xǁPageCacheMiddlewareǁencoding__mutmut_25": (
        "only whether a quality is above 0 matters, and 1.0 and 2.0 both are"
    ),
}


def out(line=""):
    sys.stdout.write(f"{line}\n")


def prepare():
    """A copy of the project for each group, whose mutmut settings name its modules and
    its tests."""
    shutil.rmtree(RUNS_DIR, ignore_errors=True)
    skip = shutil.ignore_patterns(
        ".*", "mutants", "media", "staticfiles", "test-artifacts", "*.sqlite3", "__pycache__"
    )
    for group, (modules, tests) in GROUPS.items():
        copy = RUNS_DIR / group
        shutil.copytree(ROOT, copy, ignore=skip)
        pyproject = copy / "pyproject.toml"
        settings = (
            f"only_mutate = {json.dumps(modules)}\n"
            f"pytest_add_cli_args_test_selection = {json.dumps(tests)}"
        )
        text, found = re.subn(r"only_mutate = \[.*?\]", settings, pyproject.read_text(), flags=re.S)
        if not found:
            sys.exit("pyproject.toml has no [tool.mutmut] only_mutate list to replace.")
        pyproject.write_text(text)


def results():
    """(run's directory, module, mutant, status) for every mutant of every group's run
    (or of a run of everything at the top of the project, if no group has run)."""
    runs = sorted(RUNS_DIR.glob("*/")) if RUNS_DIR.exists() else [ROOT]
    for run in runs:
        for meta in sorted((run / "mutants").rglob("*.py.meta")):
            module = str(meta.relative_to(run / "mutants")).removesuffix(".meta")
            codes = json.loads(meta.read_text())["exit_code_by_key"]
            for name, code in codes.items():
                status = STATUS.get(code, "not checked" if code is None else "suspicious")
                yield run, module, name, status


def main():
    by_module, survivors = {}, []
    for run, module, name, status in results():
        if status == "survived" and name in EQUIVALENT:
            status = "equivalent"
        by_module.setdefault(module, Counter())[status] += 1
        if status == "survived":
            survivors.append((run, name))
    if not by_module:
        sys.exit("No mutation results: run `mutmut run` first (make mutate does).")

    out(f"{'module':<24} {'mutants':>7} {'killed':>7} {'equiv.':>7} {'survived':>8} {'score':>7}")
    below = []
    for module, counts in by_module.items():
        killed = counts["killed"] + counts["timeout"]
        judged = sum(counts.values()) - counts["equivalent"] - counts["not checked"]
        score = 100.0 * killed / judged if judged else 0.0
        if score < TARGET:
            below.append(module)
        out(
            f"{module:<24} {sum(counts.values()):>7} {killed:>7} {counts['equivalent']:>7} "
            f"{counts['survived'] + counts['no tests']:>8} {score:>6.1f}%"
        )
    if counts_unchecked := sum(c["not checked"] for c in by_module.values()):
        out(f"\n{counts_unchecked} mutants were not checked (the run was cut short).")
    out(f"\nSurviving mutants ({len(survivors)}); `mutmut show <name>` prints the change:")
    for run, name in survivors:
        diff = subprocess.run(
            [sys.executable, "-m", "mutmut", "show", name],
            cwd=run,
            capture_output=True,
            text=True,
        ).stdout
        changed = [
            line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"
        ]
        out(f"  {name}")
        for line in changed:
            out(f"      {line.strip()}")
    if EQUIVALENT:
        out("\nJudged equivalent:")
        for name, reason in EQUIVALENT.items():
            out(f"  {name}: {reason}")
    if below:
        out(f"\nBelow {TARGET:g}%: {', '.join(below)}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--prepare"]:
        prepare()
    else:
        main()
