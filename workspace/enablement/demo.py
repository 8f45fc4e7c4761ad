"""The demo's enablement cards: positioning for each product of the demo room, an objection for the competitor
named in it, price defense past the policy's discount thresholds, and legal's fallbacks for liability."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workspace.enablement.cards import parse_card
from workspace.enablement.models import CardRow
from workspace.enablement.service import create_card

DEMO_COMPETITOR = "Globex"


def _card(title: str, kind: str, body: str, triggers: list[str], **tags: Any) -> dict[str, Any]:
    return {"title": title, "kind": kind, "body": body, "triggers": triggers, "tags": tags}


DEMO_CARDS = [
    _card(
        "Positioning Platform Enterprise", "positioning",
        "Lead with control, not features: Enterprise is the edition where security and procurement say yes "
        "(SSO enforcement, audit log, data residency).\n\n"
        "Anchor on the cost of a second rollout: teams that start on Pro move to Enterprise within 18 months and "
        "pay for the migration twice.",
        ["new_product"], products=["PLAT-ENT"],
    ),
    _card(
        "Positioning Premium support", "positioning",
        "Premium support is an insurance policy the customer's operations lead buys, not the buyer: ask who gets "
        "paged when the platform is down.\n\nOne-hour response on severity 1, a quarterly health review.",
        ["new_product"], products=["SUP-PREM"],
    ),
    _card(
        "Positioning the Onboarding package", "positioning",
        "Onboarding is what turns seats into usage, and usage is what renews. Offer it as time-to-value: admins "
        "trained in week one, first workflow live in thirty days.",
        ["new_product"], products=["PS-ONBOARD"],
    ),
    _card(
        "Positioning SSO & SCIM", "positioning",
        "Sell it to IT, not to the buyer: SCIM removes leavers' access the day HR does. Pair it with Enterprise "
        "seat for seat; a partial rollout leaves unmanaged accounts.",
        ["new_product"], products=["ADD-SSO"],
    ),
    _card(
        "When Globex comes up", "objection",
        "Globex wins on list price and loses on total cost: their SSO, audit log and sandbox are paid add-ons, "
        "and their support is business hours only.\n\n"
        "Ask for their full quote with the same add-ons and a three-year term before you move on price. "
        "Never disparage; compare line by line.",
        ["competitor"], competitors=[DEMO_COMPETITOR],
    ),
    _card(
        "Defending price past the approval threshold", "price_defense",
        "Before you go deeper, trade: a longer term, annual prepayment, a case study or a reference call each "
        "earn a step of discount.\n\n"
        "Say what the discount needs (approval by your manager, past 30 % by the VP) and what the customer "
        "gives for it. A discount given without a trade becomes the next renewal's starting point.",
        ["discount_threshold"],
    ),
    _card(
        "Liability cap: legal's rationale and fallbacks", "clause_fallback",
        "Why the cap is 12 months of fees: it matches what the customer pays us, and insurers price on it.\n\n"
        "Fallback 1: twice the fees, for deals above 100,000 in annual value.\n"
        "Fallback 2: three times the fees for data protection and confidentiality breaches only.\n\n"
        "Uncapped liability is never offered; bring legal into the thread before you answer.",
        ["clause_dispute"], clauses=["liability"],
    ),
]  # fmt: skip


def seed_cards(db: Session, user_id: int | None) -> int:
    """The demo cards, when the library has none yet; how many were added."""
    if (db.execute(select(func.count(CardRow.id))).scalar() or 0) > 0:
        return 0
    for card in DEMO_CARDS:
        create_card(db, parse_card(card), user_id)
    return len(DEMO_CARDS)
