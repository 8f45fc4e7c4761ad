"""Issue 11.1: text a customer types outside library clause blocks is a deviation legal must approve, word
for word, before the contract can leave the room; earlier approvals never cover it."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from pycrdt import Doc, Map, XmlElement, XmlFragment, XmlText

from tests.conftest import PricedWorld
from tests.support.yclient import YClient
from tests.workspace.approval_policy.test_preview import _with_policy
from tests.workspace.approval_policy.test_requests import (
    COVERED,
    _approvers,
    _badge,
    _decide,
    _export,
    _preview,
    _set_discount,
    _submit,
)
from tests.workspace.exports.test_export import _add_clauses, _library, replace_in
from workspace.sync.documents import DocName

UNLIMITED = "The Vendor's liability under this Agreement is unlimited."


def _insert_between_clauses(text: str) -> Any:
    """A paragraph between the first two clause blocks, as the editor writes one."""

    def change(doc: Doc) -> None:
        terms = doc.get("terms", type=XmlFragment)
        tags = [getattr(child, "tag", None) for child in terms.children]
        terms.children.insert(tags.index("clause") + 1, XmlElement("paragraph", {}, [XmlText(text)]))

    return change


def _reword(old: str, new: str) -> Any:
    def change(doc: Doc) -> None:
        outside = [c for c in doc.get("terms", type=XmlFragment).children if getattr(c, "tag", None) == "paragraph"]
        if not replace_in(outside, old, new):
            raise AssertionError(f"{old!r} is not in a paragraph outside the clauses")

    return change


def _free_text(client: YClient) -> Any:
    return client.doc.get("computed", type=Map).get("free_text")


def _deviations(priced: PricedWorld, api: Any = None) -> Any:
    response = (api or priced.rep).http.get(f"/api/rooms/{priced.room_id}/deviations")
    assert response.status_code == 200, response.text
    return response.json()


def _contract_text(response: Any) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)


async def test_free_text_outside_clauses_goes_to_legal_and_blocks_export_until_approved_word_for_word(
    priced: PricedWorld,
) -> None:
    _library(priced)
    _with_policy(priced)
    manager, _ = _approvers(priced)
    await _set_discount(priced, 25, first=True)
    async with (
        YClient(priced.ws(), priced.rep.bearer) as rep,
        YClient(priced.ws(), priced.customer.bearer) as buyer,
        YClient(priced.ws(doc="internal"), priced.rep.bearer) as internal,
    ):
        await rep.edit(_add_clauses("payment", "liability"))
        await rep.wait_for(lambda: [c["status"] for c in rep.doc.get("computed", type=Map).get("clauses") or []]
                           == ["standard", "standard"], what="standard clauses")  # fmt: skip
        # The manager approves the 25% discount: this version is approved and exports.
        request = _submit(priced).json()
        assert _decide(manager, request, "discount-over-20").status_code == 200
        await internal.wait_for(lambda: _badge(internal).get("status") == "approved", what="approved")
        assert _export(priced).status_code == 200

        # The customer types a paragraph between the two clause blocks: the guard lets customers write terms.
        await buyer.edit(_insert_between_clauses(UNLIMITED))
        for client in (rep, buyer):
            await client.wait_for(lambda c=client: _free_text(c) is not None, what="the free text flag")
        shown = _free_text(buyer)
        assert shown["status"] == "non_standard" and shown["kind"] == "free_text"
        assert {"op": "insert", "text": UNLIMITED} in shown["diff"]
        assert "approval" not in shown and "category" not in shown, "no routing in the shared doc"
        await internal.wait_for(lambda: (_free_text(internal) or {}).get("approval") == "legal", what="routing")

        # The API agrees: the clauses themselves are standard, the outside text is not.
        seen = _deviations(priced)
        assert [c["status"] for c in seen["clauses"]] == ["standard", "standard"]
        assert seen["free_text"]["title"] == "Text outside the clauses" and seen["free_text"]["approval"] == "legal"
        assert "approval" not in _deviations(priced, priced.customer)["free_text"]

        # Smart re-approval does not carry the manager's approval over to terms it did not see: legal is asked,
        # the manager is not.
        await internal.wait_for(lambda: _badge(internal) != COVERED and _badge(internal).get("status") != "approved")
        preview = _preview(priced)
        needs = {step["rule_id"]: step["covered_by"] for step in preview["steps"]}
        assert set(needs) == {"discount-over-20", "legal-clauses"} and needs["discount-over-20"] is not None
        assert needs["legal-clauses"] is None and preview["needs"] == ["legal-clauses"]
        refused = _export(priced)
        assert refused.status_code == 409 and [m["name"] for m in refused.json()["missing"]] == ["Legal"]

        # Legal decides on the words: the inbox shows the free text with its diff.
        legal_request = _submit(priced)
        assert legal_request.status_code == 201, legal_request.text
        [item] = priced.legal.http.get("/api/approvals/inbox").json()["items"]
        [wording] = item["clauses"]
        assert wording["title"] == "Text outside the clauses"
        assert {"op": "insert", "text": UNLIMITED} in wording["diff"]
        assert _decide(priced.legal, legal_request.json(), "legal-clauses").status_code == 200
        await internal.wait_for(lambda: _badge(internal).get("status") == "approved", what="legal's approval")
        exported = _export(priced)
        assert exported.status_code == 200, exported.text
        assert UNLIMITED in _contract_text(exported), "the contract holds what legal approved"

        # One word more after legal's approval: legal approved that exact text, not this one.
        await buyer.edit(_reword("unlimited", "unlimited and uncapped"))
        await internal.wait_for(lambda: _badge(internal).get("status") != "approved", what="the new wording")
        stale = _export(priced)
        assert stale.status_code == 409 and [m["name"] for m in stale.json()["missing"]] == ["Legal"]

        # Back to the approved words: the version legal approved, approved again with nobody asked.
        await buyer.edit(_reword("unlimited and uncapped", "unlimited"))
        await internal.wait_for(lambda: _badge(internal).get("status") == "approved", what="approved again")
        assert _export(priced).status_code == 200


async def test_the_standard_preamble_of_the_demo_room_needs_no_one(priced: PricedWorld) -> None:
    """Text a room was opened with is its standard terms; only a change to it is a deviation."""
    _library(priced)

    def opened_with_a_preamble(doc: Doc) -> None:
        doc.get("computed", type=Map)["standard_terms"] = ["Master Subscription Agreement"]

    async def open_with_a_preamble() -> None:  # on the server's loop, which owns the room documents
        rooms = priced.server.services.rooms
        shared = await rooms.acquire(priced.room_id, DocName.SHARED)
        try:
            await shared.server_write(opened_with_a_preamble)
        finally:
            rooms.release(priced.room_id, DocName.SHARED)

    await priced.server.acall(open_with_a_preamble())
    async with YClient(priced.ws(), priced.rep.bearer) as rep:

        def title(doc: Doc) -> None:
            doc.get("terms", type=XmlFragment).children.append(
                XmlElement("heading", {"level": 1}, [XmlText("Master Subscription Agreement")])
            )

        await rep.edit(title)
        await rep.edit(_add_clauses("payment"))
        await rep.wait_for(lambda: (rep.doc.get("computed", type=Map).get("clauses") or [{}])[0].get("status")
                           == "standard", what="the clause check")  # fmt: skip
        # Written with the clause checks, in one update: no flag for the title the room was opened with.
        assert _free_text(rep) is None and _deviations(priced)["free_text"] is None
        await rep.edit(_reword_heading("Master Subscription Agreement", "Master Subscription Agreement, uncapped"))
        await rep.wait_for(lambda: _free_text(rep) is not None, what="the changed title")
        assert {"op": "insert", "text": ","} not in _free_text(rep)["diff"]
        assert any(op["op"] == "insert" and "uncapped" in op["text"] for op in _free_text(rep)["diff"])


def _reword_heading(old: str, new: str) -> Any:
    def change(doc: Doc) -> None:
        headings = [c for c in doc.get("terms", type=XmlFragment).children if getattr(c, "tag", None) == "heading"]
        if not replace_in(headings, old, new):
            raise AssertionError(f"{old!r} is not in a heading outside the clauses")

    return change
