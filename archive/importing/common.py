"""What story and episode import share: outcomes, refusals, front matter, dates, references."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from sqlalchemy import select

from ..editorial import Publication
from ..models import Campaign, db


@dataclass(frozen=True)
class Outcome:
    path: Path
    ok: bool
    message: str

    def __str__(self) -> str:
        mark = "ok" if self.ok else "GEWEIGERD"
        return f"{self.path}: {mark}: {self.message}"


class ImportRefused(Exception):
    """A file that cannot be imported; the message (Dutch) says why."""


def parse_datetime(value: Any) -> datetime | None:
    """A front-matter date: YAML date/datetime or ISO text; naive means UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ImportRefused(f"published_at {value!r} is geen geldige datum") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_front_matter(path: Path) -> tuple[dict[str, Any], str]:
    try:
        post = frontmatter.load(path)
    except UnicodeDecodeError:
        raise ImportRefused("het bestand is geen UTF-8-tekst") from None
    except yaml.YAMLError as exc:
        raise ImportRefused(f"de YAML-kop is ongeldig ({exc.__class__.__name__})") from None
    return dict(post.metadata), post.content


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ImportRefused(
            f"{path.name} is geen geldige YAML ({exc.__class__.__name__})"
        ) from None
    if not isinstance(meta, dict):
        raise ImportRefused(f"{path.name} moet velden bevatten (sleutel: waarde)")
    return meta


def check_choice(name: str, value: Any, allowed: dict[str, str]) -> None:
    if value is not None and value not in allowed:
        raise ImportRefused(f"onbekende {name} {value!r} (kies uit: {', '.join(allowed)})")


def check_unknown(meta: dict[str, Any], known: object, where: str) -> None:
    unknown = sorted(str(key) for key in set(meta) - set(known))  # type: ignore[call-overload]
    if unknown:
        raise ImportRefused(f"onbekende velden in {where}: {', '.join(unknown)}")


def tag_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list):
        raise ImportRefused("tags moet een lijst zijn")
    return [str(tag) for tag in value]


def find_campaign(reference: Any) -> Campaign | None:
    """A campaign by slug, or by year (``campaign: 2021``)."""
    if reference is None or reference == "":
        return None
    query = select(Campaign)
    if isinstance(reference, int) or str(reference).isdigit():
        query = query.where(Campaign.year == int(reference)).order_by(Campaign.starts_on.desc())
    else:
        query = query.where(Campaign.slug == str(reference))
    campaign = db.session.scalars(query.limit(1)).first()
    if campaign is None:
        raise ImportRefused(f"campagne {reference!r} bestaat niet")
    return campaign


def publication(status: str | None, published_at: datetime | None) -> Publication | None:
    """The editorial publication for a file's ``status`` and ``published_at``."""
    if status == "published":
        return Publication("at", published_at or datetime.now(UTC))
    return None
