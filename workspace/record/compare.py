"""Two plain views of a room compared (pure): the terms block by block with word diffs, the pricing lines
before and after with the fields that changed, the totals, and the deal fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clauses.versions_diff import diff_blocks
from workspace.record.plain import LINE_FIELDS, TOTAL_FIELDS

Plain = Mapping[str, Any]


def _line_values(line: Mapping[str, Any]) -> dict[str, Any]:
    return {name: line.get(name) for name in LINE_FIELDS}


def compare_lines(before: list[Mapping[str, Any]], after: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each line of either version, in the order of `after` (removed ones at the end): `status` same,
    changed (with `changed`, the fields that differ), added or removed; `before` and `after` values."""
    old = {str(line["id"]): line for line in before}
    shown: list[dict[str, Any]] = []
    for line in after:
        line_id = str(line["id"])
        was = old.pop(line_id, None)
        now = _line_values(line)
        if was is None:
            shown.append({"id": line_id, "status": "added", "before": None, "after": now, "changed": list(LINE_FIELDS)})
            continue
        then = _line_values(was)
        changed = [name for name in LINE_FIELDS if then[name] != now[name]]
        shown.append({"id": line_id, "status": "changed" if changed else "same", "before": then, "after": now,
                      "changed": changed})  # fmt: skip
    for line_id, was in old.items():
        shown.append({"id": line_id, "status": "removed", "before": _line_values(was), "after": None,
                      "changed": list(LINE_FIELDS)})  # fmt: skip
    return shown


def compare_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each deal field of either version, sorted by name, with its value before and after (None: not set)."""
    return [
        {"field": name, "before": before.get(name), "after": after.get(name),
         "changed": before.get(name) != after.get(name)}
        for name in sorted(set(before) | set(after))
    ]  # fmt: skip


def compare(before: Plain, after: Plain) -> dict[str, Any]:
    """What differs from `before` to `after`; `counts` are the changed terms blocks, lines and deal fields."""
    terms = diff_blocks(before.get("terms", []), after.get("terms", []))
    lines = compare_lines(before.get("lines", []), after.get("lines", []))
    deal = compare_fields(before.get("deal", {}), after.get("deal", {}))
    totals_before, totals_after = before.get("totals") or {}, after.get("totals") or {}
    counts = {
        "terms": sum(block["status"] != "same" for block in terms),
        "lines": sum(line["status"] != "same" for line in lines),
        "deal": sum(field["changed"] for field in deal),
    }
    return {
        "terms": terms,
        "lines": lines,
        "totals": {
            "currency_before": before.get("currency"), "currency_after": after.get("currency"),
            "before": totals_before, "after": totals_after,
            "changed": [name for name in TOTAL_FIELDS if totals_before.get(name) != totals_after.get(name)],
        },
        "deal": deal,
        "counts": {**counts, "total": sum(counts.values())},
    }  # fmt: skip
