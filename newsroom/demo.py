"""The demo content: one show, Run Away, told through every kind of story.

Facts come from the show's public record; every sentence here is our own.
Everything is keyed by slug (or natural key) and upserted, so loading twice
changes nothing.
"""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from articles import services
from articles.models import Article, Byline, Correction
from articles.services import role_group
from images.models import Image
from people.models import Person, Writer
from shows.models import Credit, Genre, Network, Season, Show, StatusChange

from . import demo_pictures

# Local logins, created only with DEBUG on: one per newsroom role.
DEMO_LOGINS = {
    "editor": {"password": "newsroom-editor", "group": "Editors", "writer": "maya-okafor"},
    "writer": {"password": "newsroom-writer", "group": "Writers", "writer": "tom-reilly"},
}

GENRES = {
    "crime": "Crime",
    "psychological-thriller": "Psychological thriller",
    "family-drama": "Family drama",
}

PEOPLE = {
    "harlan-coben": (
        "Harlan Coben",
        "American novelist known for domestic thrillers built on buried secrets. Several of "
        "his books have been adapted for Netflix, most of them moved to an English setting.",
    ),
    "charlotte-coben": ("Charlotte Coben", "Writer and producer on Netflix's Coben adaptations."),
    "daniel-brocklehurst": ("Daniel Brocklehurst", "British television screenwriter."),
    "james-nesbitt": ("James Nesbitt", "Northern Irish actor."),
    "minnie-driver": ("Minnie Driver", "English actor and singer."),
    "ruth-jones": ("Ruth Jones", "Welsh actor and writer."),
    "ellie-de-lange": ("Ellie de Lange", "English actor."),
    "lucian-msamati": ("Lucian Msamati", "British actor."),
    "michelle-keegan": ("Michelle Keegan", "English actor."),
    "richard-armitage": ("Richard Armitage", "English actor."),
    "rosalind-eleazar": ("Rosalind Eleazar", "English actor."),
}

# title, slug, premiere, episodes, source title, source year, lead (person, character)
OTHER_COBEN_SHOWS = [
    ("The Stranger", "the-stranger", date(2020, 1, 30), 8, "The Stranger", 2015,
     ("richard-armitage", "Adam Price")),
    ("Fool Me Once", "fool-me-once", date(2024, 1, 1), 8, "Fool Me Once", 2016,
     ("michelle-keegan", "Maya Stern")),
    ("Missing You", "missing-you", date(2025, 1, 1), 5, "Missing You", 2014,
     ("rosalind-eleazar", "Kat Donovan")),
]  # fmt: skip

# (character, person) in billing order
RUN_AWAY_CAST = [
    ("Simon Greene", "james-nesbitt"),
    ("Ingrid Greene", "minnie-driver"),
    ("Elena Ravenscroft", "ruth-jones"),
    ("Paige Greene", "ellie-de-lange"),
    ("Cornelius Faber", "lucian-msamati"),
]

WRITERS = {
    "maya-okafor": {
        "name": "Maya Okafor",
        "job_title": "Senior Staff Writer",
        "bio": "Maya covers streaming television, renewals and the business of who gets a "
        "second season. Before joining Newsroom she spent six years on a regional arts desk.",
    },
    "tom-reilly": {
        "name": "Tom Reilly",
        "job_title": "Contributing TV Critic",
        "bio": "Tom reviews crime drama and thrillers, and keeps a running list of every "
        "twist he saw coming and the many more he did not.",
    },
}

# Invented shows on an invented channel, so the tracker shows every kind of decision
# without a word said about a real show that is not public record.
# title, slug, seasons as (premiere, episodes), status, announced, season it concerns, note
FICTIONAL_SHOWS = [
    ("Harbour Lights", "harbour-lights", [(date(2024, 3, 1), 8), (date(2025, 3, 7), 8)],
     "renewed", date(2025, 4, 2), None, "Renewed for a third season."),
    ("The Glass Orchard", "the-glass-orchard",
     [(date(2022, 9, 9), 10), (date(2023, 9, 8), 10), (date(2025, 2, 14), 10)],
     "ending", date(2025, 9, 15), None, "The fourth season will be the last."),
    ("Night Desk", "night-desk", [(date(2023, 10, 6), 6), (date(2024, 10, 4), 6)],
     "cancelled", date(2025, 1, 20), 2, "Cancelled after two seasons."),
    ("Saltmarsh", "saltmarsh", [(date(2025, 10, 3), 6)],
     "pending", date(2025, 11, 7), 1, "The channel has not yet said whether it will return."),
    # The decision its story reported; COPPER_HILL has the one that came after.
    ("Copper Hill", "copper-hill", [(date(2025, 5, 2), 6), (None, None)],
     "pending", date(2025, 6, 20), 2, "Demo Channel said it would decide after the summer."),
]  # fmt: skip
FICTIONAL_SYNOPSIS = "An invented series on an invented channel, made up for this demo."

# An invented show whose renewal story has been overtaken: the story reported that Demo
# Channel had not decided; the decision recorded after it (a renewal) makes the story
# show "Since this story" to readers and puts it on the desk's list of stories to check.
COPPER_HILL = {
    "renewed": (date(2026, 2, 12), "Renewed for a second season."),
    "published": date(2025, 6, 23),
}
COPPER_HILL_BODY = """\
## Where it stands

Demo Channel has not yet said whether *Copper Hill* will return. The channel told
viewers it would decide after the summer, once the first season has finished its run.

## What we know

Copper Hill is an invented show, made up so this demo has a renewal story that the
news later overtakes. Its record says one season of six episodes, first shown in
May 2025. Nothing has been said about a second.
"""
# A correction on the story about an invented show, so the corrections log has an entry.
DEMO_CORRECTION = (
    "An earlier version of this story gave the second season's premiere as 14 March 2025. "
    "It was 7 March 2025."
)

HARBOUR_LIGHTS_BODY = """\
## The news

Demo Channel has renewed *Harbour Lights* for a third season, a little under a
month after the second season ended.

## What we know

Harbour Lights is an invented show, made up so this demo has a renewal to
report. Its record says two seasons of eight episodes each, the first in March
2024 and the second in March 2025. No date has been given for the third.
"""

# The site's own pages, linked from every footer; editors change them in the admin.
SITE_PAGES = {
    "/about/": (
        "About Newsroom",
        """\
Newsroom covers television: reviews of new seasons, explainers about the true stories
and places behind shows, and news of which series are renewed, cancelled or ending.

Facts about a show (its network, seasons, cast and renewal status) are kept once and
shown wherever we write about it, so a correction reaches every page at once.
""",
    ),
    "/standards/": (
        "Standards and ethics",
        """\
## What we promise

- We say what is confirmed and who confirmed it; we say when something is not yet known.
- Reviews are the critic's own view, and say what was watched (a season, or episodes of it).
- Spoilers are marked and folded away, on the page and in our feeds.
- We do not accept payment for coverage, and we say so when a network gave us early access.

## Pictures

Every picture says where it comes from. Illustrations we draw ourselves are credited
"Illustration: Newsroom".
""",
    ),
    "/corrections-policy/": (
        "Corrections policy",
        """\
We correct mistakes as soon as we know of them. A correction changes the story and
adds a dated note to it, linked from its top, saying what was wrong and what is right;
the story's "updated" date changes with it, and the note is listed in our
[corrections log](/corrections/). A clarification does the same where a story was
right but unclear. When news moves on, we add an update note instead.

To report a mistake, write to the editors (see [Contact](/contact/)) with the address
of the page and what is wrong.
""",
    ),
    "/contact/": (
        "Contact",
        """\
Write to the editors at editors@newsroom.example about a story, a correction or a
picture credit. We read everything, and answer what we can.
""",
    ),
    "/privacy/": (
        "Privacy",
        """\
Newsroom sets no cookies for readers and runs no advertising or tracking scripts.
Our servers keep ordinary access logs (address, page, time) for up to 30 days to keep
the site running and safe. Editors who sign in to the editors' desk get a session
cookie for that purpose only.
""",
    ),
}

RENEWAL_BODY = """\
## The latest

There is no second season of *Run Away* on Netflix's slate, and none is expected.
The eight episodes arrived together on 1 January 2026 and were billed from the
start as a limited series: one novel, one story, one ending.

That puts it in line with every other Harlan Coben adaptation the streamer has
made in England. *The Stranger*, *Fool Me Once* and *Missing You* each told a
single book from start to finish and stopped there, however well they did in
the charts.

## Could it come back?

Only in an unusual way. The 2019 novel that the series adapts is a standalone
book, so there is no sequel to draw on, and the final episode settles the
questions the story asks. A second run would mean writing new material for
the Greene family, something Netflix has not done with any Coben title so far.

What does continue is the partnership itself. Netflix and Coben have a
long-running deal, and a new adaptation tends to land every New Year's Day.
Fans of the cast and the tone are far more likely to get another Coben
thriller than more of this one.

## Our verdict on its chances

**Very unlikely.** Treat *Run Away* as complete. If that changes, the renewal
tracker will say so the day it is announced.
"""

REVIEW_BODY = """\
*Run Away* opens with a father doing something every parent of an addict has
imagined: he finds his missing daughter in a city park and tries to bring her
home. It goes wrong in seconds, someone films it, and by the next morning
Simon Greene is a stranger's idea of a villain online while Paige has vanished
again.

## A father's search, told at a sprint

James Nesbitt plays Simon as a decent man losing his footing one step at a
time, and the series is at its best when it stays close to him. Minnie Driver
gives Ingrid, the mother, a harder and more practical edge, which keeps the
marriage from turning into a simple story of blame. Ruth Jones is a welcome
surprise as Elena Ravenscroft, a private investigator whose dry calm cuts
through the panic around her.

The search leads into places that feel bolted on from other thrillers: a cult
with a grand name, a pair of hired killers with a strange line in small talk,
and a genealogy website that turns out to connect a string of deaths. Each
thread is fun on its own. Together they make the middle episodes crowded, and
one or two of them are wrapped up in a line of dialogue.

:::pullquote
The show is at its strongest when it forgets the conspiracy and watches a
family come apart.
:::

## How it compares

Coben's Netflix run has a house style by now, and *Run Away* is the bleakest
entry so far. The comparison table below this review sets it beside the
others; the short version is that it trades the twist-a-minute rush of
*Fool Me Once* for something closer to grief.

:::spoiler How the ending lands
The final reveal reframes Paige's disappearance as something her family
could never have fixed by finding her. It is a braver ending than the genre
usually allows, and it is the reason the rating is this high.
:::

## The verdict

Overstuffed in the middle, superbly acted at its core, and braver at the end
than it needs to be. Eight episodes that are very hard to stop watching.
"""

EXPLAINER_BODY = """\
Every few episodes, *Run Away* does something that makes viewers wonder
whether it happened to someone: a viral video that ruins a man's reputation
overnight, a group of adopted people found through a family-tree website, a
cult operating in plain sight. The short answer is no. The longer answer says
a lot about how Harlan Coben builds his stories.

## Is Run Away based on a true story?

No. The series adapts *Run Away*, a novel Coben published in 2019, and the
novel is fiction. The Greene family, their daughter Paige and the
investigation that follows were all invented for the book.

## Where the ideas come from

Coben's thrillers tend to begin with an ordinary worry and then ask what
would follow if it came true. Here the worry is a child who is missing while
still, in a sense, within reach: Paige is not taken, she leaves, and her
parents cannot make her stay.

Several threads lean on things that do happen in real life, even though the
events on screen do not:

- **Filmed confrontations going viral.** A bystander's phone footage turning a
  private crisis into a public judgement is familiar from news coverage, and
  the show uses it to isolate Simon early on.
- **Consumer DNA testing.** Home genetic tests have reunited relatives who
  never knew the others existed. The show borrows the idea and gives it a
  much darker use.
- **Closed religious groups.** The cult in the series is invented, but its
  way of cutting members off from their families follows a pattern that
  researchers and former members have described for decades.

:::pullquote
The events are invented; the fears they play on are not.
:::

## Why it feels real

The performances do a lot of the work. James Nesbitt plays Simon as a man
whose devotion to his daughter is also what blinds him, and Minnie Driver
makes Ingrid far more than the worried mother in the background. Grounded
acting makes an invented plot feel reported.

## Where was Run Away filmed?

The book is set in and around New York, but the series moves the story to
England, as Netflix's Coben adaptations usually do. Filming took place in
Manchester and across north-west England, and the city's parks, terraced
streets and motorway edges stand in for the book's American locations.

## Fact and fiction at a glance

| In the series | Real or invented? |
| --- | --- |
| The Greene family | Invented for the novel |
| The viral video | Invented, but a familiar modern story |
| The genealogy website | Invented, modelled on real DNA-testing services |
| The cult | Invented |
| Manchester locations | Real |

:::spoiler What the ending borrows from real life
The last episode ties the murders to a decision made years earlier about the
adoptees' origins. No real case matches it; it is a novelist's twist on the
real shock some people feel when a DNA test rewrites their family history.
:::
"""


CREDIT = "Illustration: Newsroom"


def _fictional_shows(writers):
    """The invented shows of FICTIONAL_SHOWS, with their seasons and decisions, and one
    renewal story; returns the stories."""
    channel = _upsert(Network, {"slug": "demo-channel"}, name="Demo Channel")
    for title, slug, seasons, status, announced, about, note in FICTIONAL_SHOWS:
        show = _upsert(
            Show, {"slug": slug}, title=title, network=channel,
            format=Show.Format.ONGOING, premiere_date=seasons[0][0], synopsis=FICTIONAL_SYNOPSIS,
        )  # fmt: skip
        made = [
            _upsert(
                Season,
                {"show": show, "number": number},
                premiere_date=premiere,
                finale_date=premiere,
                episode_count=episodes,
            )  # fmt: skip
            for number, (premiere, episodes) in enumerate(seasons, start=1)
        ]
        _upsert(
            StatusChange, {"show": show, "status": status},
            season=made[about - 1] if about else None, announced_on=announced, note=note,
        )  # fmt: skip
    harbour = Show.objects.get(slug="harbour-lights")
    story = _upsert(
        Article,
        {"slug": "harbour-lights-renewed-season-3"},
        kind=Article.Kind.RENEWAL,
        title="Harbour Lights renewed for season 3",
        dek="The invented drama that anchors this demo's renewal tracker is coming back.",
        body=HARBOUR_LIGHTS_BODY,
        show=harbour,
        status_change=harbour.status_changes.get(),
        status=Article.Status.PUBLISHED,
        publish_at=_publish_time(date(2025, 4, 2), 15),
    )
    waiting = StatusChange.objects.get(show__slug="copper-hill", status=StatusChange.Status.PENDING)
    overtaken = _upsert(
        Article,
        {"slug": "will-copper-hill-get-a-second-season"},
        kind=Article.Kind.RENEWAL,
        title="Will Copper Hill get a second season?",
        dek="The invented mystery's channel is taking its time. What we know so far.",
        body=COPPER_HILL_BODY,
        show=waiting.show,
        status_change=waiting,
        status=Article.Status.PUBLISHED,
        publish_at=_publish_time(COPPER_HILL["published"], 11),
    )
    for article in (story, overtaken):
        article.bylines.exclude(writer=writers["maya-okafor"]).delete()
        _upsert(Byline, {"article": article, "writer": writers["maya-okafor"]}, position=0)
        article.tags.set(["Renewals"])
    return [story, overtaken]


def _news_since(stories):
    """What happened after the demo's stories: each is checked against its shows' facts
    as loaded (once), then Copper Hill is renewed, which its story did not know; and the
    Harbour Lights story gets its correction (once)."""
    unchecked = Article.objects.filter(pk__in=[story.pk for story in stories])
    unchecked.filter(facts_checked_at__isnull=True).update(facts_checked_at=timezone.now())
    show = Show.objects.get(slug="copper-hill")
    announced, note = COPPER_HILL["renewed"]
    _upsert(
        StatusChange, {"show": show, "status": StatusChange.Status.RENEWED},
        season=show.seasons.get(number=2), announced_on=announced, note=note,
    )  # fmt: skip
    harbour = Article.objects.get(slug="harbour-lights-renewed-season-3")
    if not harbour.corrections.exists():
        services.add_note(
            article=harbour,
            user=None,
            kind=Correction.Kind.CORRECTION,
            text=DEMO_CORRECTION,
            when=_publish_time(date(2025, 4, 3), 9),
        )


def _site_pages():
    """The footer's pages (SITE_PAGES), on this site."""
    site = Site.objects.get_current()
    for url, (title, content) in SITE_PAGES.items():
        page = _upsert(FlatPage, {"url": url}, title=title, content=content)
        page.sites.add(site)


def _give_pictures(shows, people, writers):
    """Key art for every show and a portrait for every person and writer."""
    for show in shows:
        network = show.network.name if show.network else "Television"
        art = _library_picture(
            f"{show.title}: key art",
            alt=f"Key art for {show.title}: the title in capitals under a circle motif",
            drawing=lambda show=show, network=network: demo_pictures.key_art(
                show.title, network, show.slug
            ),
            name=f"{show.slug}-key-art.jpg",
            focal=(0.5, 0.68),  # the title, which the 16:9 crop keeps
        )
        Show.objects.filter(pk=show.pk).exclude(poster=art).update(poster=art)
    for model, profiles in ((Person, people), (Writer, writers)):
        for profile in profiles:
            photo = _library_picture(
                f"{profile.name}: portrait",
                alt=f"Illustrated portrait standing in for a photo of {profile.name}",
                drawing=lambda p=profile: demo_pictures.portrait(p.name, p.slug),
                name=f"{profile.slug}.jpg",
                focal=(0.5, 0.4),  # the head
            )
            model.objects.filter(pk=profile.pk).exclude(photo=photo).update(photo=photo)


def _give_heroes(stories):
    """A title card for every story: its show's title, else its headline, and its kind."""
    for story in stories:
        subject = story.show.title if story.show_id else story.title
        hero = _library_picture(
            f"{story.title}: title card",
            alt=f"Title card reading {subject}, {story.get_kind_display().lower()}",
            drawing=lambda s=story, subject=subject: demo_pictures.title_card(
                subject, s.get_kind_display(), s.slug
            ),
            name=f"{story.slug}.jpg",
        )
        Article.objects.filter(pk=story.pk).exclude(hero=hero).update(hero=hero)


# What this process has drawn and stored: title -> (file name, width, height, renditions).
# A second load in the same process (the test suite loads the demo many times, rolling
# it back each time) names the same files instead of drawing them again.
_DRAWN = {}


def _library_picture(title, *, alt, drawing, name, caption="", focal=(0.5, 0.5)):
    """The library image called ``title``, drawn by ``drawing()`` if it is new or its
    file has gone; a second run writes nothing."""
    image = _upsert(
        Image, {"title": title}, alt=alt, caption=caption, credit=CREDIT,
        focal_x=focal[0], focal_y=focal[1],
    )  # fmt: skip
    if image.file and image.file.storage.exists(image.file.name):
        return image
    drawn = _DRAWN.get(title)
    if drawn and image.file.storage.exists(drawn[0]):
        image.file.name, image.width, image.height, image.renditions = drawn
        image.save()
    else:
        image.file.save(name, ContentFile(drawing()), save=True)
        _DRAWN[title] = (image.file.name, image.width, image.height, image.renditions)
    return image


def _upsert(model, lookup, **values):
    """get_or_create, then save only what differs: a second run writes nothing."""
    obj, created = model.objects.get_or_create(defaults=values, **lookup)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not created and changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj


def _publish_time(day, hour):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


@transaction.atomic
def load_demo():
    netflix = _upsert(
        Network, {"slug": "netflix"}, name="Netflix", website="https://www.netflix.com"
    )
    genres = {slug: _upsert(Genre, {"slug": slug}, name=name) for slug, name in GENRES.items()}
    people = {
        slug: _upsert(Person, {"slug": slug}, name=name, bio=bio)
        for slug, (name, bio) in PEOPLE.items()
    }
    coben = people["harlan-coben"]

    run_away = _upsert(
        Show,
        {"slug": "run-away"},
        title="Run Away",
        network=netflix,
        format=Show.Format.LIMITED,
        premiere_date=date(2026, 1, 1),
        synopsis="A father tracks down his runaway daughter, loses her again after a "
        "confrontation that is filmed and shared online, and follows her trail into a "
        "world of cults, hired killers and a series of murders linked by a family-tree "
        "website.",
        source_title="Run Away",
        source_year=2019,
        source_author=coben,
        filming_locations="Manchester, England\nNorth-west England",
    )
    run_away.genres.set(genres.values())
    season_one = _upsert(
        Season,
        {"show": run_away, "number": 1},
        premiere_date=date(2026, 1, 1),
        finale_date=date(2026, 1, 1),
        episode_count=8,
    )
    for order, (character, slug) in enumerate(RUN_AWAY_CAST, start=1):
        _upsert(
            Credit,
            {"show": run_away, "person": people[slug], "role": Credit.Role.CAST,
             "character_name": character},
            billing_order=order,
        )  # fmt: skip
    crew = [
        ("harlan-coben", Credit.Role.SOURCE_AUTHOR, ""),
        ("daniel-brocklehurst", Credit.Role.WRITER, "Screenplay"),
        ("charlotte-coben", Credit.Role.WRITER, "Two episodes"),
        ("charlotte-coben", Credit.Role.PRODUCER, "Associate producer"),
    ]
    for order, (slug, role, job) in enumerate(crew, start=1):
        _upsert(
            Credit,
            {"show": run_away, "person": people[slug], "role": role, "character_name": ""},
            job=job,
            billing_order=order,
        )
    limited = _upsert(
        StatusChange,
        {"show": run_away, "status": StatusChange.Status.LIMITED},
        season=season_one,
        announced_on=date(2026, 1, 1),
        note="Released as a limited series; no second season is planned.",
    )

    for title, slug, premiere, episodes, source, year, (lead, character) in OTHER_COBEN_SHOWS:
        show = _upsert(
            Show,
            {"slug": slug},
            title=title,
            network=netflix,
            format=Show.Format.LIMITED,
            premiere_date=premiere,
            source_title=source,
            source_year=year,
            source_author=coben,
        )
        show.genres.set([genres["crime"], genres["psychological-thriller"]])
        season = _upsert(
            Season,
            {"show": show, "number": 1},
            premiere_date=premiere,
            finale_date=premiere,
            episode_count=episodes,
        )
        _upsert(
            Credit,
            {"show": show, "person": people[lead], "role": Credit.Role.CAST,
             "character_name": character},
            billing_order=1,
        )  # fmt: skip
        _upsert(
            Credit,
            {"show": show, "person": coben, "role": Credit.Role.SOURCE_AUTHOR,
             "character_name": ""},
        )  # fmt: skip
        _upsert(
            StatusChange,
            {"show": show, "status": StatusChange.Status.LIMITED},
            season=season,
            announced_on=premiere,
            note="Released as a limited series.",
        )

    writers = {slug: _upsert(Writer, {"slug": slug}, **data) for slug, data in WRITERS.items()}
    if settings.DEBUG:
        for username, login in DEMO_LOGINS.items():
            _upsert(Writer, {"slug": login["writer"]}, user=_demo_login(username, **login))

    published = Article.Status.PUBLISHED
    renewal = _upsert(
        Article,
        {"slug": "run-away-season-2-renewal-status"},
        kind=Article.Kind.RENEWAL,
        title="Will there be a Run Away season 2? What we know",
        dek="Netflix's latest Harlan Coben thriller was made as a one-season story. "
        "Here is where that leaves fans hoping for more.",
        body=RENEWAL_BODY,
        show=run_away,
        status_change=limited,
        status=published,
        publish_at=_publish_time(date(2026, 1, 6), 9),
        seo_description="Is Run Away coming back for season 2 on Netflix? The renewal "
        "status of the Harlan Coben limited series, and its chances.",
    )
    review = _upsert(
        Article,
        {"slug": "run-away-season-1-review"},
        kind=Article.Kind.REVIEW,
        title="Run Away season 1 review: a bleak, gripping Coben thriller",
        dek="James Nesbitt leads Netflix's darkest Harlan Coben adaptation yet, a family "
        "drama that survives its busiest subplots.",
        body=REVIEW_BODY,
        show=run_away,
        season=season_one,
        rating=Decimal("4.5"),
        verdict="Crowded in the middle and superb at its core: the Coben adaptation to "
        "watch this year.",
        watch_if="You like thrillers where the family story matters as much as the mystery\n"
        "You enjoyed Fool Me Once or The Stranger\n"
        "You want a series you can finish in a weekend",
        skip_if="You want a light watch: this one is bleak\n"
        "Scenes of addiction and violence are hard for you\n"
        "Subplots that feel borrowed from other thrillers put you off",
        status=published,
        publish_at=_publish_time(date(2026, 1, 2), 7),
        featured=True,
    )
    explainer = _upsert(
        Article,
        {"slug": "is-run-away-a-true-story"},
        kind=Article.Kind.EXPLAINER,
        title="Is Run Away a true story? The real inspiration explained",
        dek="The Netflix series feels ripped from the headlines. It is not, but the fears "
        "it plays on are real. Here is what is fact, what is fiction, and where it was "
        "filmed.",
        body=EXPLAINER_BODY,
        show=run_away,
        status=published,
        publish_at=_publish_time(date(2026, 1, 4), 12),
        seo_title="Is Run Away based on a true story? Inspiration and filming locations",
    )

    bylines = {
        renewal: ["maya-okafor"],
        review: ["tom-reilly"],
        explainer: ["maya-okafor", "tom-reilly"],
    }
    for article, slugs in bylines.items():
        article.bylines.exclude(writer__slug__in=slugs).delete()
        for position, slug in enumerate(slugs):
            _upsert(Byline, {"article": article, "writer": writers[slug]}, position=position)

    cast = [people[slug] for _, slug in RUN_AWAY_CAST]
    review.people.set(cast[:3])
    explainer.people.set([coben, *cast[:2]])
    renewal.people.set([coben])
    review.tags.set(["Harlan Coben", "Netflix", "Crime drama"])
    explainer.tags.set(["Harlan Coben", "Netflix", "True stories", "Filming locations"])
    renewal.tags.set(["Harlan Coben", "Netflix", "Renewals"])
    review.related.set([explainer, renewal])
    explainer.related.set([review])
    renewal.related.set([review])

    _site_pages()
    fictional = _fictional_shows(writers)
    shows = Show.objects.select_related("network")
    _give_pictures(list(shows), list(people.values()), list(writers.values()))
    _give_heroes([renewal, review, explainer, *fictional])
    _news_since([renewal, review, explainer, *fictional])

    return {
        "shows": Show.objects.count(),
        "people": Person.objects.count(),
        "writers": Writer.objects.count(),
        "stories": Article.objects.count(),
    }


def _demo_login(username, *, password, group, writer):
    """A local login in one of the newsroom's groups. Only called when DEBUG is on."""
    user, _ = get_user_model().objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@localhost", "first_name": "Demo", "last_name": group[:-1]},
    )
    user.is_staff, user.is_superuser = True, False  # the role comes from the group alone
    user.set_password(password)
    user.save()
    user.groups.add(role_group(group))
    return user
