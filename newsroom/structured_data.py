"""schema.org JSON-LD for the public pages, built from the same records the page shows.

Only headlines, standfirsts, bios and facts go in: never the body, so spoiler
text cannot leak into search results.
"""

from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from images import cards
from images.renditions import CROPS, best

PUBLISHER_NAME = "Newsroom"
LOGO = "img/newsroom-logo.png"


def _url(request, path):
    return request.build_absolute_uri(path) if path else None


def _image(request, image):
    shared = cards.shared_image(image)
    return _url(request, shared["url"]) if shared else None


def _story_images(request, article):
    """The story's picture cropped at each ratio Google asks for (16:9 first: the one
    it is shared with), else the picture it is shared with (a card, perhaps)."""
    picture, width = article.picture, cards.SHARED_WIDTH
    crops = [best(picture.renditions, width, ratio) for ratio in CROPS] if picture else []
    urls = [_url(request, default_storage.url(crop["name"])) for crop in crops if crop]
    return urls or _url(request, (article.shared_image or {}).get("url"))


def iso_time(value):
    """A time as ISO 8601 to the second, with its offset (None stays None)."""
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else None


def _drop_empty(data):
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def publisher(request):
    return {
        "@type": "NewsMediaOrganization",
        "name": PUBLISHER_NAME,
        "url": _url(request, "/"),
        "logo": {"@type": "ImageObject", "url": _url(request, static(LOGO))},
    }


def website(request):
    """The home page: the site, its publisher, and how to search it."""
    return {
        "@type": "WebSite",
        "name": PUBLISHER_NAME,
        "url": _url(request, "/"),
        "publisher": publisher(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": _url(request, reverse("search")) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def person(request, profile):
    return _drop_empty(
        {
            "@type": "Person",
            "name": profile.name,
            "url": _url(request, profile.get_absolute_url()),
            "image": _image(request, profile.photo),
            "jobTitle": getattr(profile, "job_title", ""),
            "description": profile.bio,
        }
    )


def tv_series_ref(request, show):
    return {"@type": "TVSeries", "name": show.title, "url": _url(request, show.get_absolute_url())}


def tv_season(request, season, show):
    return _drop_empty(
        {
            "@type": "TVSeason",
            "name": f"{show.title}, season {season.number}",
            "seasonNumber": season.number,
            "numberOfEpisodes": season.episode_count,
            "startDate": season.premiere_date.isoformat() if season.premiere_date else None,
            "endDate": season.finale_date.isoformat() if season.finale_date else None,
            "partOfSeries": tv_series_ref(request, show),
        }
    )


def news_article(request, article):
    url = _url(request, article.get_absolute_url())
    return _drop_empty(
        {
            "@type": "NewsArticle",
            "@id": url + "#article",
            "mainEntityOfPage": url,
            "headline": article.title[:110],
            "description": article.seo_description or article.dek,
            "image": _story_images(request, article),
            "datePublished": iso_time(article.publish_at),
            "dateModified": iso_time(article.modified_at),
            "author": [person(request, writer) for writer in article.byline],
            "publisher": publisher(request),
            "articleSection": article.get_kind_display(),
            "keywords": [tag.name for tag in article.tags.all()],
            "about": [tv_series_ref(request, article.show)] if article.show else [],
            "correction": [
                {
                    "@type": "CorrectionComment",
                    "text": note.text,
                    "datePublished": iso_time(note.noted_at),
                }
                for note in article.corrections.all()
                if note.kind in note.ADMITTED
            ],
        }
    )


def review(request, article):
    if article.rating is None or not article.show:
        return None
    item = (
        tv_season(request, article.season, article.show)
        if article.season
        else tv_series_ref(request, article.show)
    )

    def notes(lines):
        return {
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "position": i, "name": line}
                for i, line in enumerate(lines, start=1)
            ],
        }

    return _drop_empty(
        {
            "@type": "Review",
            "name": article.title,
            "url": _url(request, article.get_absolute_url()),
            "itemReviewed": item,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": str(article.rating),
                "bestRating": "5",
                "worstRating": "0",
            },
            "reviewBody": article.verdict,
            "author": [person(request, writer) for writer in article.byline],
            "publisher": publisher(request),
            "datePublished": iso_time(article.publish_at),
            "positiveNotes": notes(article.watch_if_list) if article.watch_if_list else None,
            "negativeNotes": notes(article.skip_if_list) if article.skip_if_list else None,
        }
    )


def article_graph(request, article):
    return [item for item in (news_article(request, article), review(request, article)) if item]


def tv_series(request, show, cast):
    seasons = list(show.seasons.all())
    source = None
    if show.source_title:
        source = _drop_empty(
            {
                "@type": "Book",
                "name": show.source_title,
                "datePublished": str(show.source_year) if show.source_year else None,
                "author": person(request, show.source_author) if show.source_author else None,
            }
        )
    return _drop_empty(
        {
            "@type": "TVSeries",
            "name": show.title,
            "url": _url(request, show.get_absolute_url()),
            "description": show.synopsis,
            "image": _image(request, show.poster),
            "genre": [genre.name for genre in show.genres.all()],
            "startDate": show.premiere_date.isoformat() if show.premiere_date else None,
            "productionCompany": {"@type": "Organization", "name": show.network.name}
            if show.network
            else None,
            "numberOfSeasons": len(seasons),
            "numberOfEpisodes": sum(s.episode_count or 0 for s in seasons) or None,
            "containsSeason": [tv_season(request, season, show) for season in seasons],
            "actor": [
                _drop_empty(
                    {
                        "@type": "PerformanceRole",
                        "actor": person(request, credit.person),
                        "characterName": credit.character_name,
                    }
                )
                for credit in cast
            ],
            "isBasedOn": source,
        }
    )


def breadcrumbs(request, crumbs):
    """crumbs: (name, path) pairs after Home; the last may have no path (the page itself)."""
    items = [("Home", "/"), *crumbs]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            _drop_empty(
                {
                    "@type": "ListItem",
                    "position": position,
                    "name": name,
                    "item": _url(request, path or request.path),
                }
            )
            for position, (name, path) in enumerate(items, start=1)
        ],
    }


def document(items):
    """Wrap schema.org items as one JSON-LD document."""
    return {"@context": "https://schema.org", "@graph": [item for item in items if item]}
