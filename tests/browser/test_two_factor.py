"""Two-factor sign-in in Chromium: set up from the QR page's secret, log in with a code, recover."""

from __future__ import annotations

import re
import time

import pyotp
import pytest


@pytest.fixture
def account(live_app) -> tuple[str, str]:
    """An editor account in the live app (e-mail, password)."""
    app, _ = live_app
    email, password = "tweestaps@example.org", "een-lang-tweestaps-wachtwoord"
    result = app.test_cli_runner().invoke(
        args=["create-editor", email], env={"ARCHIVE_EDITOR_PASSWORD": password}
    )
    assert result.exit_code == 0, result.output
    return email, password


def log_in_with_password(page, base: str, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/beheer/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name=re.compile("Uitloggen")).click()
    page.wait_for_selector("text=Je bent uitgelogd.")


def test_set_up_log_in_with_a_code_and_recover_once(page, traffic, live_app, account):
    _, base = live_app
    email, password = account
    log_in_with_password(page, base, email, password)
    page.wait_for_url(re.compile(r"/beheer/?$"))

    page.get_by_role("link", name="Tweestapsverificatie").click()
    page.get_by_role("button", name="Tweestapsverificatie instellen").click()
    assert page.locator("figure.qr svg").is_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code uit je app").fill(totp.now())
    page.get_by_role("button", name="Aanzetten").click()
    page.wait_for_selector("text=Je herstelcodes")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Ik heb ze bewaard").click()
    log_out(page)

    log_in_with_password(page, base, email, password)
    page.wait_for_url(re.compile(r"/beheer/inloggen/code$"))
    # The set-up used this time step's code; the next step's is accepted (clock drift).
    page.get_by_label("Code").fill(totp.at(time.time() + totp.interval))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(re.compile(r"/beheer/?$"))
    log_out(page)

    for attempt in ("first", "again"):
        log_in_with_password(page, base, email, password)
        page.wait_for_url(re.compile(r"/beheer/inloggen/code$"))
        page.get_by_label("Code").fill(codes[0])
        page.get_by_role("button", name="Bevestigen").click()
        if attempt == "first":
            page.wait_for_url(re.compile(r"/beheer/?$"))
            log_out(page)
        else:
            page.wait_for_selector("text=De code klopt niet.")
            assert page.url.endswith("/beheer/inloggen/code")
            # Chromium reports the refusal's 401 in the console: expected here, once.
            assert [e for e in traffic.console_errors if "401" in e] == traffic.console_errors
            assert len(traffic.console_errors) == 1
            traffic.console_errors.clear()
