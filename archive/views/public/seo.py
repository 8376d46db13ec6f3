"""What a page tells search engines and link previews: description, Open Graph, JSON-LD.

Every public page gets a meta description, a canonical URL and Open Graph
tags; item pages add schema.org data as JSON-LD (``PodcastEpisode``,
``PodcastSeries``, ``Article``, ``Event``). Views pass a :class:`PageMeta`
as ``meta``; pages without one get :func:`default_meta` from the table of
descriptions below. URLs are absolute (``ARCHIVE_BASE_URL`` or the request's
host, like the feeds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, request
from markupsafe import escape

from ... import agenda
from ...localtime import to_local
from ...models import Campaign, Episode, Event, Show, Story
from ...text import plain_text
from ..delivery import RequestUrls
from . import bp, queries
from .filters import iso_duur

SITE_NAME = "Week tegen Kindermishandeling: verhalen en podcasts"
PUBLISHER = {"@type": "Organization", "name": "Week tegen Kindermishandeling"}
#: The embeddable player's frame size (CSS pixels) in the code we offer.
EMBED_WIDTH, EMBED_HEIGHT = 640, 360
#: Longest meta description (search engines cut around 155–160 characters).
DESCRIPTION_LENGTH = 160

#: Endpoint -> meta description of pages without an item of their own.
DESCRIPTIONS: dict[str, str] = {
    "public.home": (
        "Verhalen en podcasts van professionals, ouders, kinderen en ervaringsdeskundigen "
        "over kindermishandeling, bij de Week tegen Kindermishandeling."
    ),
    "public.stories": (
        "Lees ervaringsverhalen over kindermishandeling: van leerkrachten, ouders, jongeren "
        "en ervaringsdeskundigen. Zoek op perspectief, onderwerp en editie."
    ),
    "public.podcast": (
        "Beluister de podcast over kindermishandeling: gesprekken met professionals, ouders "
        "en ervaringsdeskundigen, met uitgeschreven tekst."
    ),
    "public.campaigns": (
        "Alle edities van de Week tegen Kindermishandeling: elk jaar in november, met een "
        "eigen thema, verhalen en afleveringen."
    ),
    "public.agenda_page": (
        "De agenda van de Week tegen Kindermishandeling: webinars, bijeenkomsten en de week "
        "zelf. Ook als agenda om je op te abonneren."
    ),
    "public.help": (
        "Hulp bij kindermishandeling en huiselijk geweld: Veilig Thuis (0800-2000, gratis, "
        "dag en nacht) en De Kindertelefoon (0800-0432, elke dag 11:00–21:00)."
    ),
    "public.safe_browsing": (
        "Veilig surfen: zo wis je dit bezoek uit je browser, en zo gebruik je de knop Snel weg."
    ),
    "search.results": "Zoek in alle verhalen en afleveringen over kindermishandeling.",
}


@dataclass(frozen=True)
class PageMeta:
    description: str
    #: Canonical URL (None for pages without one, such as a 404).
    url: str | None = None
    og_type: str = "website"
    image: str | None = None
    audio: str | None = None
    audio_type: str | None = None
    json_ld: list[dict[str, Any]] = field(default_factory=list)


def describe(text: str) -> str:
    """Plain text cut at a word to at most :data:`DESCRIPTION_LENGTH` characters."""
    words = " ".join(plain_text(text).split())
    if len(words) <= DESCRIPTION_LENGTH:
        return words
    cut = words[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + "…"


def urls() -> RequestUrls:
    show = queries.default_show()
    return RequestUrls(current_app.config.get("BASE_URL"), show.id if show else None)


def _show_image(links: RequestUrls) -> str | None:
    show = queries.default_show()
    return links.artwork(show.artwork_path) if show and show.artwork_path else None


def _iso(moment: Any) -> str | None:
    local = to_local(moment)
    return local.isoformat() if local else None


def default_meta() -> PageMeta:
    """For pages that pass no ``meta``: the table's description and the page's own URL."""
    endpoint = request.endpoint or ""
    if endpoint not in DESCRIPTIONS:  # an error page: no canonical URL, and no query
        return PageMeta(DESCRIPTIONS["public.home"])
    links = urls()
    canonical = links.page(endpoint, **(request.view_args or {}))
    return PageMeta(DESCRIPTIONS[endpoint], canonical, image=_show_image(links))


def series_data(show: Show, links: RequestUrls) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "PodcastSeries",
        "name": show.title,
        "description": describe(show.description),
        "url": links.page("public.podcast"),
        "webFeed": links.show_feed(show),
        "inLanguage": show.language or "nl",
    }
    if show.author:
        data["author"] = {"@type": "Organization", "name": show.author}
    if show.artwork_path:
        data["image"] = links.artwork(show.artwork_path)
    return data


def for_show(show: Show | None) -> PageMeta:
    if show is None:
        return default_meta()
    links = urls()
    return PageMeta(
        describe(show.description) or DESCRIPTIONS["public.podcast"],
        links.page("public.podcast"),
        image=_show_image(links),
        json_ld=[{"@context": "https://schema.org", **series_data(show, links)}],
    )


def for_episode(episode: Episode, has_transcript: bool) -> PageMeta:
    links = urls()
    description = _preview_text(
        episode.summary, episode.show_notes, episode.content_note, f"Podcast: {episode.title}"
    )
    page = links.episode_page(episode)
    image = links.artwork(episode.artwork_path) if episode.artwork_path else _show_image(links)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "PodcastEpisode",
        "name": episode.title,
        "url": page,
        "description": description,
        "datePublished": _iso(episode.published_at),
        "inLanguage": "nl",
        "partOfSeries": series_data(episode.show, links),
    }
    if episode.number:
        data["episodeNumber"] = episode.number
    if episode.duration:
        data["timeRequired"] = iso_duur(episode.duration)
    audio = None
    if episode.audio_path:
        audio = links.media(episode)
        media: dict[str, Any] = {
            "@type": "AudioObject",
            "contentUrl": audio,
            "encodingFormat": episode.audio_mime,
            "contentSize": str(episode.audio_size),
        }
        if episode.duration:
            media["duration"] = iso_duur(episode.duration)
        data["associatedMedia"] = [media]
        if has_transcript:
            # Linked, not copied: the text is on the page already, and a copy in
            # the JSON-LD would double a long transcript's weight.
            data["associatedMedia"].append(
                {
                    "@type": "MediaObject",
                    "name": f"Transcript: {episode.title}",
                    "contentUrl": links.transcript(episode, "vtt"),
                    "encodingFormat": "text/vtt",
                    "inLanguage": "nl",
                }
            )
    if image:
        data["image"] = image
    return PageMeta(
        description,
        page,
        og_type="website",
        image=image,
        audio=audio,
        audio_type=episode.audio_mime,
        json_ld=[data],
    )


def _preview_text(summary: str, text: str, content_note: str, who: str) -> str:
    """What a link preview says: the summary; never the text itself behind a content note."""
    if summary:
        return describe(summary)
    if content_note:
        return describe(f"{who}. Let op: {content_note}")
    return describe(text)


def for_story(story: Story) -> PageMeta:
    links = urls()
    page = links.story_page(story)
    description = _preview_text(
        story.summary, story.body, story.content_note, f"Een verhaal van {story.author_name}"
    )
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": story.title,
        "description": description,
        "url": page,
        "datePublished": _iso(story.published_at),
        "dateModified": _iso(story.updated_at),
        "inLanguage": "nl",
        # The name the storyteller chose (a pseudonym is normal), nothing more.
        "author": {"@type": "Person", "name": story.author_name},
        "publisher": PUBLISHER,
        "wordCount": len(story.body.split()),
    }
    return PageMeta(
        description,
        page,
        og_type="article",
        image=_show_image(links),
        json_ld=[data],
    )


def _place(where: str, online_url: str = "") -> dict[str, Any]:
    if online_url:
        return {"@type": "VirtualLocation", "url": online_url}
    return {
        "@type": "Place",
        "name": where,
        "address": {"@type": "PostalAddress", "addressCountry": "NL"},
    }


def for_campaign(campaign: Campaign) -> PageMeta:
    links = urls()
    page = links.page("public.campaign", slug=campaign.slug)
    description = describe(
        f"{campaign.name}. Thema: {campaign.theme}. {campaign.introduction}"
        if campaign.theme
        else f"{campaign.name}. {campaign.introduction}"
    )
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": campaign.name,
        "description": description,
        "url": page,
        "startDate": campaign.starts_on.isoformat(),
        "endDate": campaign.ends_on.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
        "location": _place(campaign.location or "Landelijk"),
        "organizer": PUBLISHER,
        "inLanguage": "nl",
    }
    return PageMeta(description, page, image=_show_image(links), json_ld=[data])


def for_event(event: Event) -> PageMeta:
    links = urls()
    page = links.page("public.event", slug=event.slug)
    description = describe(f"{event.title}. {event.description}")
    online = event.place_kind == "online"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": description,
        "url": page,
        "startDate": _iso(event.starts_at),
        "endDate": _iso(event.ends_at),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode"
        if online
        else "https://schema.org/OfflineEventAttendanceMode",
        "location": _place(event.where, event.online_url if online else ""),
        "inLanguage": "nl",
    }
    if event.all_day:  # whole days: the first and the last (the stored end is exclusive)
        data["startDate"] = (_iso(event.starts_at) or "")[:10]
        data["endDate"] = agenda.last_day(event.ends_at).isoformat()
    if event.organiser:
        data["organizer"] = {"@type": "Organization", "name": event.organiser}
    return PageMeta(description, page, image=_show_image(links), json_ld=[data])


def embed_code(src: str, title: str, width: int = EMBED_WIDTH, height: int = EMBED_HEIGHT) -> str:
    """The ``<iframe>`` a partner site pastes to show the embeddable player."""
    return (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
        f'title="Podcast: {escape(title)}" loading="lazy" referrerpolicy="no-referrer" '
        'style="border:0;max-width:100%"></iframe>'
    )


@bp.app_context_processor
def seo_globals() -> dict[str, Any]:
    return {"default_meta": default_meta, "site_name": SITE_NAME}
