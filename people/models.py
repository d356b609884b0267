from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property

from images import cards
from images.changes import AnnouncingQuerySet
from images.fields import CheckedImageField
from images.renditions import picture

from .text import ascii_slug_constraint


class Profile(models.Model):
    """What every named profile on the site has: a name, a URL, a photo and a bio."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The last part of the profile's web address."
    )
    photo = CheckedImageField(
        upload_to="people/%Y/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        renditions_field="photo_renditions",
        help_text="JPEG, PNG or WebP, up to 10 MB.",
    )
    photo_width = models.PositiveIntegerField(null=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, editable=False)
    photo_renditions = models.JSONField(default=list, editable=False)
    photo_alt = models.CharField(
        "Photo description",
        max_length=250,
        blank=True,
        help_text="Describes the photo for readers who cannot see it.",
    )
    photo_credit = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True, help_text="A short biography, a paragraph or two.")
    updated_at = models.DateTimeField(auto_now=True)

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
        photo = picture(
            self.photo, self.photo_renditions, self.photo_alt, self.photo_width,
            self.photo_height,
        )  # fmt: skip
        return cards.shared_image(photo) or cards.site_card(self.name, self.card_kicker)


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
