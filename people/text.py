"""Text as editors type and paste it, made safe to store and to write as XML.

Word puts a vertical tab in a headline for Shift+Enter; a bad import brings
C1 controls or U+FFFF. XML 1.0 forbids those characters, so one of them in a
headline used to stop every feed from rendering. Every text field of every
model in ``people``, ``shows`` and ``articles`` is cleaned when it is saved,
whatever saves it (a form, a service, the shell): see ``clean_on_save``.
Feeds, sitemaps and JSON-LD clean what they write as well (``clean_tree``),
so rows that reached the database some other way cannot break them either.

Slugs are ASCII, whatever the name they come from: "Pokémon" becomes
``pokemon`` and "日本のドラマ" ``ribennodorama`` (transliterated by anyascii,
the library Wagtail uses for the same job).
"""

import hashlib
import re
import unicodedata

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Func
from django.db.models.signals import pre_save
from django.utils.text import slugify

# Not allowed in XML 1.0, or a parse error in HTML: C0 controls but tab, newline and
# carriage return; DEL and the C1 controls; lone surrogates; the noncharacters.
_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)
# Line breaks that are not a newline: vertical tab (Word's Shift+Enter), form feed,
# NEL, and the Unicode line and paragraph separators.
_ODD_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")
# Invisible on the page and never needed in a name or a headline: zero-width space, soft
# hyphen, word joiner, byte-order mark. (Joiners stay: emoji sequences need them.)
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
# What the URL patterns accept as a slug (Django's <slug:> converter).
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def clean_text(value, *, multiline=True):
    """``value`` without the characters XML and HTML refuse, in Unicode NFC.

    Odd line breaks become a newline in multi-line text; one-line text becomes one
    line, without invisible characters or spaces at either end (as forms strip them).
    """
    if not value:
        return value
    value = _ODD_BREAKS.sub("\n" if multiline else " ", value).replace("\ufeff", "")
    value = unicodedata.normalize("NFC", _ILLEGAL.sub("", value))
    return value if multiline else _INVISIBLE.sub("", value).strip()


def clean_tree(data):
    """``clean_text`` applied to every string in nested dicts, lists and tuples."""
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, dict):
        return {key: clean_tree(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return type(data)(clean_tree(value) for value in data)
    return data


_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def record_number(text):
    """A record's number as typed in an address (``?show=12``), or None for anything else:
    a sign, a space, a superscript two, or more digits than the database's numbers hold."""
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text or "") else None


# Letters that no accent can be taken off, written as PostgreSQL's unaccent writes them
# (its NEWSROOM_FOLD, people migration 0011): "Søren" is found by "soren" on either.
_PLAIN = str.maketrans(
    {"ł": "l", "ø": "o", "œ": "oe", "æ": "ae", "đ": "d", "ð": "d", "ħ": "h", "þ": "th",
     "ı": "i", "ŀ": "l", "ĸ": "q", "ŋ": "n"}
)  # fmt: skip


def fold(text):
    """Lower case without accents, for matching: "Émilie" and "emilie" fold alike."""
    text = (text or "").casefold()
    if text.isascii():
        return text
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.translate(_PLAIN)))


class Folded(Func):
    """``fold`` in SQL, on SQLite (where LIKE ignores the case of ASCII letters only).
    The function is registered on every SQLite connection (see register_sql_functions)."""

    function = "NEWSROOM_FOLD"
    output_field = models.CharField()


def register_sql_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("NEWSROOM_FOLD", 1, fold, deterministic=True)


def ascii_slug(text, *, max_length=100):
    """An ASCII slug for any text; empty when nothing in it can be spelt in ASCII."""
    return slugify(anyascii(clean_text(text or "")))[:max_length].strip("-")


def fallback_slug(text, prefix="tag"):
    """A stable slug for text with no letters or digits at all ("!!!", "★★★")."""
    digest = hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest()
    return f"{prefix}-{digest[:10]}"


def ascii_slug_constraint(name):
    """A database check that a slug is one the URL patterns accept, whatever writes it."""
    return models.CheckConstraint(
        condition=models.Q(slug__regex=r"^[-a-zA-Z0-9_]+$"),
        name=f"{name}_slug_is_ascii",
        violation_error_message="A slug is made of ASCII letters, digits, - and _ only.",
    )


def repair_slugs(*models_to_repair):
    """For a migration that adds ascii_slug_constraint: a RunPython function giving every
    row whose slug the check would refuse (written from the shell, say) a working one."""

    def repair(apps, schema_editor):
        for label in models_to_repair:
            model = apps.get_model(label)
            for row in model.objects.exclude(slug__regex=r"^[-a-zA-Z0-9_]+$"):
                base = ascii_slug(row.slug or "", max_length=190) or fallback_slug(
                    row.slug, prefix=model._meta.model_name
                )
                slug, n = base, 1
                while model.objects.filter(slug=slug).exclude(pk=row.pk).exists():
                    slug, n = f"{base}_{n}", n + 1
                model.objects.filter(pk=row.pk).update(slug=slug)

    return repair


def clean_instance(instance):
    """Clean every text field of ``instance`` in place; refuse values over the column's
    length, which PostgreSQL would refuse with an error and SQLite store silently."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        value = clean_text(value, multiline=isinstance(field, models.TextField))
        if isinstance(field, models.SlugField) and value and not _SLUG.fullmatch(value):
            value = ascii_slug(value, max_length=field.max_length) or fallback_slug(
                value, prefix=instance._meta.model_name
            )
        if field.max_length and len(value) > field.max_length:
            errors[field.name] = (
                f"{field.verbose_name.capitalize()} is {len(value)} characters long; "
                f"the limit is {field.max_length}."
            )
        setattr(instance, field.attname, value)
    if errors:
        raise ValidationError(errors)


def _clean_before_save(sender, instance, raw=False, **kwargs):
    clean_instance(instance)


def clean_on_save(app_config):
    """Clean the text of every model of ``app_config`` whenever one is saved."""
    for model in app_config.get_models():
        pre_save.connect(
            _clean_before_save, sender=model, dispatch_uid=f"clean-text-{model._meta.label}"
        )
