"""Which approval steps a deal needs under a policy, and why, in words a rep reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

from approvals.conditions import explain, holds
from approvals.facts import Covers, DealFacts, FactValue
from approvals.policy import Approvers, Mode, Policy


@dataclass(frozen=True, slots=True)
class RequiredStep:
    """A step a rule requires of this deal. `reason` is the rule's headline with the values it tested against
    their thresholds ("Discount over 20%: max line discount 32% is over 20%"); `tested` the facts the rule
    tested (what an approval will be bound to), `directions` what an approval of them covers later."""

    rule_id: str
    rule_fingerprint: str
    name: str
    reason: str
    headline: str
    details: tuple[str, ...]
    approvers: Approvers
    order: int
    mode: Mode
    tested: DealFacts
    directions: Mapping[str, Covers]


def required_steps(policy: Policy, facts: Mapping[str, FactValue]) -> list[RequiredStep]:
    """The steps whose rule holds on `facts`, by order (serial), then in policy order (parallel within one order).
    Never raises: a fact that is unknown or of another kind makes its comparison false."""
    found: list[RequiredStep] = []
    for rule in policy.rules:
        if not holds(rule.when, facts):
            continue
        details = tuple(dict.fromkeys(explain(rule.when, facts, policy.catalogue)))
        found.append(
            RequiredStep(
                rule_id=rule.id,
                rule_fingerprint=rule.fingerprint,
                name=rule.name,
                reason=f"{rule.reason}: {'; '.join(details)}" if details else rule.reason,
                headline=rule.reason,
                details=details,
                approvers=rule.step.approvers,
                order=rule.step.order,
                mode=rule.step.mode,
                tested=DealFacts({name: facts[name] for name in rule.directions if name in facts}),
                directions=rule.directions,
            )
        )
    # sort is stable: within one order the policy's own order stays.
    found.sort(key=lambda step: step.order)
    return found


def by_order(steps: Sequence[RequiredStep]) -> list[tuple[int, list[RequiredStep]]]:
    """Steps grouped by order, lowest first: each group runs in parallel, the groups one after another."""
    ordered = sorted(steps, key=lambda step: step.order)
    return [(order, list(group)) for order, group in groupby(ordered, key=lambda step: step.order)]
