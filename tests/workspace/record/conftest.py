"""A priced room with the sample clause library, a line and two clause blocks, for the record's tests."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map, XmlFragment

from tests.conftest import PricedWorld
from tests.support.yclient import YClient, wait_until
from tests.workspace.approval_policy.test_preview import _line
from tests.workspace.exports.test_export import _add_clauses, _edit_word, _library
from workspace.sync.documents import DocName, doc_from_updates
from workspace.terms import fragment_to_json


def versions_url(priced: PricedWorld, tail: str = "") -> str:
    return f"/api/rooms/{priced.room_id}/versions{tail}"


async def open_deal(priced: PricedWorld, discount: int = 10) -> None:
    """The rep adds one 100-seat line at `discount` and the payment and liability clauses, and waits for the
    quote."""
    _library(priced)
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(_line(discount))
        await rep.edit(_add_clauses("payment", "liability"))
        await rep.wait_for(lambda: _quoted_discount(rep) == str(discount), what="the quote")


def _quoted_discount(client: YClient) -> str | None:
    lines = (client.doc.get("computed", type=Map).get("quote") or {}).get("lines") or [{}]
    return lines[0].get("discount_pct")


async def change_deal(priced: PricedWorld, discount: int, old: str, new: str) -> None:
    """The rep sets the line's discount and replaces a word of the liability clause; waits until both are stored."""
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("discountPct", discount))
        await rep.edit(_edit_word(1, old, new))

        def stored() -> bool:
            shared = priced.rep.http.get(f"/api/rooms/{priced.room_id}/snapshot").json()["shared"]
            return bool(shared["lines"][0]["discountPct"] == discount and new in shared["terms"])

        await wait_until(stored, 10, "the rep's changes to be stored")


async def current(priced: PricedWorld) -> Doc:
    """The room's shared document as the server holds it now (a copy)."""
    rooms = priced.server.services.rooms

    async def read() -> bytes:
        return (await rooms.current_doc(priced.room_id, DocName.SHARED)).get_update()

    return doc_from_updates(DocName.SHARED, [await priced.server.acall(read())])


def terms_json(doc: Doc) -> Any:
    return fragment_to_json(doc.get("terms", type=XmlFragment))
