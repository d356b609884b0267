from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from images import cards
from images.changes import AnnouncingQuerySet
from images.models import Image
from people.models import Person
from people.text import ascii_slug_constraint


class Network(models.Model):
    """A broadcaster or streaming service."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    website = models.URLField(blank=True)

    objects = AnnouncingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [ascii_slug_constraint("network")]

    def __str__(self):
        return self.name


class Genre(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    objects = AnnouncingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [ascii_slug_constraint("genre")]

    def __str__(self):
        return self.name


def newest_decisions(show="pk"):
    """For a subquery: the status changes of the show in the outer query's ``show`` field
    (its key, or a story's ``show_id``), newest first; the first is its current status."""
    return StatusChange.objects.filter(show=OuterRef(show)).order_by("-announced_on", "-pk")


class StatusChangeQuerySet(AnnouncingQuerySet):
    def current(self):
        """Each show's current decision: the one no later decision follows (by
        announcement, then as entered), as newest_decisions() orders them. A pass over
        the decisions' index, not a subquery a show."""
        later = StatusChange.objects.filter(show=OuterRef("show")).filter(
            Q(announced_on__gt=OuterRef("announced_on"))
            | Q(announced_on=OuterRef("announced_on"), pk__gt=OuterRef("pk"))
        )
        return self.filter(~Exists(later))


class ShowQuerySet(AnnouncingQuerySet):
    def with_current_status(self):
        """Annotate each show with its latest status change, in one query.

        Adds ``current_status`` and ``current_status_on`` (the date it was
        announced); both are None for a show with no recorded status.
        """
        latest = newest_decisions()
        return self.annotate(
            current_status=Subquery(latest.values("status")[:1]),
            current_status_on=Subquery(latest.values("announced_on")[:1]),
        )

    def with_current_decision(self):
        """with_current_status, plus the season the decision concerns and its note."""
        latest = newest_decisions()
        return self.with_current_status().annotate(
            current_status_season=Subquery(latest.values("season__number")[:1]),
            current_status_note=Subquery(latest.values("note")[:1]),
        )


class Show(models.Model):
    class Format(models.TextChoices):
        ONGOING = "ongoing", "Ongoing series"
        LIMITED = "limited", "Limited series"
        ANTHOLOGY = "anthology", "Anthology"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The last part of the show page's web address."
    )
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="shows", null=True, blank=True
    )
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.ONGOING)
    synopsis = models.TextField(blank=True, help_text="A spoiler-free premise in a paragraph.")
    genres = models.ManyToManyField(Genre, related_name="shows", blank=True)
    premiere_date = models.DateField(null=True, blank=True, help_text="First episode's release.")
    poster = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="poster_of",
        verbose_name="Poster or key art",
        help_text="A picture from the library (or add one with +).",
    )
    source_title = models.CharField(
        "Based on",
        max_length=200,
        blank=True,
        help_text="Title of the novel, film or true story the show adapts.",
    )
    source_year = models.PositiveSmallIntegerField("Source published in", null=True, blank=True)
    source_author = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adapted_works",
        help_text="The author of the source work.",
    )
    filming_locations = models.TextField(
        blank=True, help_text="One place per line, e.g. Manchester, England."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShowQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [ascii_slug_constraint("show")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("shows:detail", kwargs={"slug": self.slug})

    @cached_property
    def shared_poster(self):
        """The poster as a shared picture, or None."""
        return cards.shared_image(self.poster)

    @property
    def shared_image(self):
        return self.shared_poster or cards.site_card(self.title, "TV show")

    @property
    def filming_location_list(self):
        return [line.strip() for line in self.filming_locations.splitlines() if line.strip()]

    @property
    def current_status_label(self):
        """The label of the ``current_status`` annotation (see with_current_status)."""
        status = getattr(self, "current_status", None)
        return StatusChange.Status(status).label if status else ""

    @property
    def latest_status_change(self):
        """The show's current status, which is its latest status change.

        Uses prefetched ``status_changes`` when present (no query).
        """
        changes = list(self.status_changes.all())
        return max(changes, key=lambda c: (c.announced_on, c.pk)) if changes else None


class Season(models.Model):
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="seasons")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, blank=True, help_text="Only if it has its own title.")
    premiere_date = models.DateField(null=True, blank=True)
    finale_date = models.DateField(null=True, blank=True)
    episode_count = models.PositiveSmallIntegerField("Episodes", null=True, blank=True)

    objects = AnnouncingQuerySet.as_manager()

    class Meta:
        ordering = ["show__title", "number"]
        constraints = [
            models.UniqueConstraint(fields=["show", "number"], name="unique_season_number"),
            models.CheckConstraint(
                condition=models.Q(finale_date__isnull=True)
                | models.Q(premiere_date__isnull=True)
                | models.Q(finale_date__gte=models.F("premiere_date")),
                name="season_finale_after_premiere",
                violation_error_message="The finale cannot come before the premiere.",
            ),
        ]

    def __str__(self):
        return f"{self.show.title}, season {self.number}"

    def get_absolute_url(self):
        return self.show.get_absolute_url() + f"#season-{self.number}"


class Credit(models.Model):
    class Role(models.TextChoices):
        CAST = "cast", "Cast"
        CREATOR = "creator", "Creator"
        WRITER = "writer", "Writer"
        DIRECTOR = "director", "Director"
        PRODUCER = "producer", "Producer"
        SOURCE_AUTHOR = "source_author", "Author of the source work"

    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CAST)
    character_name = models.CharField(
        "Character", max_length=200, blank=True, help_text="For cast: who they play."
    )
    job = models.CharField(
        max_length=120, blank=True, help_text='For crew: detail, e.g. "Associate producer".'
    )
    billing_order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers are listed first."
    )

    objects = AnnouncingQuerySet.as_manager()

    class Meta:
        ordering = ["show", "role", "billing_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["show", "person", "role", "character_name"], name="unique_credit"
            ),
        ]

    def __str__(self):
        if self.role == self.Role.CAST and self.character_name:
            return f"{self.person} as {self.character_name}"
        return f"{self.person} ({self.get_role_display().lower()})"


class StatusChange(models.Model):
    """One entry in a show's renewal history. The newest is its current status."""

    class Status(models.TextChoices):
        RENEWED = "renewed", "Renewed"
        CANCELLED = "cancelled", "Cancelled"
        ENDING = "ending", "Final season announced"
        LIMITED = "limited", "Limited series"
        PENDING = "pending", "Awaiting decision"

    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=20, choices=Status.choices)
    season = models.ForeignKey(
        Season,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_changes",
        help_text="The season this decision concerns, if it exists yet.",
    )
    announced_on = models.DateField("Announced", help_text="When the decision was made public.")
    note = models.CharField(
        max_length=300, blank=True, help_text="One line of context, e.g. who announced it."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-announced_on", "-pk"]
        get_latest_by = ["announced_on", "pk"]
        indexes = [
            # A show's decisions, newest first (its current status, the tracker), and
            # the newest of all (the home page, the tracker's feed).
            models.Index(fields=["show", "announced_on"], name="statuschange_show_time"),
            models.Index(fields=["announced_on"], name="statuschange_time"),
        ]

    def __str__(self):
        return f"{self.show.title}: {self.get_status_display()} ({self.announced_on:%d %b %Y})"

    def get_absolute_url(self):
        return self.show.get_absolute_url() + "#status-history"

    # How a decision reads after "The show was …": "renewed for season 2".
    IN_WORDS = {
        Status.RENEWED: ("renewed", " for season {}"),
        Status.CANCELLED: ("cancelled", ""),
        Status.ENDING: ("announced as ending", " with season {}"),
        Status.LIMITED: ("confirmed as a limited series", ""),
        Status.PENDING: ("still awaiting a decision", " on season {}"),
    }

    def in_words(self):
        """The decision after "was": "renewed for season 2", "cancelled"."""
        words, about_season = self.IN_WORDS[self.status]
        return words + (about_season.format(self.season.number) if self.season_id else "")

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.season_id and self.show_id and self.season.show_id != self.show_id:
            raise ValidationError({"season": "That season belongs to another show."})


class FactChange(models.Model):
    """One change to a fact a story may state about a show, in an editor's words, when it
    was saved (see facts.py). The desk lists stories written before a change until an
    editor checks them."""

    class Kind(models.TextChoices):
        STATUS = "status", "Renewal status"
        SEASON = "season", "Season"
        CREDIT = "credit", "Cast and crew"
        NETWORK = "network", "Network"

    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="fact_changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = AnnouncingQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["show", "changed_at"])]

    def __str__(self):
        return f"{self.show.title}: {self.summary}"
