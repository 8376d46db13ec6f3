"""Domain error types shared by the whole package.

Each error carries a message for people (Dutch, shown in the UI or on the
command line) and, where there is one, a technical cause for the log.
"""

from __future__ import annotations

import click


class ArchiveError(Exception):
    """Base class: ``message`` is for people (Dutch), ``cause`` for the log."""

    status_code = 400

    def __init__(self, message: str, cause: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.cause = cause

    def __str__(self) -> str:
        return self.message


class ConfigError(click.ClickException):
    """A setting that stops start-up.

    It is a ``ClickException`` so that ``flask``/``archive`` commands print one
    line ("Error: ...") instead of a traceback; ``create_app`` raises it for
    every configuration problem it finds.
    """

    def __init__(self, setting: str, problem: str) -> None:
        super().__init__(f"{setting}: {problem}")
        self.setting = setting
