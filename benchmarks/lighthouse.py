"""Lighthouse on every page type of the demo site: performance, accessibility,
best practices and SEO, with Debian's chromium.

    .venv/bin/python benchmarks/lighthouse.py [--form-factor mobile|desktop] [--strict]

Builds a throw-away archive (temporary database, media and index) with the demo
content, serves it with gunicorn on 127.0.0.1, runs Lighthouse (pinned in
package.json; ``npm ci`` installs it) once per page type and prints the four
scores and every audit that cost points. ``--strict`` exits 1 when any score
is below 100. Lighthouse's performance score is simulated (a slow phone on a
slow network, "Lantern") and moves a point or two with the machine's load;
the other three categories do not.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
BIN = Path(sys.executable).parent

#: Page type -> path on the demo content.
PAGES: dict[str, str] = {
    "home": "/",
    "stories": "/verhalen",
    "story": "/verhalen/de-juf-die-doorvroeg",
    "podcast": "/podcast",
    "episode": "/podcast/signalen-zien",
    "embed": "/podcast/signalen-zien/insluiten",
    "campaigns": "/campagnes",
    "campaign": "/campagne/week-2021",
    "agenda": "/agenda",
    "event": "/agenda/webinar-signalen-in-de-klas",
    "search": "/zoeken?q=school",
    "help": "/hulp",
    "safe-browsing": "/veilig-surfen",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_server(folder: Path) -> tuple[subprocess.Popen, str]:
    env = {
        **os.environ,
        "FLASK_APP": "archive",
        "ARCHIVE_DATABASE_URL": f"sqlite:///{folder / 'archive.sqlite'}",
        "ARCHIVE_MEDIA_DIR": str(folder / "media"),
        "ARCHIVE_INDEX_DIR": str(folder / "index"),
        "ARCHIVE_SECRET_KEY": "lighthouse",
    }
    for name in ("media", "index"):
        (folder / name).mkdir()
    for command in (["init-db"], ["load-demo"]):
        subprocess.run([BIN / "flask", *command], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [BIN / "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "archive:create_app()"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/hulp", timeout=1).close()
            return server, base
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the demo server did not start")


def audit(url: str, form_factor: str, report: Path) -> dict:
    flags = "--headless=new --no-sandbox --disable-gpu"
    subprocess.run(
        [
            LIGHTHOUSE, url, f"--chrome-path={CHROMIUM}", f"--chrome-flags={flags}",
            "--output=json", f"--output-path={report}", "--quiet",
            f"--form-factor={form_factor}",
            *(["--preset=desktop"] if form_factor == "desktop" else []),
        ],
        check=True,
    )  # fmt: skip
    return json.loads(report.read_text(encoding="utf-8"))


def lost_points(result: dict) -> list[str]:
    lost = []
    for name, category in result["categories"].items():
        for ref in category["auditRefs"]:
            found = result["audits"][ref["id"]]
            if ref.get("weight") and found.get("score") is not None and found["score"] < 1:
                lost.append(f"{name}: {ref['id']} {found.get('displayValue', '')}".rstrip())
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--form-factor", choices=("mobile", "desktop"), default="mobile")
    parser.add_argument("--strict", action="store_true", help="exit 1 below 100 anywhere")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run npm ci")
    below = False
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server, base = demo_server(folder)
        try:
            print(f"Lighthouse ({args.form_factor}) on {base}")
            print(f"{'page':<14}" + "".join(f"{c:>16}" for c in CATEGORIES))
            for kind, path in PAGES.items():
                result = audit(base + path, args.form_factor, folder / f"{kind}.json")
                scores = [round(result["categories"][c]["score"] * 100) for c in CATEGORIES]
                below = below or min(scores) < 100
                print(f"{kind:<14}" + "".join(f"{s:>16}" for s in scores), flush=True)
                for line in lost_points(result):
                    print(f"{'':<14}- {line}")
        finally:
            server.terminate()
            server.wait()
    return 1 if args.strict and below else 0


if __name__ == "__main__":
    sys.exit(main())
