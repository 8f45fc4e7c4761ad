"""What a card is: its kinds, tags and triggers, how a client's JSON becomes one (every refusal precise), and
how it is shown.

    {"title": "Defending price on Platform Enterprise", "body": "Paragraphs, separated by blank lines.",
     "kind": "price_defense",
     "tags": {"products": ["PLAT-ENT"], "stages": ["negotiating"], "deal_size": {"min": 10000, "max": null},
              "competitors": [], "clauses": []},
     "triggers": ["discount_threshold"]}

Empty tags match every deal; a trigger fires a card only for what its tags name (the product of a line, a
competitor, a clause id or category): see `triggers.py`."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from workspace.enablement.models import CardRow
from workspace.errors import InvalidInput, Unprocessable


class CardKind(StrEnum):
    POSITIONING = "positioning"
    OBJECTION = "objection"
    PRICE_DEFENSE = "price_defense"
    CLAUSE_FALLBACK = "clause_fallback"


class Trigger(StrEnum):
    NEW_PRODUCT = "new_product"  # a line of a product the rep never had in an approved or exported deal
    DISCOUNT_THRESHOLD = "discount_threshold"  # a discount past a threshold of the approval policy
    COMPETITOR = "competitor"  # a competitor the card names is named in the deal
    CLAUSE_DISPUTE = "clause_dispute"  # a customer disputes a clause


# The shared vocabulary of a room's stage (see `stage.py`).
STAGES = ("draft", "negotiating", "in_approval", "approved", "exported")

MAX_TITLE = 120
MAX_BODY = 4000  # a card is read in a minute, on a phone, in the middle of a deal
MAX_TAGS = 30  # per list
MAX_TAG = 80  # characters of one tag
MAX_CARDS = 500  # a library of guidance, not a wiki
MAX_REQUEST_BYTES = 32 * 1024
MAX_DEAL_SIZE = 10**12

FIELDS = {"title", "body", "kind", "tags", "triggers"}
EDIT_FIELDS = FIELDS | {"version", "retired"}
TAG_LISTS = ("products", "stages", "competitors", "clauses")
TAG_KEYS = set(TAG_LISTS) | {"deal_size"}


@dataclass(frozen=True)
class Card:
    """A card as triggers read it."""

    id: int
    title: str
    body: str
    kind: str
    products: frozenset[str]
    stages: frozenset[str]
    deal_min: float | None
    deal_max: float | None
    competitors: tuple[str, ...]
    clauses: frozenset[str]
    triggers: frozenset[str]

    @classmethod
    def of(cls, row: CardRow) -> Card:
        tags = row.tags or {}
        size = tags.get("deal_size") or {}
        return cls(
            row.id, row.title, row.body, row.kind,
            frozenset(p.upper() for p in tags.get("products", [])), frozenset(tags.get("stages", [])),
            size.get("min"), size.get("max"), tuple(tags.get("competitors", [])),
            frozenset(c.lower() for c in tags.get("clauses", [])), frozenset(row.triggers or []),
        )  # fmt: skip


# Control characters (NUL above all, which PostgreSQL's text refuses) have no place in a card; new lines and tabs do.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _plain(text: str, path: str) -> str:
    if _CONTROL.search(text):
        raise InvalidInput(f"'{path}' holds a control character")
    return text


def _text(data: Mapping[str, Any], name: str, limit: int) -> str:
    value = data.get(name)
    if value is None:
        raise InvalidInput(f"'{name}' is required")
    if not isinstance(value, str):
        raise InvalidInput(f"'{name}' must be a string")
    text = _plain(value.strip().replace("\r\n", "\n").replace("\r", "\n"), name)
    if not text:
        raise InvalidInput(f"'{name}' must not be empty")
    if len(text) > limit:
        raise InvalidInput(f"'{name}' may have at most {limit} characters")
    return text


def _choice(data: Mapping[str, Any], name: str, allowed: type[StrEnum]) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise InvalidInput(f"'{name}' must be a string")
    names = [member.value for member in allowed]  # type: ignore[attr-defined]
    if value not in names:
        raise Unprocessable(f"'{name}' must be one of {', '.join(names)}; got {value[:40]!r}")
    return value


def _strings(raw: object, path: str) -> list[str]:
    if not isinstance(raw, list):
        raise InvalidInput(f"'{path}' must be a list of strings")
    if len(raw) > MAX_TAGS:
        raise InvalidInput(f"'{path}' may have at most {MAX_TAGS} items")
    found: list[str] = []
    for index, item in enumerate(raw):
        if not isinstance(item, str):
            raise InvalidInput(f"'{path}[{index}]' must be a string")
        text = _plain(" ".join(item.split()), f"{path}[{index}]")
        if not text:
            raise InvalidInput(f"'{path}[{index}]' must not be empty")
        if len(text) > MAX_TAG:
            raise InvalidInput(f"'{path}[{index}]' may have at most {MAX_TAG} characters")
        if text.lower() not in (seen.lower() for seen in found):
            found.append(text)
    return found


def _bound(raw: object, path: str) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise InvalidInput(f"'{path}' must be a number or null")
    if raw < 0 or raw > MAX_DEAL_SIZE:
        raise Unprocessable(f"'{path}' must be between 0 and {MAX_DEAL_SIZE}")
    return raw


def _tags(raw: object) -> dict[str, Any]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InvalidInput("'tags' must be an object")
    unknown = sorted(set(raw) - TAG_KEYS)
    if unknown:
        raise InvalidInput(f"unknown tag(s): {', '.join(unknown)}; expected {', '.join(sorted(TAG_KEYS))}")
    tags: dict[str, Any] = {name: _strings(raw.get(name, []), f"tags.{name}") for name in TAG_LISTS}
    tags["products"] = [sku.upper() for sku in tags["products"]]
    bad = [stage for stage in tags["stages"] if stage not in STAGES]
    if bad:
        raise Unprocessable(f"'tags.stages' has unknown stage(s) {', '.join(bad)}; expected {', '.join(STAGES)}")
    size = raw.get("deal_size") or {}
    if not isinstance(size, dict) or set(size) - {"min", "max"}:
        raise InvalidInput("'tags.deal_size' must be an object with 'min' and 'max' (numbers or null)")
    low, high = _bound(size.get("min"), "tags.deal_size.min"), _bound(size.get("max"), "tags.deal_size.max")
    if low is not None and high is not None and low > high:
        raise Unprocessable("'tags.deal_size.min' must not be more than 'tags.deal_size.max'")
    tags["deal_size"] = {"min": low, "max": high}
    return tags


def parse_card(data: Mapping[str, Any], allowed: set[str] = FIELDS) -> dict[str, Any]:
    """The card's stored values from a client's JSON; InvalidInput (400) for a malformed field, Unprocessable
    (422) for a value the card cannot have."""
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(unknown)}; expected {', '.join(sorted(allowed))}")
    tags = _tags(data.get("tags"))
    raw_triggers = data.get("triggers", [])
    triggers = _strings(raw_triggers, "triggers")
    names = [trigger.value for trigger in Trigger]
    bad = [name for name in triggers if name not in names]
    if bad:
        raise Unprocessable(f"unknown trigger(s) {', '.join(bad)}; expected {', '.join(names)}")
    if Trigger.COMPETITOR in triggers and not tags["competitors"]:
        raise Unprocessable("a card triggered by a competitor names the competitor(s) in 'tags.competitors'")
    return {
        "title": _text(data, "title", MAX_TITLE),
        "body": _text(data, "body", MAX_BODY),
        "kind": _choice(data, "kind", CardKind),
        "tags": tags,
        "triggers": triggers,
    }


def card_view(row: CardRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "body": row.body,
        "kind": row.kind,
        "tags": row.tags,
        "triggers": list(row.triggers or []),
        "version": row.version,
        "updated_at": row.updated_at.isoformat(),
        "retired": row.retired_at is not None,
    }
