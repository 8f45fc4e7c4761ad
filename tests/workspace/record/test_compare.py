"""Two plain views compared (pure): lines, totals and deal fields."""

from __future__ import annotations

from typing import Any

from workspace.record.compare import compare


def _line(line_id: str, discount: str, total: str) -> dict[str, Any]:
    return {"id": line_id, "sku": "PLAT-ENT", "product": "Platform", "qty": "10", "discount_pct": discount,
            "list_unit": "100.00", "net_unit": None, "net_total": total}  # fmt: skip


def _view(lines: list[dict[str, Any]], deal: dict[str, str], net_total: str) -> dict[str, Any]:
    return {"lines": lines, "deal": deal, "terms": [], "currency": "USD", "totals": {"net_total": net_total}}


def test_lines_fields_and_totals_before_and_after() -> None:
    before = _view(
        [_line("a", "10", "900.00"), _line("b", "0", "1000.00")], {"title": "Deal", "paymentTermsDays": "30"}, "1900.00"
    )
    after = _view(
        [_line("c", "5", "950.00"), _line("a", "20", "800.00")], {"title": "Deal", "billing": "annual"}, "1750.00"
    )
    result = compare(before, after)
    assert [(line["id"], line["status"]) for line in result["lines"]] == [
        ("c", "added"),
        ("a", "changed"),
        ("b", "removed"),
    ]
    changed = result["lines"][1]
    assert changed["changed"] == ["discount_pct", "net_total"]
    assert (changed["before"]["discount_pct"], changed["after"]["discount_pct"]) == ("10", "20")
    assert result["lines"][2]["after"] is None and result["lines"][0]["before"] is None
    assert [(f["field"], f["before"], f["after"], f["changed"]) for f in result["deal"]] == [
        ("billing", None, "annual", True), ("paymentTermsDays", "30", None, True), ("title", "Deal", "Deal", False),
    ]  # fmt: skip
    assert result["totals"]["changed"] == ["net_total"] and result["totals"]["after"]["net_total"] == "1750.00"
    assert result["counts"] == {"terms": 0, "lines": 3, "deal": 2, "total": 5}


def test_a_version_compared_with_itself_has_no_changes() -> None:
    view = _view([_line("a", "10", "900.00")], {"title": "Deal"}, "900.00")
    assert compare(view, view)["counts"]["total"] == 0
