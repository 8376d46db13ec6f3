"""A manifest: every file under a folder with its size and sha256 (exports and backups).

Pure: paths in, plain values out. ``files`` maps a POSIX path relative to the
folder to ``{"size": int, "sha256": str}``; the manifest itself is not listed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .storage import file_sha256

MANIFEST_NAME = "manifest.json"
FORMAT = 1


def describe(path: Path) -> dict[str, Any]:
    """One file's entry."""
    return {"size": path.stat().st_size, "sha256": file_sha256(path)}


def build(root: Path) -> dict[str, dict[str, Any]]:
    """Every file under ``root`` (except the manifest), sorted by path."""
    return {
        path.relative_to(root).as_posix(): describe(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).as_posix() != MANIFEST_NAME
    }


def write(root: Path, kind: str, **extra: Any) -> dict[str, Any]:
    """Describe ``root`` and write the manifest into it; returns the manifest."""
    manifest = {"format": FORMAT, "kind": kind, **extra, "files": build(root)}
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False, default=str)
    (root / MANIFEST_NAME).write_text(text + "\n", encoding="utf-8")
    return manifest


def read(root: Path) -> dict[str, Any]:
    """The manifest of ``root``; ValueError when there is none or it is unreadable."""
    path = root / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: no readable manifest ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError(f"{path}: unknown manifest format")
    return manifest


def problems(root: Path, manifest: dict[str, Any]) -> list[str]:
    """Files of ``manifest`` that are missing under ``root`` or differ from it."""
    found = []
    for name, entry in manifest["files"].items():
        path = root / name
        if not path.is_file():
            found.append(f"{name}: ontbreekt")
        elif path.stat().st_size != entry["size"] or file_sha256(path) != entry["sha256"]:
            found.append(f"{name}: andere inhoud dan in het manifest")
    return found
