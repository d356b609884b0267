"""Form fields of the story form that need more than Django's own."""

import csv

from django import forms
from taggit.forms import TagField

from people.text import clean_text

from .models import Tag

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


def tags_from_text(text):
    """Tags as typed: a list split on commas only, as in WordPress and Ghost ("Crime
    drama" is one tag, not two); a name in double quotes may hold a comma. Each once,
    in the order typed (TAGGIT_TAGS_FROM_STRING)."""
    names = []
    line = " ".join((text or "").split())  # a tag is one line: line breaks are spaces
    try:
        typed = next(csv.reader([line.replace("\0", "")], skipinitialspace=True), [])
    except csv.Error as error:
        raise forms.ValidationError(
            "These tags could not be read: put a name with a comma in double quotes, "
            "e.g. “Law, Order”.",
            code="tags_unreadable",
        ) from error
    for name in typed:
        name = name.strip()
        if name and name not in names:
            names.append(name)
    return names


def text_from_tags(tags):
    """The tags of a story as the field shows them: names joined by commas, a name that
    holds a comma or a quote in double quotes (TAGGIT_STRING_FROM_TAGS)."""

    def quoted(name):
        if "," in name or '"' in name:
            return '"' + name.replace('"', '""') + '"'
        return name

    return ", ".join(quoted(tag.name) for tag in sorted(tags, key=lambda t: t.name.casefold()))


class TagListField(TagField):
    """Tags typed as a comma-separated list. Each name is cleaned like any text and
    refused, with its length, when it is longer than a tag can be."""

    def clean(self, value):
        names = []
        for name in super().clean(value):
            name = clean_text(name, multiline=False)
            if len(name) > TAG_MAX_LENGTH:
                raise forms.ValidationError(
                    "A tag can be up to %(limit)d characters; “%(start)s…” has %(length)d. "
                    "Shorten it, or split it into two tags.",
                    code="tag_too_long",
                    params={"limit": TAG_MAX_LENGTH, "start": name[:30], "length": len(name)},
                )
            if name and name.casefold() not in [known.casefold() for known in names]:
                names.append(name)
        return names
