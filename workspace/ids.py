"""Integer ids named in a URL: a number no row can have is a 404, the same as an id nobody has, and never
reaches the database (where a number past the column's integers is an overflow, a 500)."""

from __future__ import annotations

from starlette.requests import Request

from workspace.errors import NotFound

# The tables' integer ids are INTEGER columns: 32-bit on PostgreSQL (64-bit on SQLite), so this is the largest id
# a row can have on every database Dealroom runs on.
MAX_ID = 2**31 - 1
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(raw: object, what: str) -> int:
    """`raw` (an int from a `{name:int}` path convertor, or text) as an id from 1 to `MAX_ID`; anything else is
    `NotFound("no such {what}")`, the answer for an id without a row."""
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw.lstrip("0")) <= _MAX_DIGITS:
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw <= MAX_ID:
        return raw
    raise NotFound(f"no such {what}")


def path_id(request: Request, name: str, what: str) -> int:
    """The id in path parameter `name` (see `parse_id`)."""
    return parse_id(request.path_params.get(name), what)
