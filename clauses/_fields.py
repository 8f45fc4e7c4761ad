"""Reading fields of plain data with errors that name their path."""

from __future__ import annotations

import re
from collections.abc import Mapping


def unknown_fields(raw: Mapping[object, object], allowed: set[str], at: str, errors: list[str]) -> None:
    """Record every field of `raw` not in `allowed`: a typo must not silently drop a setting."""
    for name in raw:
        if name not in allowed:
            errors.append(f"{at}{name}: unknown field")


def string(
    raw: Mapping[object, object], name: str, at: str, errors: list[str], pattern: re.Pattern[str] | None = None
) -> str | None:
    """The non-empty string field `name` (matching `pattern`, if given), or None with the error recorded."""
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{at}{name}: expected a non-empty string")
        return None
    if pattern is not None and not pattern.fullmatch(value):
        errors.append(f"{at}{name}: {value!r} does not match {pattern.pattern}")
        return None
    return value


def positive(raw: Mapping[object, object], name: str, at: str, errors: list[str]) -> int | None:
    """The positive integer field `name` (bools refused), or None with the error recorded."""
    value = raw.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        errors.append(f"{at}{name}: expected a positive integer, got {value!r}")
        return None
    return value
