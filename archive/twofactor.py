"""The editors' second factor: TOTP codes (pyotp), recovery codes, and the QR code.

Plain values in, plain values out; no Flask, no database. The editorial
writer (:mod:`archive.editorial.accounts`) stores what these functions make.
"""

from __future__ import annotations

import hmac
import re
import secrets
import time

import pyotp
import segno
from werkzeug.security import check_password_hash, generate_password_hash

#: Shown in the authenticator app beside the account.
ISSUER = "Verhalenarchief beheer"
#: Codes one step (30 s) early or late are accepted: phones' clocks drift.
CLOCK_DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
#: Recovery codes: two groups of five from an alphabet without look-alikes (50 bits).
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_GROUP = 5
#: Recovery codes carry 50 random bits, so a fast salted hash is enough; the
#: default (scrypt) would make checking ten of them take a second.
RECOVERY_HASH_METHOD = "pbkdf2:sha256:20000"

_TOTP_INPUT = re.compile(r"^\d{6}$")
_SEPARATORS = re.compile(r"[\s-]+")


def new_secret() -> str:
    """A new random TOTP secret (base32, 160 bits)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG (no styles, no scripts: the CSP holds)."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff")


def grouped(secret: str) -> str:
    """The secret in groups of four, for people who type it into their app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise(code: str) -> str:
    """What was typed, without spaces and dashes, lower-case."""
    return _SEPARATORS.sub("", code or "").lower()


def is_totp_format(code: str) -> bool:
    return bool(_TOTP_INPUT.match(normalise(code)))


def matching_step(
    secret: str, code: str, after_step: int | None, now: float | None = None
) -> int | None:
    """The time step at which ``code`` is valid, if it is later than ``after_step``.

    A code is accepted once: pass the step of the last accepted code as
    ``after_step`` and store what this returns.
    """
    code = normalise(code)
    if not _TOTP_INPUT.match(code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time() if now is None else now)
    for step in range(current - CLOCK_DRIFT_STEPS, current + CLOCK_DRIFT_STEPS + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Ten new recovery codes as shown to the editor, e.g. ``k7m2p-xq9ra``."""
    return [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]


def _recovery_code() -> str:
    letters = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(2 * RECOVERY_GROUP))
    return f"{letters[:RECOVERY_GROUP]}-{letters[RECOVERY_GROUP:]}"


def hash_recovery_code(code: str) -> str:
    return generate_password_hash(normalise(code), method=RECOVERY_HASH_METHOD)


def recovery_code_matches(code: str, code_hash: str) -> bool:
    return check_password_hash(code_hash, normalise(code))
