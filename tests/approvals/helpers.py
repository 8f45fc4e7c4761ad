"""Shared test data: the demo directory of approvers, fixed times, a deal's facts from a few values, and
requests the rep submits for them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from approvals import (
    Approvers,
    DealFacts,
    Policy,
    Request,
    facts_from_dict,
    load_policy,
    required_steps,
    submit,
    supersede,
)
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


def one_rule_policy(approvers: Mapping[str, object], mode: str = "any") -> Policy:
    """A policy of one rule, "r": a discount over 20% needs `approvers` (deciding in `mode`)."""
    rule = {"id": "r", "when": "max_line_discount_pct > 20", "step": {"approvers": dict(approvers), "mode": mode}}
    return load_policy({"version": 1, "rules": [rule]})


def submitted(
    request_id: str, version: str, facts: DealFacts, policy: Policy, minutes: int = 0, history: Sequence[Request] = ()
) -> Request:
    """The rep's request for deal version `version`: the steps `policy` requires of `facts`, approvers by
    `resolve`, submitted `minutes` after T0."""
    return submit(
        request_id,
        fingerprint=version,
        policy_fingerprint=policy.fingerprint,
        required=required_steps(policy, facts),
        resolve=resolve,
        by=REP,
        at=at(minutes),
        history=history,
    )


def superseded(
    request: Request,
    new_id: str,
    version: str,
    facts: DealFacts,
    policy: Policy,
    minutes: int,
    history: Sequence[Request] = (),
) -> tuple[Request, Request]:
    """`request` superseded by the rep's request `new_id` for deal version `version` (as `submitted`)."""
    return supersede(
        request,
        new_id,
        fingerprint=version,
        policy_fingerprint=policy.fingerprint,
        required=required_steps(policy, facts),
        resolve=resolve,
        by=REP,
        at=at(minutes),
        history=history,
    )
