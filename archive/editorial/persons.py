"""Persons of an episode: who speaks, under which name, and withdrawing a name.

Both actions change the episode (a new version, history, a change-log row),
so the page, every transcript format, the feed and every node's search index
follow at once. History never names a person: a saved list is recorded as
"sprekers gewijzigd", a withdrawal as "naam ingetrokken".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from ..models import PERSON_ROLES, SPEAKER_PERSPECTIVES, WITHDRAWN_LABEL, Episode, Person
from ..models.persons import NAME_LENGTH, URL_LENGTH
from ..text import Cue, clean_voice, cues_to_vtt, parse_transcript, voices
from .content import load
from .unit import Actor, EditorialError, ItemGone, Unit, bump, check_version, run

#: The fields of one person as the editor's form (or the demo) gives them.
PERSON_FIELDS: tuple[str, ...] = (
    "id", "voice", "name", "role", "perspective", "href", "img", "consent",
)  # fmt: skip


def _url(value: str, field: str) -> str:
    value = (value or "").strip()
    parts = urlsplit(value)
    if value and (parts.scheme != "https" or not parts.netloc or len(value) > URL_LENGTH):
        raise EditorialError(
            "Een link of afbeelding moet een volledig adres zijn dat begint met https://.",
            f"bad {field}: {value!r}",
            field=field,
        )
    return value


def _checked(values: Mapping[str, Any], number: int) -> dict[str, Any] | None:
    """One person's cleaned values; None for an empty row (no name and no voice)."""
    name = clean_voice(str(values.get("name") or ""))
    voice = clean_voice(str(values.get("voice") or ""))
    if not name and not voice:
        return None
    if not name:
        raise EditorialError(
            f"Spreker {number}: vul de naam in die we tonen (een schuilnaam mag).",
            f"person {number} without name",
            field="persons",
        )
    role = str(values.get("role") or "guest")
    perspective = str(values.get("perspective") or "")
    if role not in PERSON_ROLES or (perspective and perspective not in SPEAKER_PERSPECTIVES):
        raise EditorialError(
            f"Spreker {number}: kies een rol en perspectief uit de lijst.",
            f"person {number}: role {role!r}, perspective {perspective!r}",
            field="persons",
        )
    consent = bool(values.get("consent"))
    return {
        "voice": voice,
        "name": name[:NAME_LENGTH],
        "role": role,
        "perspective": perspective,
        "href": _url(str(values.get("href") or ""), "href") if consent else "",
        "img": _url(str(values.get("img") or ""), "img") if consent else "",
        # Restored by an import; once withdrawn, a name stays withdrawn (see save_persons).
        "name_withdrawn": values.get("name_withdrawn") is True,
    }


def _check_voices(rows: list[dict[str, Any]]) -> None:
    """Two persons cannot share a voice, nor a shown name (the transcript will carry it)."""
    for key, what in (("voice", "stem"), ("name", "naam")):
        seen: set[str] = set()
        for row in rows:
            if row[key] and row[key] in seen:
                raise EditorialError(
                    f"De {what} '{row[key]}' hoort al bij een andere spreker.",
                    f"{key} {row[key]!r} twice",
                    field="persons",
                )
            seen.add(row[key])


def _rename_voices(episode: Episode, renames: Mapping[str, str]) -> None:
    """Rewrite the stored transcript's voices (old label -> shown name)."""
    renames = {old: new for old, new in renames.items() if old and old != new}
    if not renames or not episode.transcript_vtt:
        return
    cues = parse_transcript(episode.transcript_vtt, "vtt")
    if not any(cue.speaker in renames for cue in cues):
        return
    episode.transcript_vtt = cues_to_vtt(
        [
            Cue(c.start, c.end, c.text, renames[c.speaker]) if c.speaker in renames else c
            for c in cues
        ]
    )


def save_persons(
    episode_id: int,
    persons: Sequence[Mapping[str, Any]],
    who: Actor | Any,
    *,
    version: int | None = None,
) -> Episode:
    """Replace the episode's persons by ``persons`` (in order; empty rows are skipped).

    A row with the ``id`` of an existing person changes that person (a
    withdrawn name stays withdrawn: ``href`` and ``img`` stay empty). Links and
    pictures are kept only with ``consent``. A person's voice in the stored
    transcript is rewritten to their shown name, so a real name the transcript
    used is not kept once a pseudonym is chosen. Raises EditorialError (Dutch) for
    a row without a name, an unknown role or perspective, a link that is not
    https, or one voice given to two persons; nothing is saved then.
    """
    checked = [(values, _checked(values, n)) for n, values in enumerate(persons, start=1)]
    rows = [(values, row) for values, row in checked if row is not None]
    _check_voices([row for _, row in rows])

    def work(unit: Unit) -> Episode:
        episode = load("episode", episode_id)
        assert isinstance(episode, Episode)
        unit.subject = (episode.kind, episode.id)
        check_version(episode, version)
        existing = {person.id: person for person in episode.persons}
        kept: list[Person] = []
        renames: dict[str, str] = {}
        for position, (values, row) in enumerate(rows):
            person = existing.get(_int(values.get("id"))) or Person()
            if person.name_withdrawn or row["name_withdrawn"]:
                row = {**row, "href": "", "img": "", "name_withdrawn": True}
            if row["voice"]:
                renames[row["voice"]] = row["name"]
                row = {**row, "voice": row["name"]}
            for name, value in row.items():
                setattr(person, name, value)
            person.position = position
            kept.append(person)
        _rename_voices(episode, renames)
        episode.persons = kept
        bump(episode)
        unit.changed(episode, "persons_changed")
        return episode

    return run(work, who)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _free_label(episode: Episode, wanted: str, person: Person) -> str:
    others = [other for other in episode.persons if other is not person]
    taken = {o.voice for o in others} | {o.name for o in others}
    taken |= set(voices(episode.transcript_cues())) - {person.voice}
    label, counter = wanted, 2
    while label in taken:
        label = f"{wanted} {counter}"
        counter += 1
    return label


def withdraw_name(
    episode_id: int,
    person_id: int,
    who: Actor | Any,
    *,
    label: str = WITHDRAWN_LABEL,
    version: int | None = None,
) -> Episode:
    """The person is shown as ``label`` (default "Verteller") from now on, everywhere.

    The name, link and picture are removed from the row, and the voice in the
    stored transcript is rewritten to the label, so the old name is kept
    nowhere: not on the page, in any transcript format, the feed (the person
    is no longer a ``podcast:person``) or the search index (which follows the
    change log). History records only "naam ingetrokken".
    """
    wanted = clean_voice(label) or WITHDRAWN_LABEL

    def work(unit: Unit) -> Episode:
        episode = load("episode", episode_id)
        assert isinstance(episode, Episode)
        unit.subject = (episode.kind, episode.id)
        check_version(episode, version)
        person = next((p for p in episode.persons if p.id == person_id), None)
        if person is None:
            raise ItemGone("Deze spreker bestaat niet (meer).", f"person {person_id} gone")
        neutral = _free_label(episode, wanted, person)
        _rename_voices(episode, {person.voice: neutral, person.name: neutral})
        person.name = neutral
        person.voice = neutral
        person.href = ""
        person.img = ""
        person.name_withdrawn = True
        bump(episode)
        unit.changed(episode, "name_withdrawn")
        return episode

    return run(work, who)


__all__ = ["PERSON_FIELDS", "save_persons", "withdraw_name"]
