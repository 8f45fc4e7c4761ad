"""Which cards a room's state triggers now, each with why, in words a rep reads at a glance (pure: no I/O).

`RoomFacts` is what the server read of the room (`room_facts.py`); `triggered` matches the cards against it:
a card fits the room when its stage and deal-size tags do (empty tags fit every room), and fires for each of
its triggers that happens to what its tags name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from workspace.enablement.cards import Card, Trigger
from workspace.enablement.thresholds import Threshold, highest_crossed


@dataclass(frozen=True)
class LineFact:
    sku: str
    product: str
    discount_pct: Decimal


@dataclass(frozen=True)
class DisputeFact:
    clause_id: str
    category: str
    title: str  # the clause's title in the library (its id when the library has none)
    by: str  # who opened it
    text: str  # the dispute's first words


@dataclass(frozen=True)
class RoomFacts:
    customer: str
    stage: str
    deal_size: Decimal | None = None  # the quote's net total
    lines: tuple[LineFact, ...] = ()
    total_discount_pct: Decimal | None = None
    thresholds: tuple[Threshold, ...] = ()
    sold_before: frozenset[str] = frozenset()  # SKUs of the rep's approved or exported deals
    texts: tuple[tuple[str, str], ...] = ()  # (where, text): deal fields, the terms, thread messages
    disputes: tuple[DisputeFact, ...] = ()


@dataclass
class Fired:
    card: Card
    reasons: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        card = self.card
        return {"id": card.id, "title": card.title, "body": card.body, "kind": card.kind,
                "triggers": self.triggers, "why": self.reasons}  # fmt: skip


def pct(value: Decimal) -> str:
    """32 -> "32 %", 12.50 -> "12.5 %"."""
    return f"{format(value.normalize(), 'f')} %"


def fits(card: Card, facts: RoomFacts) -> bool:
    if card.stages and facts.stage not in card.stages:
        return False
    if card.deal_min is None and card.deal_max is None:
        return True
    if facts.deal_size is None:
        return False
    size = float(facts.deal_size)
    return (card.deal_min is None or size >= card.deal_min) and (card.deal_max is None or size <= card.deal_max)


def _names(card: Card, sku: str) -> bool:
    return not card.products or sku.upper() in card.products


def new_product(card: Card, facts: RoomFacts) -> list[str]:
    seen: set[str] = set()
    found = []
    for line in facts.lines:
        sku = line.sku.upper()
        if sku in seen or sku in facts.sold_before or not _names(card, sku):
            continue
        seen.add(sku)
        found.append(f"You have not had {line.product} ({line.sku}) in an approved or exported deal before.")
    return found


def discount(card: Card, facts: RoomFacts) -> list[str]:
    found = []
    for line in facts.lines:
        crossed = highest_crossed(facts.thresholds, "line", line.discount_pct)
        if crossed is not None and _names(card, line.sku):
            found.append(f"{facts.customer}'s discount on {line.sku} is {pct(line.discount_pct)}, past the "
                         f"{pct(crossed.pct)} threshold ({crossed.rule}).")  # fmt: skip
    total = facts.total_discount_pct
    crossed = highest_crossed(facts.thresholds, "deal", total) if total is not None else None
    sells = not card.products or any(_names(card, line.sku) for line in facts.lines)
    if crossed is not None and total is not None and sells:
        found.append(f"{facts.customer}'s total discount is {pct(total)}, past the {pct(crossed.pct)} threshold "
                     f"({crossed.rule}).")  # fmt: skip
    return found


def _pattern(name: str) -> re.Pattern[str]:
    # Whole words, any case, any spacing: "Globex" names Globex, not "Globexity".
    words = r"\s+".join(re.escape(word) for word in name.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def competitor(card: Card, facts: RoomFacts) -> list[str]:
    found = []
    for name in card.competitors:
        pattern = _pattern(name)
        where = next((place for place, text in facts.texts if pattern.search(text)), None)
        if where is not None:
            found.append(f"{name} is named in {where}.")
    return found


def clause_dispute(card: Card, facts: RoomFacts) -> list[str]:
    found = []
    for dispute in facts.disputes:
        named = {dispute.clause_id.lower(), dispute.category.lower()}
        if card.clauses and not (card.clauses & named):
            continue
        said = f": “{dispute.text[:120]}”" if dispute.text else ""
        found.append(f"{dispute.by} disputes the clause {dispute.title}{said}")
    return found


_CHECKS = {
    Trigger.NEW_PRODUCT: new_product,
    Trigger.DISCOUNT_THRESHOLD: discount,
    Trigger.COMPETITOR: competitor,
    Trigger.CLAUSE_DISPUTE: clause_dispute,
}


def triggered(cards: Iterable[Card], facts: RoomFacts) -> list[Fired]:
    """The cards the room triggers now, in the order given, each with every reason it fires."""
    fired = []
    for card in cards:
        if not card.triggers or not fits(card, facts):
            continue
        result = Fired(card)
        for trigger in Trigger:
            if trigger.value in card.triggers:
                reasons = _CHECKS[trigger](card, facts)
                if reasons:
                    result.triggers.append(trigger.value)
                    result.reasons.extend(reasons)
        if result.reasons:
            fired.append(result)
    return fired
