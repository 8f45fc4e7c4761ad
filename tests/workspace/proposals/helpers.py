"""A priced room with one line and one clause block, and how tests read and change it."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText

from tests.conftest import PricedWorld
from tests.support.yclient import YClient

CLAUSE_TEXT = "Each party's liability is capped at the fees paid in the twelve months before the claim."


def computed(client: YClient, key: str) -> Any:
    return client.doc.get("computed", type=Map).get(key)


def proposals(client: YClient) -> list[dict[str, Any]]:
    return list(computed(client, "proposals") or [])


def net_total(quote: dict[str, Any] | None) -> str | None:
    return ((quote or {}).get("totals") or {}).get("net_total")


def open_room(doc: Doc) -> None:
    """The rep's room: 100 seats at 10% off, and a liability clause."""
    doc.get("lines", type=Array).append(
        Map({"id": "a", "sku": "PLAT-ENT", "qty": 100, "discountPct": 10, "locked": False, "note": ""})
    )
    doc.get("terms", type=XmlFragment).children.append(
        XmlElement("clause", {"clauseId": "liability", "version": "1"}, [
            XmlElement("heading", {"level": 2}, [XmlText("Limitation of liability")]),
            XmlElement("paragraph", {}, [XmlText(CLAUSE_TEXT)]),
        ])
    )  # fmt: skip


def set_line(field: str, value: object) -> Any:
    def change(doc: Doc) -> None:
        doc.get("lines", type=Array)[0][field] = value

    return change


def clause_paragraph(doc: Doc) -> XmlText:
    clause = doc.get("terms", type=XmlFragment).children[0]
    return clause.children[1].children[0]  # type: ignore[no-any-return, union-attr]


def replace_words(old: str, new: str) -> Any:
    def change(doc: Doc) -> None:
        text = clause_paragraph(doc)
        at = str(text).index(old)
        del text[at : at + len(old)]
        text.insert(at, new)

    return change


def clause_text(client: YClient) -> str:
    return str(clause_paragraph(client.doc))


def allow_customer_pricing(priced: PricedWorld, **more: object) -> None:
    answer = priced.rep.http.patch(f"/api/rooms/{priced.room_id}", json={"customer_may_edit_pricing": True, **more})
    assert answer.status_code == 200, answer.text


async def ready_room(priced: PricedWorld, rep: YClient, buyer: YClient) -> None:
    await rep.edit(open_room)
    for client in (rep, buyer):
        await client.wait_for(lambda c=client: len((computed(c, "quote") or {}).get("lines", [])) == 1, what="quote")
    await buyer.wait_for(lambda: len(buyer.doc.get("terms", type=XmlFragment).children) == 1, what="the clause")
