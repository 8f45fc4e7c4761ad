"""Smart re-approval: does an approval given on earlier facts still cover the current ones?

An approval covers the current facts iff every fact its rule tests is no worse now than when it was
approved, in the direction the rule records for that fact (`directions`, from the catalogue or the
rule's `covers:`):

- `lower`: numbers may go down or stay (an approval of 32% covers 25% and 32%, not 35%); a bool that was
  true covers true or false, one that was false covers only false; a category set covers any subset
  (legal approved {liability, payment}: {liability} is covered, {liability, ip} is not).
- `higher`: the mirror image (a margin approved at 12% covers 15%, not 10%).
- `equal`: only the same value (texts always compare this way).
- a fact unknown then or now is covered only if it is unknown both times.

Each direction is a partial order, so coverage is reflexive (an approval covers the facts it was given
on) and transitive (if A covers B and B covers C, A covers C): carrying an approval across several
versions never lets it cover more than it would have directly."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Protocol

from approvals.facts import Covers, FactValue


class Covering(Protocol):
    """Anything that records which later values an approval of each tested fact covers: a policy `Rule`, a
    `RequiredStep`, a request's step."""

    @property
    def directions(self) -> Mapping[str, Covers]: ...


def covers(previous_facts: Mapping[str, FactValue], current_facts: Mapping[str, FactValue], rule: Covering) -> bool:
    """Whether an approval of `rule` given on `previous_facts` still holds for `current_facts`."""
    return all(
        no_worse(previous_facts.get(fact), current_facts.get(fact), direction)
        for fact, direction in rule.directions.items()
    )


def no_worse(previous: FactValue | None, current: FactValue | None, direction: Covers) -> bool:
    """Whether `current` is no worse than `previous` for a fact whose approvals cover in `direction`."""
    if previous is None or current is None:
        return previous is None and current is None
    if direction is Covers.EQUAL or isinstance(previous, str) or isinstance(current, str):
        return previous == current
    if isinstance(previous, frozenset) and isinstance(current, frozenset):
        return current <= previous if direction is Covers.LOWER else current >= previous
    # A bool and a Decimal never compare: `True == Decimal(1)` must not count as "no worse".
    if isinstance(previous, bool) != isinstance(current, bool):
        return False
    if isinstance(previous, bool | Decimal) and isinstance(current, bool | Decimal):
        return current <= previous if direction is Covers.LOWER else current >= previous
    return False
