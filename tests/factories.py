import io
from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as Picture

from articles.models import Article, Byline, Correction
from images.models import Image
from people.models import Person, Writer
from shows.models import Credit, Genre, Network, Season, Show, StatusChange


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


def newsroom_group(name):
    """One of the real groups ("Writers", "Editors"), with the migrations' permissions."""
    from articles.services import role_group

    return role_group(name)


def join(user, group):
    user.groups.add(newsroom_group(group))


def member(username, group):
    """A desk account in the Writers or Editors group."""
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(newsroom_group(group))
    return user


class EditorFactory(UserFactory):
    """A member of the Editors group: may publish; not a superuser."""

    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            join(self, "Editors")


class WriterUserFactory(UserFactory):
    """A member of the Writers group, with a byline of their own."""

    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            join(self, "Writers")


class SuperuserFactory(UserFactory):
    """Only for tests about what a superuser, and only a superuser, may do."""

    is_staff = True
    is_superuser = True


def png_bytes(size=(1600, 900), colour=(40, 60, 90)):
    out = io.BytesIO()
    Picture.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    """A library picture, stored (checked, with its renditions and crops) as it is saved."""

    class Meta:
        model = Image

    class Params:
        size = (640, 360)
        name = "still.png"

    title = factory.Sequence(lambda n: f"Picture {n}")
    alt = "A still from the first episode"
    file = factory.LazyAttribute(lambda o: ContentFile(png_bytes(o.size), name=o.name))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class WriterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Writer

    name = factory.Sequence(lambda n: f"Writer {n}")
    slug = factory.Sequence(lambda n: f"writer-{n}")
    job_title = "Staff Writer"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre

    name = factory.Sequence(lambda n: f"Genre {n}")
    slug = factory.Sequence(lambda n: f"genre-{n}")


class ShowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Show

    title = factory.Sequence(lambda n: f"Show {n}")
    slug = factory.Sequence(lambda n: f"show-{n}")
    network = factory.SubFactory(NetworkFactory)
    format = Show.Format.LIMITED
    premiere_date = date(2026, 1, 1)


class SeasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Season

    show = factory.SubFactory(ShowFactory)
    number = factory.Sequence(lambda n: n + 1)
    premiere_date = date(2026, 1, 1)
    episode_count = 8


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    show = factory.SubFactory(ShowFactory)
    person = factory.SubFactory(PersonFactory)
    role = Credit.Role.CAST
    character_name = factory.Sequence(lambda n: f"Character {n}")


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    show = factory.SubFactory(ShowFactory)
    status = StatusChange.Status.PENDING
    announced_on = date(2026, 1, 1)


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published news story with one writer, public since an hour ago."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    kind = Article.Kind.NEWS
    title = factory.Sequence(lambda n: f"Story number {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    dek = "A short standfirst."
    body = "Some words about television.\n\n## A heading\n\nMore words."
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def writers(self, create, extracted, **kwargs):
        if not create:
            return
        for position, writer in enumerate(extracted or [WriterFactory()]):
            Byline.objects.create(article=self, writer=writer, position=position)


class ReviewFactory(ArticleFactory):
    kind = Article.Kind.REVIEW
    season = factory.SubFactory(SeasonFactory)
    show = factory.SelfAttribute("season.show")
    rating = Decimal("4.5")
    verdict = "Worth your evening."


class CorrectionFactory(factory.django.DjangoModelFactory):
    """A correction on a published story, dated now (as the desk dates it)."""

    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    kind = Correction.Kind.CORRECTION
    text = factory.Sequence(lambda n: f"An earlier version gave the wrong date, number {n}.")
