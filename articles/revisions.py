"""What a version of a story says, field by field, and how two versions differ.

A *snapshot* is one version of a story as plain data: its own fields, and its
relations (byline, shows, people, tags, "Also read", hero image with its text).
It is made from the story as saved (``snapshot_of``), from a revision in its
history (the revision's columns and the relations recorded with it), or from a
form that was not saved to the story (a draft of changes: ``snapshot_of_form``).
The compare page diffs two snapshots; a preview of unpublished changes
applies one to the story in memory (``apply``).
"""

import difflib
import re
from decimal import Decimal

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from images.models import Image
from people.models import Person, Writer
from shows.models import Season, Show, StatusChange

from .models import Article, Byline, Tag

TEXT_FIELDS = [
    ("title", "Headline"),
    ("slug", "Address"),
    ("dek", "Standfirst"),
    ("body", "Body"),
    ("verdict", "Verdict"),
    ("watch_if", "Watch this if…"),
    ("skip_if", "Skip it if…"),
    ("seo_title", "Search engine title"),
    ("seo_description", "Search engine description"),
]
CHOSEN = [  # a foreign key: (field, label, model)
    ("show", "Main show", Show),
    ("season", "Season reviewed", Season),
    ("status_change", "Status change reported", StatusChange),
]
LISTS = [
    ("byline", "Byline"),
    ("shows", "Shows"),
    ("people", "People"),
    ("tags", "Tags"),
    ("related", "Also read"),
]
IMAGE_TEXT = [("title", "title"), ("alt", "alt text"), ("caption", "caption"), ("credit", "credit")]
SCALARS = [name for name, _ in TEXT_FIELDS] + ["rating", "featured", "status", "publish_at"]


# Snapshots ------------------------------------------------------------------------------


def image_text(image):
    if image is None:
        return None
    return {"id": image.pk, **{name: getattr(image, name) for name, _ in IMAGE_TEXT}}


def relations_of(article):
    """The story's relations as saved now (a few small queries)."""
    bylines = article.bylines.select_related("writer").order_by("position", "pk")
    return {
        "byline": [[b.writer_id, b.writer.name] for b in bylines],
        "shows": [[show.pk, show.title] for show in article.shows.order_by("title", "pk")],
        "people": [[person.pk, person.name] for person in article.people.order_by("name", "pk")],
        "related": [[story.pk, story.title] for story in article.related.order_by("title", "pk")],
        "tags": sorted(article.tags.names(), key=str.casefold),
        "hero": image_text(article.hero),
    }


def _scalars(version):
    values = {name: getattr(version, name) for name in SCALARS}
    values["rating"] = None if version.rating is None else str(version.rating)
    values["publish_at"] = version.publish_at.isoformat() if version.publish_at else None
    for name, _, _ in CHOSEN:
        values[f"{name}_id"] = getattr(version, f"{name}_id")
    values["hero_id"] = version.hero_id
    return values


def snapshot_of(article):
    """The story as saved."""
    return {**_scalars(article), "relations": relations_of(article)}


def snapshot_of_record(record):
    """A revision from the story's history; ``relations`` is empty when it was not
    recorded (a save from the shell or an import, or one made before they were)."""
    return {**_scalars(record), "relations": record.relations or {}}


def snapshot_of_form(form, bylines=None):
    """What a valid story form says, without saving it, with its body rendered as a
    save would (for previews). ``bylines`` is the byline formset; without it (or for
    lists the form does not have) the story's own."""
    article, cleaned = form.instance, form.cleaned_data
    given = {"shows", "people", "related", "tags"} <= cleaned.keys() and bylines is not None
    # The story's own lists, read only when the form lacks one of them.
    relations = relations_of(article) if article.pk and not given else {}

    def pairs(items, label):
        return sorted(([item.pk, label(item)] for item in items), key=lambda p: (p[1], p[0]))

    if "shows" in cleaned:
        relations["shows"] = pairs(cleaned["shows"], lambda show: show.title)
    if "people" in cleaned:
        relations["people"] = pairs(cleaned["people"], lambda person: person.name)
    if "related" in cleaned:
        relations["related"] = pairs(cleaned["related"], lambda story: story.title)
    if "tags" in cleaned:
        relations["tags"] = sorted(cleaned["tags"], key=str.casefold)
    if article.show_id and article.show_id not in [pk for pk, _ in relations.get("shows", [])]:
        relations["shows"] = sorted(
            [*relations.get("shows", []), [article.show_id, article.show.title]],
            key=lambda p: (p[1], p[0]),
        )
    if bylines is not None:
        rows = [
            (row.get("position") or 0, i, row["writer"])
            for i, row in enumerate(f.cleaned_data for f in bylines.forms)
            if row and row.get("writer") and not row.get("DELETE")
        ]
        relations["byline"] = [[writer.pk, writer.name] for _, _, writer in sorted(rows)]
    relations["hero"] = image_text(article.hero)
    # Rendered once, as a save renders the story: previews of the changes read it.
    article.render_body()
    rendered = {
        "body_html": article.body_html,
        "reading_time": [article.reading_time_min, article.reading_time_max],
    }
    return {**_scalars(article), **rendered, "relations": relations}


def record_relations(article):
    """Write the story's relations onto its newest revision, once its lists are saved
    (the revision itself is made when the story's row is saved, before them)."""
    newest = article.history.order_by("-history_date", "-history_id").first()
    if newest is not None:
        type(newest).objects.filter(pk=newest.pk).update(relations=relations_of(article))


def carry_relations(article, record):
    """A new revision holds the lists of the revision before it: a save that does not
    touch them (a mark, a note, a bulk action, a save from the shell) leaves them as
    they were. A save from the desk then records them as saved (``record_relations``)."""
    if record.history_type == "+":
        return
    previous = (
        article.history.order_by("-history_date", "-history_id")
        .values_list("relations", flat=True)
        .first()
    )
    record.relations = previous or {}


def _decision_of(article):
    """The show's current decision, as the story page's query annotates it, for a show
    chosen only in unpublished changes."""
    decision = (
        StatusChange.objects.filter(show_id=article.show_id)
        .order_by("-announced_on", "-pk")
        .values("pk", "status", "announced_on", "updated_at")
        .first()
    ) or {}
    article.show_status = decision.get("status")
    article.show_decision = decision.get("pk")
    article.show_decision_on = decision.get("announced_on")
    article.show_decision_saved = decision.get("updated_at")


def _cached(model, objects):
    """A queryset that answers with ``objects`` and never asks the database, as
    prefetch_related leaves one."""
    queryset = model.objects.none()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    return queryset


def apply(article, snapshot):
    """``article`` in memory as a draft's ``snapshot`` (``snapshot_of_form``) says, for a
    preview: nothing is saved, nothing is rendered again."""
    for name in SCALARS:
        if name not in ("status", "publish_at"):
            setattr(article, name, snapshot.get(name, getattr(article, name)))
    if article.rating is not None:
        article.rating = Decimal(article.rating)
    live_show = article.show_id
    # What the snapshot chose, as long as it still exists (a deleted row is "none").
    for name, _, model in [*CHOSEN, ("hero", "", Image)]:
        pk = snapshot.get(f"{name}_id")
        exists = pk is not None and model.objects.filter(pk=pk).exists()
        setattr(article, f"{name}_id", pk if exists else None)
    if article.show_id != live_show:
        _decision_of(article)
    article.body_html = snapshot["body_html"]
    article.reading_time_min, article.reading_time_max = snapshot["reading_time"]
    relations = snapshot.get("relations", {})
    writers = Writer.objects.select_related("photo").in_bulk(
        [pk for pk, _ in relations.get("byline", [])]
    )
    names = relations.get("tags", [])
    tags = {tag.folded: tag for tag in Tag.objects.filter(folded__in=[n.casefold() for n in names])}
    cache = article.__dict__.setdefault("_prefetched_objects_cache", {})
    cache["bylines"] = _cached(
        Byline,
        [
            Byline(article=article, writer=writers[pk], position=i)
            for i, (pk, _) in enumerate(relations.get("byline", []))
            if pk in writers
        ],
    )
    cache["tags"] = _cached(
        Tag,
        [tags.get(name.casefold()) or Tag(name=name, slug=Tag().slugify(name)) for name in names],
    )
    for name, model in (("shows", Show), ("people", Person), ("related", Article)):
        if name in relations:
            cache[name] = model.objects.filter(pk__in=[pk for pk, _ in relations[name]])
    return article


# Differences ----------------------------------------------------------------------------

WORDS = re.compile(r"\s+|[^\s]+")
CONTEXT_LINES = 2


def word_diff(old, new):
    """``old`` to ``new`` as HTML, word by word: removed words in <del>, added in <ins>."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return mark_safe("".join(parts))


def text_diff(old, new):
    """A long text: lines matched first, then words inside the lines that changed; runs
    of unchanged lines are folded down to a little context."""
    a, b = (old or "").split("\n"), (new or "").split("\n")
    blocks = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            same = a[i1:i2]
            if len(same) > 2 * CONTEXT_LINES + 1:
                hidden = len(same) - 2 * CONTEXT_LINES
                blocks += [escape("\n".join(same[:CONTEXT_LINES]))] if i1 else []
                blocks.append(
                    format_html(
                        '<span class="diff-skip">… {} unchanged line{} …</span>',
                        hidden,
                        "" if hidden == 1 else "s",
                    )
                )
                blocks += [escape("\n".join(same[-CONTEXT_LINES:]))] if i2 < len(a) else []
            else:
                blocks.append(escape("\n".join(same)))
        else:
            blocks.append(word_diff("\n".join(a[i1:i2]), "\n".join(b[j1:j2])))
    return mark_safe("\n".join(str(block) for block in blocks))


def list_diff(old, new):
    """Two lists of names: kept ones plain, removed struck through, added marked."""
    old_names = [_name(item) for item in old]
    new_names = [_name(item) for item in new]
    items = [
        format_html("<del>{}</del>", name) if name not in new_names else escape(name)
        for name in old_names
    ] + [format_html("<ins>{}</ins>", name) for name in new_names if name not in old_names]
    if not items:
        return mark_safe('<span class="quiet">none</span>')
    return format_html_join(", ", "{}", ((item,) for item in items))


def _name(item):
    return item[1] if isinstance(item, list) else str(item)


def _labels(snapshots):
    """Names for the chosen show, season and status change of the snapshots."""
    labels = {}
    for name, _, model in CHOSEN:
        ids = {s.get(f"{name}_id") for s in snapshots} - {None}
        objects = model.objects.in_bulk(ids) if ids else {}
        labels[name] = {pk: str(obj) for pk, obj in objects.items()}
    return labels


def _chosen(labels, name, pk):
    if pk is None:
        return "none"
    return labels[name].get(pk, f"#{pk} (deleted)")


def _hero_text(hero, image_ids):
    if not hero:
        return "none"
    title = hero.get("title") or f"#{hero.get('id')}"
    return title if hero.get("id") in image_ids else f"{title} (deleted)"


def differences(older, newer):
    """Every field that differs between two snapshots, in the form's order, as
    (label, html). Lists a revision did not record are not compared; ``unknown`` names
    them."""
    labels = _labels([older, newer])
    rows, unknown = [], []

    def short(label, old, new):
        rows.append((label, word_diff(str(old), str(new))))

    for name, label in TEXT_FIELDS:
        old, new = _lines(older.get(name)), _lines(newer.get(name))
        if old != new:
            long = name in ("body", "watch_if", "skip_if") or "\n" in old + new
            rows.append((label, text_diff(old, new) if long else word_diff(old, new)))
    if older.get("rating") != newer.get("rating"):
        short("Rating", _rating(older.get("rating")), _rating(newer.get("rating")))
    for name, label, _ in CHOSEN:
        old, new = older.get(f"{name}_id"), newer.get(f"{name}_id")
        if old != new:
            short(label, _chosen(labels, name, old), _chosen(labels, name, new))
    if older.get("featured") != newer.get("featured"):
        short("Lead story", _yes(older.get("featured")), _yes(newer.get("featured")))
    if older.get("status") != newer.get("status"):
        statuses = dict(Article.Status.choices)
        short("Status", statuses.get(older.get("status")), statuses.get(newer.get("status")))
    old_rel, new_rel = older.get("relations") or {}, newer.get("relations") or {}
    for name, label in LISTS:
        if name not in old_rel or name not in new_rel:
            unknown.append(label)
        elif old_rel[name] != new_rel[name]:
            rows.append((label, list_diff(old_rel[name], new_rel[name])))
    old_hero, new_hero = old_rel.get("hero"), new_rel.get("hero")
    if "hero" not in old_rel or "hero" not in new_rel:
        old_id, new_id = older.get("hero_id"), newer.get("hero_id")
        if old_id != new_id:
            images = Image.objects.in_bulk([pk for pk in (old_id, new_id) if pk])
            old_hero, new_hero = (
                image_text(images[pk]) if pk in images else ({"id": pk} if pk else None)
                for pk in (old_id, new_id)
            )
            short("Hero image", _hero_text(old_hero, images), _hero_text(new_hero, images))
        unknown.append("Hero image text")
    elif old_hero != new_hero:
        ids = set(
            Image.objects.filter(pk__in=[h["id"] for h in (old_hero, new_hero) if h]).values_list(
                "pk", flat=True
            )
        )
        parts = []
        if (old_hero or {}).get("id") != (new_hero or {}).get("id"):
            parts.append(
                format_html(
                    "Picture: {}", word_diff(_hero_text(old_hero, ids), _hero_text(new_hero, ids))
                )
            )
        for key, words in IMAGE_TEXT[1:]:
            old, new = (old_hero or {}).get(key) or "", (new_hero or {}).get(key) or ""
            if old != new:
                parts.append(format_html("{}: {}", words.capitalize(), word_diff(old, new)))
        rows.append(
            ("Hero image", format_html_join(mark_safe("<br>"), "{}", ((p,) for p in parts)))
        )
    return rows, unknown


def _lines(text):
    """Text as a form would keep it: one kind of line break (browsers post CRLF, imports
    often LF) and nothing blank at either end (a form strips it; a story saved from the
    shell or an import may still end with a line break)."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _rating(value):
    return "none" if value is None else f"{float(value):g} out of 5"


def _yes(value):
    return "yes" if value else "no"


# Naming what happened -------------------------------------------------------------------

# The events a revision's recorded reason starts with ("Sent back: add a source"); a
# longer name before a shorter one it starts with.
EVENTS = [
    "Created", "Submitted", "Sent back", "Scheduled", "Published changes", "Published",
    "Unpublished", "Restored",
]  # fmt: skip


def event_of(record, previous):
    """What a revision was: named by the reason recorded with it, else worked out from
    how it differs from the revision before (for revisions saved without one)."""
    reason = record.history_change_reason or ""
    for event in EVENTS:
        if reason.startswith(event):
            return event
    if record.history_type == "+":
        return "Created"
    if record.history_type == "-":
        return "Deleted"
    S = Article.Status
    if previous is not None and (
        previous.status != record.status or previous.publish_at != record.publish_at
    ):
        if record.status == S.IN_REVIEW:
            return "Submitted"
        if record.status == S.DRAFT:
            return "Unpublished" if previous.status == S.PUBLISHED else "Sent back"
        if record.status == S.PUBLISHED:
            scheduled = record.publish_at and record.publish_at > record.history_date
            return "Scheduled" if scheduled else "Published"
    return "Updated"


def name_events(records):
    """``records`` (newest first) with ``event`` set on each, and ``detail``: what its
    reason adds to the event's name ("add a source" of "Sent back: add a source")."""
    records = list(records)
    for record, previous in zip(records, [*records[1:], None], strict=True):
        record.event = event_of(record, previous)
        reason = record.history_change_reason or ""
        if reason.startswith(record.event):
            reason = reason[len(record.event) :].lstrip(": ")
        record.detail = reason
    return records
