"""Limits on JSON that clients send: how deep it nests and that its text is Unicode."""

from __future__ import annotations

from workspace.errors import InvalidInput

# The deepest of this API's bodies (an approval policy, a price book) nests under ten levels.
MAX_JSON_DEPTH = 32


def check_json(data: object, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Refuse JSON nested deeper than `max_depth`, or holding text that is not Unicode (a lone
    surrogate such as "\\ud800" parses, but no database or document can store it)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:  # iterative: a hostile body must not exhaust the stack here either
        value, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict | list):
            if depth > max_depth:
                raise InvalidInput(f"the request body nests deeper than {max_depth} levels")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    _check_text(key)
                stack.append((item, depth + 1))


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput("the request body holds text that is not valid Unicode (a lone surrogate)") from exc
