"""Shared test data: the demo directory of approvers, fixed times, and a deal's facts from a few values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from approvals import Approvers, DealFacts, facts_from_dict
from approvals.request import UserId

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

MANAGER = "manager@demo.test"
VP = "vp@demo.test"
FINANCE = "finance@demo.test"
LEGAL = "legal@demo.test"
REP = "rep@demo.test"

DIRECTORY: dict[str, tuple[UserId, ...]] = {
    "sales_manager": (MANAGER,),
    "vp_sales": (VP,),
    "finance": (FINANCE,),
    "legal": (LEGAL,),
}


def resolve(approvers: Approvers) -> Sequence[UserId]:
    """Roles from `DIRECTORY`; a group named "ann+bob" is its members, so tests name approvers inline; a
    user is themself."""
    if approvers.kind == "user":
        return (approvers.value,)
    if approvers.kind == "group":
        return str(approvers.value).split("+")
    return DIRECTORY.get(str(approvers.value), ())


def at(minutes: int) -> datetime:
    """`minutes` after T0."""
    return T0 + timedelta(minutes=minutes)


def deal(discount: float | int | str = 0, **more: object) -> DealFacts:
    """Facts of a deal with a max line discount of `discount` and standard everything else."""
    base: dict[str, object] = {
        "max_line_discount_pct": discount,
        "total_discount_pct": discount,
        "below_floor": False,
        "below_floor_count": 0,
        "payment_terms_days": 30,
        "term_months": 12,
        "total": "100000.00",
        "non_standard_clauses": [],
        "non_standard_clause_texts": [],
    }
    base.update(more)
    return facts_from_dict(base)
