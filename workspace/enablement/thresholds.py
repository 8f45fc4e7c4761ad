"""The discount thresholds of the approval policy: each rule that asks for approval when a line's discount
(`max_line_discount_pct`) or the deal's (`total_discount_pct`) goes past a number. Cards defend price there."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from approvals import Policy
from approvals.grammar import AllOf, AnyOf, Compare, Condition, Op

LINE_FACT = "max_line_discount_pct"
DEAL_FACT = "total_discount_pct"


@dataclass(frozen=True)
class Threshold:
    scope: str  # "line" | "deal"
    pct: Decimal
    inclusive: bool  # `>=`: the threshold itself crosses it
    rule: str  # the rule's name, as approvers know it

    def crossed_by(self, pct: Decimal) -> bool:
        return pct >= self.pct if self.inclusive else pct > self.pct


def thresholds(policy: Policy | None) -> tuple[Threshold, ...]:
    """Every discount threshold of the policy, lowest first. A comparison under `not` fires on lower
    discounts: it is no threshold to defend."""
    if policy is None:
        return ()
    found: set[Threshold] = set()
    for rule in policy.rules:
        _collect(rule.when, rule.name, found)
    return tuple(sorted(found, key=lambda t: (t.scope, t.pct, t.rule)))


def _collect(condition: Condition, rule: str, found: set[Threshold]) -> None:
    if isinstance(condition, AllOf | AnyOf):
        for item in condition.items:
            _collect(item, rule, found)
    elif isinstance(condition, Compare) and condition.op in (Op.GT, Op.GE) and isinstance(condition.value, Decimal):
        scope = {LINE_FACT: "line", DEAL_FACT: "deal"}.get(condition.fact)
        if scope is not None:
            found.add(Threshold(scope, condition.value, condition.op is Op.GE, rule))


def highest_crossed(found: tuple[Threshold, ...], scope: str, pct: Decimal) -> Threshold | None:
    crossed = [t for t in found if t.scope == scope and t.crossed_by(pct)]
    return max(crossed, key=lambda t: t.pct) if crossed else None
