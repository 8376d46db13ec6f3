"""Feed imports started from ``/beheer``: run in a background thread, status in a JSON file.

The status lives in ``instance/feed-imports/<id>.json`` (written atomically
after every item), so the status page can be answered by any worker process
of this machine, also while the import runs. The import itself is the one
``flask import-feed`` runs (:mod:`.feed_import`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
from pathlib import Path
from typing import Any

from flask import Flask

from ..models import db
from .feed_import import FeedError, FetchError, import_item, start

log = logging.getLogger(__name__)

FOLDER = "feed-imports"
JOB_ID = re.compile(r"^[0-9a-f]{16}$")
RUNNING, DONE, FAILED = "bezig", "klaar", "mislukt"


def _path(app: Flask, job_id: str) -> Path:
    return Path(app.instance_path) / FOLDER / f"{job_id}.json"


def _write(app: Flask, job_id: str, status: dict[str, Any]) -> None:
    path = _path(app, job_id)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    temp.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, path)


def read_job(app: Flask, job_id: str) -> dict[str, Any] | None:
    """The status of job ``job_id``, or None when there is no such job."""
    if not JOB_ID.match(job_id):
        return None
    try:
        return json.loads(_path(app, job_id).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def start_job(app: Flask, source: str) -> str:
    """Start importing the feed at ``source`` in the background; returns the job's id."""
    job_id = secrets.token_hex(8)
    _path(app, job_id).parent.mkdir(parents=True, exist_ok=True)
    _write(app, job_id, {"source": source, "state": RUNNING, "show": "", "items": [], "error": ""})
    threading.Thread(target=_run, args=(app, job_id, source), daemon=True).start()
    return job_id


def _run(app: Flask, job_id: str, source: str) -> None:
    status: dict[str, Any] = {"source": source, "state": RUNNING, "show": "", "items": []}
    with app.app_context():
        try:
            job = start(source)
            status["show"] = job.feed.show.title
            status["notes"] = job.notes
            status["total"] = len(job.feed.items)
            _write(app, job_id, status)
            for item in job.feed.items:
                report = import_item(job, item)
                job.reports.append(report)
                status["items"].append({"state": report.state, "text": str(report)})
                _write(app, job_id, status)
            status |= {"state": DONE, "summary": job.summary()}
        except (FeedError, FetchError) as exc:
            status |= {"state": FAILED, "error": str(exc)}
        except Exception:  # the top of a thread: say so on the status page, and log the cause
            log.exception("feed import %s failed", job_id)
            status |= {
                "state": FAILED,
                "error": "Onverwachte fout; de beheerder vindt de oorzaak in het log.",
            }
        finally:
            db.session.remove()
            _write(app, job_id, status)
