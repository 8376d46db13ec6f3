"""``flask check``: compare the database with the media files and report drift.

The database is the truth. Drift is what a crash, a restore or a hand edit can
leave behind: an episode whose audio file is missing or differs from what the
database says, files nobody refers to, upload temp files left by a killed
process, items whose index update failed. ``repair`` fixes what can be fixed
without guessing: it removes orphaned temp files and unreferenced files, and
re-indexes flagged items. A missing or changed audio file is only reported:
an editor must upload it again.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from . import search
from .editorial import changelog
from .models import Episode, Show, Story, db
from .search.documents import item_key, item_version
from .storage import TEMP_PREFIX, file_sha256, media_store

log = logging.getLogger(__name__)

#: The short content hash at the end of an artwork file name.
ARTWORK_HASH = re.compile(r"-([0-9a-f]{12})\.[a-z]+$")
#: Temp files younger than this may belong to an upload in progress.
TEMP_GRACE_SECONDS = 6 * 3600


@dataclass(frozen=True)
class Finding:
    problem: str
    subject: str
    repaired: bool = False

    def __str__(self) -> str:
        mark = " (hersteld)" if self.repaired else ""
        return f"{self.problem}: {self.subject}{mark}"


def check_media(deep: bool = False, repair: bool = False) -> list[Finding]:
    """Episodes and shows against their files; with ``deep`` also compare content hashes.

    Audio is compared with the sha256 in the database, artwork with the short
    hash its file name carries.
    """
    store = media_store()
    findings: list[Finding] = []
    referenced: set[str] = set()
    for episode in db.session.scalars(select(Episode)):
        for name in (episode.audio_path, episode.artwork_path):
            if name:
                referenced.add(name)
        if not episode.audio_path:
            continue
        path = store.path(episode.audio_path)
        label = f"aflevering {episode.slug} ({episode.audio_path})"
        if not path.is_file():
            findings.append(Finding("audiobestand ontbreekt", label))
        elif path.stat().st_size != episode.audio_size:
            findings.append(Finding("audiobestand heeft een andere grootte", label))
        elif deep and file_sha256(path) != episode.audio_sha256:
            findings.append(Finding("audiobestand heeft andere inhoud", label))
        if deep and episode.artwork_path:
            findings += _check_artwork(episode.artwork_path, f"aflevering {episode.slug}")
    for show in db.session.scalars(select(Show)):
        if show.artwork_path:
            referenced.add(show.artwork_path)
            if not store.path(show.artwork_path).is_file():
                findings.append(Finding("artwork ontbreekt", f"podcast {show.slug}"))
            elif deep:
                findings += _check_artwork(show.artwork_path, f"podcast {show.slug}")
    now = time.time()
    for path in sorted(store.root.iterdir()):
        if path.name == ".gitkeep" or not path.is_file() or path.name in referenced:
            continue
        if path.name.startswith(TEMP_PREFIX):
            if now - path.stat().st_mtime < TEMP_GRACE_SECONDS:
                continue
            problem = "achtergebleven tijdelijk bestand"
        else:
            problem = "bestand zonder aflevering"
        if repair:
            path.unlink(missing_ok=True)
        findings.append(Finding(problem, path.name, repaired=repair))
    return findings


def _check_artwork(name: str, owner: str) -> list[Finding]:
    """Artwork against the hash its name carries (``...-<sha256[:12]>.jpg``)."""
    path = media_store().path(name)
    if not path.is_file():
        return [Finding("artwork ontbreekt", f"{owner} ({name})")]
    expected = ARTWORK_HASH.search(name)
    if expected and not file_sha256(path).startswith(expected.group(1)):
        return [Finding("artwork heeft andere inhoud", f"{owner} ({name})")]
    return []


def check_index(repair: bool = False) -> list[Finding]:
    """The search index against the database, item by item.

    Compares what each published (or scheduled) item would be indexed as with
    the version the index holds: missing, out of date (an edit the index did
    not see: a failed update, a restore, or an edit made on another app node),
    or present while it should not be (withdrawn, deleted). ``repair`` brings
    each item up to date. The spelling suggestions are drawn from the same
    documents (``search.suggest``), so this is also their drift: a withdrawn
    item still in the index would lend its words to "Bedoelde je …?".
    """
    if not search.schema_is_current():
        # An index built by an older version: item by item makes no sense until a rebuild.
        done = False
        if repair:
            try:
                search.rebuild()
                done = search.schema_is_current()
            except Exception:  # reported below as not repaired; the log has the cause
                log.exception("rebuilding the search index failed")
        return [Finding("zoekindex heeft een ouder schema (draai flask reindex)", "alles", done)]
    indexed = search.indexed_versions()
    findings = _follow_findings(repair)
    for model in (Story, Episode):
        for item in db.session.scalars(select(model).execution_options(yield_per=500)):
            key = item_key(item.kind, item.id)
            present = indexed.pop(key, None)
            if item.is_published:
                if present is None:
                    problem = "ontbreekt in de zoekindex"
                elif present != item_version(item):
                    problem = "zoekindex loopt achter"
                else:
                    continue
            elif present is not None:
                problem = "staat nog in de zoekindex"
            else:
                continue
            done = repair and search.update_item(item)
            findings.append(Finding(problem, f"{item.kind} {item.slug}", repaired=done))
    for key in sorted(indexed):  # in the index, gone from the database
        kind, _, item_id = key.partition(":")
        done = repair and search.remove_item(kind, int(item_id))
        findings.append(Finding("verwijderd item staat nog in de zoekindex", key, repaired=done))
    return findings


def _follow_findings(repair: bool) -> list[Finding]:
    """The index's position in the change log: behind, or behind what was pruned."""
    findings = []
    position, last = search.position(), changelog.last_id()
    if position < changelog.pruned_through():
        findings.append(
            Finding(
                "zoekindex mist opgeruimde wijzigingen (draai flask reindex)",
                f"positie {position}, opgeruimd tot {changelog.pruned_through()}",
            )
        )
    elif position < last:
        done = False
        if repair:
            try:
                search.follow()
                done = search.position() >= last
            except Exception:  # reported below as not repaired; the log has the cause
                log.exception("following the change log failed")
        findings.append(
            Finding("zoekindex loopt achter op het wijzigingslog", f"{position} < {last}", done)
        )
    return findings


CHECKS: dict[str, Callable[..., list[Finding]]] = {
    "media": check_media,
    "index": check_index,
}
