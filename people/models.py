from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property

from images import cards
from images.changes import AnnouncingQuerySet
from images.models import Image

from .text import ascii_slug_constraint


class Profile(models.Model):
    """What every named profile on the site has: a name, a URL, a photo and a bio."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The last part of the profile's web address."
    )
    photo = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_photo_of",
        verbose_name="Photo",
        help_text="A picture from the library (or add one with +).",
    )
    bio = models.TextField(blank=True, help_text="A short biography, a paragraph or two.")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # the sitemap's date

    objects = AnnouncingQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]
        constraints = [ascii_slug_constraint("%(app_label)s_%(class)s")]

    def __str__(self):
        return self.name

    @cached_property
    def shared_image(self):
        """The photo as a shared picture, else a card with the name."""
        return cards.shared_image(self.photo) or cards.site_card(self.name, self.card_kicker)


class Person(Profile):
    """Talent: actors, showrunners, writers and novelists whose work we cover."""

    born_on = models.DateField("Date of birth", null=True, blank=True)

    card_kicker = "On TV"

    class Meta(Profile.Meta):
        verbose_name_plural = "people"

    def get_absolute_url(self):
        return reverse("people:person", kwargs={"slug": self.slug})


class Writer(Profile):
    """A staff or contributor byline."""

    card_kicker = "Newsroom writer"

    job_title = models.CharField(
        max_length=120, blank=True, help_text='Shown with the byline, e.g. "Senior Staff Writer".'
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="writer",
        help_text="The login this writer uses on the editors' desk, if any.",
    )

    def get_absolute_url(self):
        return reverse("people:writer", kwargs={"slug": self.slug})
