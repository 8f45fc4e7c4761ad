"""Edits the way the editor and the pricing table make them, for the activity tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def add_line(sku: str, qty: int, discount: int = 0, line_id: str = "a") -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        doc.get("lines", type=Array).append(
            Map({"id": line_id, "sku": sku, "qty": qty, "discountPct": discount, "locked": False, "note": ""})
        )

    return change


def clause_block(clause_id: str, title: str, text: str) -> XmlElement:
    return XmlElement(
        "clause",
        {"clauseId": clause_id, "version": "1"},
        [XmlElement("heading", {"level": "2"}, [XmlText(title)]), XmlElement("paragraph", {}, [XmlText(text)])],
    )


def set_text_at(block: int, child: int, offset: int, text: str) -> Callable[[Doc], None]:
    """Type `text` at `offset` of the first text of child `child` of top-level block `block`."""

    def change(doc: Doc) -> None:
        element = doc.get("terms", type=XmlFragment).children[block]
        assert isinstance(element, XmlElement)
        paragraph = element.children[child]
        assert isinstance(paragraph, XmlElement)
        node = paragraph.children[0]
        assert isinstance(node, XmlText)
        node.insert(offset, text[-1])

    return change


def paragraph(text: str) -> XmlElement:
    return XmlElement("paragraph", {}, [XmlText(text)])


def append_block(block: XmlElement, root: str = "terms") -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        doc.get(root, type=XmlFragment).children.append(block)

    return change


def new_room(sessions: sessionmaker[Session]) -> tuple[str, int, int]:
    """A room with a rep and a customer, straight in the database: (room id, rep id, customer id)."""
    from tests.support.accounts import add_member, add_user
    from workspace.auth.models import User
    from workspace.auth.principal import principal_for
    from workspace.rooms.service import create_room

    rep_id = add_user(sessions, "rep@record.test", "rep", "Rita Rep")
    customer_id = add_user(sessions, "buyer@record.test", "customer", "Bo Buyer")
    with sessions.begin() as db:
        rep = db.get(User, rep_id)
        assert rep is not None
        room_id = create_room(db, principal_for(rep), "Deal", "Buyer Inc").id
    add_member(sessions, room_id, customer_id, "customer")
    return room_id, rep_id, customer_id
