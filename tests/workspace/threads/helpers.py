"""Rooms with terms and lines to anchor threads to, and the relative positions a browser would send."""

from __future__ import annotations

import base64
import time
from typing import Any

from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText

from tests.conftest import World
from tests.support.yclient import YClient, wait_until
from workspace.sync.structs import Content, decode_update

SENTENCE = "Payment is due within 30 days of the invoice."


def _var_uint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        if number:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def relative_position(client: int, clock: int) -> str:
    """base64 of `Y.encodeRelativePosition` for a position stuck to item (client, clock), assoc 0."""
    return base64.b64encode(_var_uint(0) + _var_uint(client) + _var_uint(clock) + b"\x00").decode()


def range_of(doc: Doc, words: str) -> dict[str, Any]:
    """A range anchor over `words` in the terms, as the app makes it from a selection."""
    for struct in decode_update(doc.get_update()):
        if struct.content is Content.STRING and words in str(struct.values[0]):
            start = str(struct.values[0]).index(words)
            begin = relative_position(struct.client, struct.clock + start)
            end = relative_position(struct.client, struct.clock + start + len(words) - 1)
            return {"type": "range", "from": begin, "to": end, "quote": words}
    raise AssertionError(f"no text {words!r} in the document")


def _room_content(doc: Doc) -> None:
    paragraph = XmlElement("paragraph", {}, [XmlText(SENTENCE)])
    doc.get("terms", type=XmlFragment).children.append(paragraph)
    doc.get("lines", type=Array).append(
        Map({"id": "l1", "sku": "PLAT-ENT", "qty": 10, "discountPct": 5, "locked": False, "note": ""})
    )
    doc.get("deal", type=Map)["paymentTermsDays"] = 30


async def furnish(world: World) -> Doc:
    """The rep writes a paragraph of terms and a pricing line; returns the rep's copy of the shared document
    once the server holds it."""
    async with YClient(world.ws(), world.rep.bearer) as rep:
        await rep.edit(_room_content)

        def stored() -> bool:
            shared = world.rep.http.get(f"/api/rooms/{world.room_id}/snapshot").json()["shared"]
            return bool(shared["lines"]) and SENTENCE in shared["terms"]

        await wait_until(stored, 10, "the terms and the line to be stored")
        copy = Doc()
        copy.apply_update(rep.doc.get_update())
        return copy


def threads_url(world: World, *rest: str) -> str:
    return "/".join([f"/api/rooms/{world.room_id}/threads", *rest])


def snapshot(world: World) -> dict[str, Any]:
    """Both documents as the rep reads them, once the server has derived what it derives from them."""
    deriver = world.server.services.deriver
    deadline = time.monotonic() + 10
    while not deriver.idle(world.room_id):
        assert time.monotonic() < deadline, "the room's derivation did not finish"
        time.sleep(0.005)  # poll the server's deriver until the deadline
    return world.rep.http.get(f"/api/rooms/{world.room_id}/snapshot").json()  # type: ignore[no-any-return]
