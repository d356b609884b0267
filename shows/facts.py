"""The log of a show's facts: what changed, and when, for the desk's stale-fact alerts.

A story's facts boxes follow the show's records by themselves; its prose does not.
So every change to a fact a story may state (a decision in the renewal history, a
season's number, dates or episode count, a cast or crew credit, the network) is
written down as it is saved, in an editor's words ("Season 2: episodes 8 → 10"),
however it is made: the admin, an import, the shell. The desk compares this log with
the time an editor last checked each story (see articles: Article.facts_checked_at);
no worker is needed.

Saving a row with the same facts logs nothing, so running the demo again or saving a
synopsis raises no alert. Bulk writes (``update()``, ``bulk_create()``) carry no rows
to compare and are not logged; deleting a whole show logs nothing either (a show that is
a story's main show cannot be deleted; one a story only covers goes, with its log).
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import dateformat
from django.utils.dateparse import parse_date

from .models import Credit, FactChange, Network, Season, Show, StatusChange

# The facts of each model that stories may state.
FACTS = {
    Show: ["network"],
    Season: ["number", "premiere_date", "finale_date", "episode_count"],
    Credit: ["person", "role", "character_name", "job"],
    StatusChange: ["status", "season", "announced_on"],
}
KINDS = {
    Show: FactChange.Kind.NETWORK,
    Season: FactChange.Kind.SEASON,
    Credit: FactChange.Kind.CREDIT,
    StatusChange: FactChange.Kind.STATUS,
}


def _date(value):
    if isinstance(value, str):  # as typed in the shell: saved all the same
        value = parse_date(value) or value
    return dateformat.format(value, "j F Y") if hasattr(value, "year") else (value or "none")


def _season(season):
    words = [f"season {season.number}"]
    if season.episode_count:
        words.append(f"{season.episode_count} episodes")
    if season.premiere_date:
        words.append(f"premiere {_date(season.premiere_date)}")
    return ", ".join(words)


def _credit(credit):
    if credit.role == Credit.Role.CAST:
        played = f" as {credit.character_name}" if credit.character_name else ""
        return f"{credit.person.name}{played} (cast)"
    job = credit.job or credit.get_role_display().lower()
    return f"{credit.person.name} ({job})"


def _decision(change):
    return f"{change.in_words()}, announced {_date(change.announced_on)}"


DESCRIBE = {Season: _season, Credit: _credit, StatusChange: _decision}


def _season_changes(old, new):
    labels = {
        "number": ("number", str),
        "premiere_date": ("premiere", _date),
        "finale_date": ("finale", _date),
        "episode_count": ("episodes", lambda n: str(n) if n is not None else "none"),
    }
    changes = [
        f"{label} {show(old[name])} → {show(new[name])}"
        for name, (label, show) in labels.items()
        if old[name] != new[name]
    ]
    return f"Season {old['number']}: " + "; ".join(changes)


# What a new row says, after what DESCRIBE makes of it (a new show states no change).
ADDED = {Season: "Added {}", Credit: "Credited: {}", StatusChange: "New decision: {}"}


def summary(model, instance, old, created):
    """What changed, in words, or None when no fact did."""
    if created:
        return ADDED[model].format(DESCRIBE[model](instance)) if model in ADDED else None
    new = _stored(model, instance)
    if old == new:
        return None
    if model is Show:
        was = Network.objects.filter(pk=old["network_id"]).first()
        return f"Network: {was or 'none'} → {instance.network or 'none'}"
    if model is Season:
        return _season_changes(old, new)
    if model is Credit:
        return f"Credit changed: now {_credit(instance)}"
    return f"Decision changed: now {_decision(instance)}"


def _fields(model):
    return [model._meta.get_field(name) for name in FACTS[model]]


def _stored(model, instance):
    """The facts of ``instance`` as the database keeps them ("2027-03-03" typed in the
    shell is the date it is stored as)."""
    return {
        field.attname: field.to_python(getattr(instance, field.attname)) for field in _fields(model)
    }


def _remember(sender, instance, raw=False, **kwargs):
    """Before a save: the facts as they are stored (None for a new row)."""
    if raw or instance.pk is None:
        instance._facts_before = None
        return
    instance._facts_before = (
        sender._base_manager.filter(pk=instance.pk)
        .values(*(field.attname for field in _fields(sender)))
        .first()
    )


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    old = getattr(instance, "_facts_before", None)
    if old is None and not created:  # saved without _remember (or its row was gone)
        return
    text = summary(sender, instance, old, created)
    if text:
        show_id = instance.pk if sender is Show else instance.show_id
        FactChange.objects.create(show_id=show_id, kind=KINDS[sender], summary=text[:300])


def _deleted(sender, instance, origin=None, **kwargs):
    if isinstance(origin, Show) or getattr(origin, "model", None) is Show:
        return  # the show itself is going, and its log with it
    FactChange.objects.create(
        show_id=instance.show_id,
        kind=KINDS[sender],
        summary=f"Removed: {DESCRIBE[sender](instance)}"[:300],
    )


def watch():  # pragma: no mutate block (runs once, at start-up)
    """Log every save and delete of a fact (ShowsConfig.ready)."""
    for model in FACTS:
        uid = f"facts-{model._meta.label}"
        pre_save.connect(_remember, sender=model, dispatch_uid=f"{uid}-before")
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-after")
        if model is not Show:
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")
