"""Privacy and safety: headers, no cookies, no inline code, nothing from other hosts, weight."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html

from archive.security import CSP_DIRECTIVES

from .conftest import DEMO_PAGES

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: The visitors' templates (the search engineer's search.html is checked when it exists).
PUBLIC_TEMPLATES = sorted(
    [TEMPLATES / "base.html"]
    + [
        path
        for folder in ("public", "partials", "errors")
        for path in (TEMPLATES / folder).glob("*.html")
    ]
)
#: Every page must stay under this, HTML plus its stylesheet and script (before audio).
PAGE_BUDGET_BYTES = 100 * 1024

EXPECTED_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    pairs = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {name: value for name, value in pairs}


@pytest.mark.parametrize("kind", sorted(DEMO_PAGES))
def test_every_page_sends_the_security_headers(client, pages, kind):
    response = client.get(pages[kind])
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value
    policy = csp(response)
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_headers_also_on_errors_feeds_media_and_static_files(client, demo):
    page = client.get("/podcast/signalen-zien").get_data(as_text=True)
    media = re.search(r'<audio [^>]*src="([^"]+)"', page).group(1)
    for url in ("/bestaat-niet", "/podcast/feed.xml", "/static/site/site.css", media):
        with client.get(url) as response:
            assert response.headers["Referrer-Policy"] == "no-referrer", url
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_csp_has_no_unsafe_sources():
    for value in CSP_DIRECTIVES.values():
        assert "unsafe" not in value and "*" not in value and "http" not in value


@pytest.mark.parametrize("kind", sorted(DEMO_PAGES))
def test_public_pages_set_no_cookies(client, pages, kind):
    response = client.get(pages[kind])
    assert "Set-Cookie" not in response.headers
    assert not client.get_cookie("session")


def test_quick_exit_and_search_set_no_cookies(client, demo):
    for url in ("/zoeken?q=school", "/bestaat-niet", "/campagne/week-2021/week.ics"):
        assert "Set-Cookie" not in client.get(url).headers, url


@pytest.mark.parametrize("template", PUBLIC_TEMPLATES, ids=lambda p: p.name)
def test_templates_have_no_inline_script_style_or_handlers(template):
    source = template.read_text(encoding="utf-8")
    # JSON-LD is a data block, never run (and outside the CSP's script-src): allowed.
    inline = r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>"
    assert not re.search(inline, source), "inline script"
    assert "<style" not in source
    assert not re.search(r"\sstyle=", source)
    assert not re.search(r"\son[a-z]+\s*=\s*[\"']", source, re.IGNORECASE)
    assert "javascript:" not in source


@pytest.mark.parametrize("kind", sorted(DEMO_PAGES))
def test_pages_load_nothing_from_another_host(client, pages, kind):
    tree = lxml_html.fromstring(client.get(pages[kind]).get_data())
    scripts = "//script[not(@src) and not(@type='application/ld+json')]"
    assert not tree.xpath(f"{scripts} | //style | //iframe | //object | //embed")
    assert not tree.xpath("//*[@style]")
    for element in tree.iter():
        if isinstance(element.tag, str):
            assert not [a for a in element.attrib if a.lower().startswith("on")], element.tag
    # rel=canonical names this page's absolute address; it loads nothing.
    for canonical in tree.xpath("//link[@rel='canonical']/@href"):
        assert urlsplit(canonical).netloc == "localhost", canonical
    loaded = tree.xpath(
        "//script/@src | //link[not(@rel='canonical')]/@href | //img/@src | //audio/@src"
        " | //source/@src"
        " | //video/@src | //track/@src | //form/@action"
    )
    for url in loaded:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, url


def test_external_links_do_not_leak_the_referrer(client, pages):
    for url in pages.values():
        tree = lxml_html.fromstring(client.get(url).get_data())
        for link in tree.xpath("//a[starts-with(@href, 'http')]"):
            if urlsplit(link.get("href")).hostname == "localhost":
                continue
            assert "noreferrer" in link.get("rel", ""), link.get("href")


@pytest.mark.parametrize("kind", sorted(DEMO_PAGES))
def test_page_weight_is_under_the_budget(client, pages, kind):
    response = client.get(pages[kind])
    tree = lxml_html.fromstring(response.get_data())
    total = len(response.get_data())
    for asset in tree.xpath("//link[@rel='stylesheet']/@href | //script/@src | //img/@src"):
        with client.get(asset) as asset_response:
            total += len(asset_response.get_data())
    assert total < PAGE_BUDGET_BYTES, f"{kind}: {total} bytes"


def test_episode_page_with_a_half_hour_transcript_stays_under_the_budget(client, make_episode):
    sentence = "Dit is een gewone zin uit een gesprek van ongeveer twaalf woorden lang."
    cues = [
        f"{i // 720:02d}:{i // 12 % 60:02d}:{i * 5 % 60:02d}.000 --> "
        f"{(i + 1) // 720:02d}:{(i + 1) // 12 % 60:02d}:{(i + 1) * 5 % 60:02d}.000\n{sentence}"
        for i in range(360)
    ]
    make_episode("half-uur", transcript_vtt="WEBVTT\n\n" + "\n\n".join(cues), duration=1800.0)
    response = client.get("/podcast/half-uur")
    total = len(response.get_data())
    for asset in ("/static/site/site.css", "/static/site/site.js"):
        with client.get(asset) as asset_response:
            total += len(asset_response.get_data())
    assert response.get_data(as_text=True).count('class="seek"') == 360
    assert total < PAGE_BUDGET_BYTES, total
