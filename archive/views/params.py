"""Whole numbers read from the query string and from forms, always within bounds.

A number in a URL can be anything a visitor types: ``-1``, ``0``, ``abc``,
``٣`` (Python's ``int`` reads other scripts' digits), ``1_000`` or twenty
nines, which no database integer holds (SQLite raises OverflowError,
PostgreSQL "out of range"). Every number from a request is read here: only
ASCII digits count, and a value outside its bounds is reported as such, so
the view decides between "not found" and "the nearest page", never a 500.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask import abort

from ..database import MAX_INTEGER

#: What a whole number in a request may look like: ASCII digits only.
_DIGITS = re.compile(r"[0-9]+")


def whole_number(text: str | None, minimum: int, maximum: int) -> int | None:
    """``text`` as a number within ``minimum``..``maximum``, else None (also when malformed)."""
    if text is None or not _DIGITS.fullmatch(text):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(maximum)):  # never hand int() a thousand digits
        return None
    number = int(digits)
    return number if minimum <= number <= maximum else None


@dataclass(frozen=True)
class WholeNumberParam:
    """A whole-number query parameter: its name, its default and its bounds."""

    name: str
    default: int
    minimum: int
    maximum: int

    def read(self, args: Mapping[str, str]) -> int | None:
        """The value given (the default when absent or empty); None when it is out of bounds."""
        text = args.get(self.name)
        if not text:
            return self.default
        return whole_number(text, self.minimum, self.maximum)

    def or_404(self, args: Mapping[str, str]) -> int:
        """The value given, or 404 when it names nothing (a page that cannot exist)."""
        number = self.read(args)
        if number is None:
            abort(404)
        return number

    def clamped(self, args: Mapping[str, str]) -> int:
        """The value given, brought within the bounds; the default when it is not a number."""
        text = args.get(self.name) or ""
        if not _DIGITS.fullmatch(text):
            return self.default
        if len(text.lstrip("0")) > len(str(self.maximum)):
            return self.maximum
        return min(max(int(text), self.minimum), self.maximum)


#: ``?pagina=``: lists end long before; the cap keeps the offset far inside any integer.
PAGE = WholeNumberParam("pagina", default=1, minimum=1, maximum=100_000)


def row_id(text: str | None) -> int | None:
    """A row id from a request (a file name's prefix, a form field), or None if none can exist."""
    return whole_number(text, 1, MAX_INTEGER)


def version(text: str | None) -> int | None:
    """An item's version from a form, or None when the value cannot be one."""
    return whole_number(text, 0, MAX_INTEGER)
