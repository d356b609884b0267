"""Form fields of the story form that need more than Django's own."""

from django import forms
from taggit.forms import TagField

from people.text import clean_text

from .models import Tag

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


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
