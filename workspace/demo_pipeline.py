"""The demo's second deal and the plan's quotas, so that the rep's pipeline means something on first start.

"Globex — Platform Professional" is further along than the Acme renewal: its buyer asked a question three days
ago (the room is `negotiating`, with an open question), while Acme is still a `draft`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pycrdt import Array, Map
from sqlalchemy.orm import Session

from workspace.activity.events import Actor, Audience, add
from workspace.auth.models import User
from workspace.pricebook.service import Catalog
from workspace.pricing.samples import SAMPLE_INCENTIVE_PLAN
from workspace.rooms.models import Membership, Room, RoomRole
from workspace.rooms.service import initial_deal_update
from workspace.storage.base import utcnow
from workspace.sync.documents import DocName, new_doc
from workspace.sync.models import DocUpdate

SECOND_ROOM_ID = "demo-globex-pro"
SECOND_ROOM_TITLE = "Globex — Platform Professional"
SECOND_BUYER = ("buyer@globex.test", "Gale Buyer (Globex)")
_QUESTION = "Can the AI add-on be switched on for a pilot team first, and the rest of the seats later?"


def _content(buyer: User, at: str) -> bytes:
    doc = new_doc(DocName.SHARED)
    author = {"id": buyer.id, "name": buyer.name, "role": RoomRole.CUSTOMER.value}
    with doc.transaction(origin="server"):
        lines = doc.get("lines", type=Array)
        for line_id, sku, qty, discount in (("g1", "PLAT-PRO", 120, 5), ("g2", "ADD-AI", 40, 0)):
            lines.append(Map({"id": line_id, "sku": sku, "qty": qty, "discountPct": discount, "locked": False,
                              "note": ""}))  # fmt: skip
        doc.get("comments", type=Map)["t_demo_pilot"] = Map({
            "id": "t_demo_pilot", "kind": "question", "state": "open", "visibility": "external",
            "anchor": {"type": "line", "lineId": "g2"}, "createdBy": author, "createdAt": at,
            "messages": Array([{"id": "m_demo_pilot", "author": author, "at": at, "text": _QUESTION}]),
            "resolvedBy": None, "resolvedAt": None, "updatedAt": at,
        })  # fmt: skip
    return doc.get_update()


def seed_second_deal(db: Session, rep: User, buyer: User) -> list[str]:
    """The Globex room, its buyer's question and the record of it; nothing when it exists."""
    if db.get(Room, SECOND_ROOM_ID) is not None:
        return []
    asked = utcnow() - timedelta(days=3)
    db.add(Room(id=SECOND_ROOM_ID, title=SECOND_ROOM_TITLE, customer_name="Globex Inc", created_by=rep.id,
                customer_deal_fields=[]))  # fmt: skip
    db.flush()
    db.add(Membership(room_id=SECOND_ROOM_ID, user_id=rep.id, role=RoomRole.REP.value))
    db.add(Membership(room_id=SECOND_ROOM_ID, user_id=buyer.id, role=RoomRole.CUSTOMER.value))
    for payload in (initial_deal_update(SECOND_ROOM_TITLE, "Globex Inc"), _content(buyer, asked.isoformat())):
        db.add(DocUpdate(room_id=SECOND_ROOM_ID, doc=DocName.SHARED.value, payload=payload))
    add(db, SECOND_ROOM_ID, "thread.opened", actor=Actor(buyer.id, buyer.name, RoomRole.CUSTOMER.value),
        audience=Audience.EVERYONE, subject={"thread_id": "t_demo_pilot", "kind": "question"},
        summary=f"{buyer.name} asked a question: “{_QUESTION}”", at=asked)  # fmt: skip
    return [f"room {SECOND_ROOM_TITLE}"]


def seed_quotas(db: Session, catalog: Catalog, admin: User) -> list[str]:
    """A plan saved before quotas existed gains the sample's quotas and tiers (a new version); others are kept."""
    found = catalog.plan_data(db)
    if found is None or "quotas" in found[1] or "tiers" in found[1]:
        return []
    data: dict[str, Any] = {**found[1], "quotas": SAMPLE_INCENTIVE_PLAN["quotas"],
                            "tiers": SAMPLE_INCENTIVE_PLAN["tiers"]}  # fmt: skip
    catalog.save_plan(db, data, admin.id)
    return ["quotas and tiers in the incentive plan"]
