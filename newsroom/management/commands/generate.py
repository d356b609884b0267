import random
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from articles.markdown import reading_time, render_markdown
from articles.models import Article, Byline, Tag, TaggedArticle
from newsroom.apps import planner_statistics
from people.models import Person, Writer
from shows.models import Credit, Genre, Network, Season, Show, StatusChange

# Every story says "season" and "twist" (a common word for search benchmarks); one in
# RARE_EVERY says RARE_WORD. The rest is prose drawn from VOCABULARY, about 5.5 KB a story.
RARE_WORD = "marzipan"
RARE_EVERY = 5000
VOCABULARY = (
    "the a of and to in is it that for on with as was by at this but from or an be "
    "series episode cast finale premiere pilot showrunner writer director actor actress "
    "character plot story arc cliffhanger reveal mystery detective family father mother "
    "daughter son brother sister friend police murder crime city village night morning "
    "streaming network channel platform release date trailer review verdict rating star "
    "performance script scene dialogue camera score music tone pace drama thriller comedy "
    "novel book author adaptation source chapter ending beginning middle question answer "
    "truth lie secret clue motive alibi suspect victim witness evidence case trial court "
    "renewed cancelled returns return viewers audience critics fans ratings numbers hit "
    "gripping bleak tense funny warm cold slow quick uneven strong weak sharp clever "
    "manchester london england north west coast house street park school office hospital "
    "hour minute week month year decade summer winter spring autumn holiday weekend"
).split()

BODY = """\
## What happens

Paragraph {n} about the premise, the cast and the way the season is built.
It runs long enough to look like a real story on the page, with a twist.

{prose}

| Episode | Rating |
| --- | --- |
| 1 | Strong |
| 2 | Uneven |

:::spoiler The ending
The twist in story {n}.
:::

## The verdict

A closing paragraph with *emphasis* and a [link](https://example.com/{n}).
"""


def prose(rng, n, size=5000):
    """Paragraphs of words drawn with a long tail, as real text has, about ``size`` long."""
    weights = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
    paragraphs, length = [], 0
    while length < size:
        words = rng.choices(VOCABULARY, weights, k=rng.randint(40, 90))
        if n % RARE_EVERY == 0 and not paragraphs:
            words.insert(3, RARE_WORD)
        paragraph = " ".join(words).capitalize() + "."
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def popular(rng, rows, k, steepness=1.0):
    """``k`` picks from ``rows``, the first far more often than the last (Zipf's law, as
    attention is shared out: the first of 5,000 shows gets about one story in nine).
    A lower ``steepness`` shares them out more evenly."""
    weights = [1 / (rank + 1) ** steepness for rank in range(len(rows))]
    return rng.choices(rows, cum_weights=list(accumulate(weights)), k=k)


class Command(BaseCommand):
    help = "Generate N published stories, with shows, people, writers and tags, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many stories to create.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--shows", type=int, help="How many shows (default: 1 per 20 stories).")
        parser.add_argument(
            "--people", type=int, help="How many people (default: 1 per 2 stories)."
        )
        parser.add_argument(
            "--writers",
            type=int,
            help="How many writers (default: 1 per 500 stories, 20 at least).",
        )

    def handle(self, count, seed, shows=None, people=None, writers=None, **options):
        # A mid-size site after a few years: 100,000 stories, 5,000 shows, 50,000 people,
        # 200 writers.
        self.n_shows = shows or max(count // 20, 1)
        self.n_people = people or max(count // 2, 1)
        self.n_writers = writers or max(count // 500, 20)
        with transaction.atomic():
            self.generate(count, seed)
        # Fresh planner statistics after a bulk load: as autovacuum would soon on
        # PostgreSQL, and as `migrate` does on SQLite.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # VACUUM cannot run in a transaction (a test's, or a caller's): ANALYZE can.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        else:
            planner_statistics()

    def generate(self, count, seed):
        rng = random.Random(seed)
        now = timezone.now()
        networks = [
            Network.objects.get_or_create(
                slug=f"gen-net-{i}", defaults={"name": f"Generated Network {i}"}
            )[0]
            for i in range(5)
        ]
        genres = [
            Genre.objects.get_or_create(
                slug=f"gen-genre-{i}", defaults={"name": f"Generated Genre {i}"}
            )[0]
            for i in range(8)
        ]
        n_shows, n_people, n_writers = self.n_shows, self.n_people, self.n_writers
        start = Show.objects.count()
        people = Person.objects.bulk_create(
            Person(name=f"Generated Person {start}-{i}", slug=f"gen-person-{start}-{i}")
            for i in range(n_people)
        )
        shows = Show.objects.bulk_create(
            Show(
                title=f"Generated Show {start}-{i}",
                slug=f"gen-show-{start}-{i}",
                network=rng.choice(networks),
                format=rng.choice(Show.Format.values),
                premiere_date=date(2015, 1, 1) + timedelta(days=rng.randrange(4000)),
                source_author=rng.choice(people[:10]),
                source_title=f"Novel {i}",
                synopsis="A generated show for benchmarks.",
            )
            for i in range(n_shows)
        )
        Show.genres.through.objects.bulk_create(
            Show.genres.through(show=show, genre=genre)
            for show in shows
            for genre in rng.sample(genres, 2)
        )
        seasons = Season.objects.bulk_create(
            Season(
                show=show,
                number=n,
                premiere_date=show.premiere_date,
                episode_count=rng.randint(6, 10),
            )
            for show in shows
            for n in range(1, rng.randint(2, 4))
        )
        Credit.objects.bulk_create(
            Credit(
                show=show,
                person=person,
                role=Credit.Role.CAST,
                character_name=f"Role {k}",
                billing_order=k,
            )
            for show in shows
            # Casts are shared out more evenly than attention: the busiest of 50,000
            # people is in about 130 of 5,000 shows, as a prolific character actor is.
            for k, person in enumerate(dict.fromkeys(popular(rng, people, 12, steepness=0.5)))
        )
        StatusChange.objects.bulk_create(
            StatusChange(
                show=show,
                status=rng.choice(StatusChange.Status.values),
                announced_on=show.premiere_date + timedelta(days=30 * k),
            )
            for show in shows
            for k in range(rng.randint(1, 3))
        )
        writers = Writer.objects.bulk_create(
            Writer(
                name=f"Generated Writer {start}-{i}",
                slug=f"gen-writer-{start}-{i}",
                job_title="Staff Writer",
            )
            for i in range(n_writers)
        )
        tags = [
            Tag.objects.get_or_create(slug=f"gen-tag-{i}", defaults={"name": f"Generated tag {i}"})[
                0
            ]
            for i in range(50)
        ]
        season_of = {}
        for season in seasons:
            season_of.setdefault(season.show_id, season)
        sample_body = BODY.format(n=0, prose=prose(rng, 0))
        body_html = render_markdown(sample_body)  # the same for every story: cheaper
        minutes = reading_time(sample_body)
        kinds = Article.Kind.values
        articles = []
        # A few shows have thousands of stories, most a handful (a long tail).
        show_of = popular(rng, shows, count)
        for i in range(count):
            kind = kinds[i % len(kinds)]
            show = show_of[i]
            review = kind == Article.Kind.REVIEW
            articles.append(
                Article(
                    kind=kind,
                    title=f"Generated story {start}-{i} about {show.title}",
                    slug=f"gen-story-{start}-{i}",
                    dek="A generated standfirst for benchmarks.",
                    body=BODY.format(n=i, prose=prose(rng, i)),
                    body_html=body_html,
                    reading_time_min=minutes[0],
                    reading_time_max=minutes[1],
                    show=show,
                    season=season_of[show.pk] if review else None,
                    rating=Decimal(rng.randint(0, 10)) / 2 if review else None,
                    status=Article.Status.PUBLISHED,
                    publish_at=now - timedelta(minutes=i * 37),
                )
            )
        articles = Article.objects.bulk_create(articles, batch_size=500)
        Article.shows.through.objects.bulk_create(
            (Article.shows.through(article=a, show_id=a.show_id) for a in articles), batch_size=1000
        )
        Byline.objects.bulk_create(
            (
                Byline(article=a, writer=w, position=p)
                for a in articles
                for p, w in enumerate(rng.sample(writers, 2))
            ),
            batch_size=1000,
        )
        # The person each story is about, a few of them in the news all the time.
        Article.people.through.objects.bulk_create(
            (
                Article.people.through(article=a, person=p)
                for a, p in zip(articles, popular(rng, people, len(articles)), strict=True)
            ),
            batch_size=1000,
        )
        TaggedArticle.objects.bulk_create(
            (TaggedArticle(content_object=a, tag=t) for a in articles for t in rng.sample(tags, 3)),
            batch_size=1000,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {count} stories, {n_shows} shows, {n_people} people, "
                f"{n_writers} writers."
            )
        )
