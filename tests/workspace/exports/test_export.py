"""Clause blocks in a live room (story 5) and the contract export (story 6): deviations are checked on every
edit and route to legal; export is refused with the missing approvals until they cover this exact version,
and the document that comes out is what the room says, opened by python-docx and by LibreOffice."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docx import Document
from pycrdt import Doc, Map, XmlElement, XmlFragment, XmlText

from clauses.library import library_to_dict
from clauses.samples_library import sample_library
from tests.conftest import PricedWorld
from tests.support.libreoffice import pdf_text
from tests.support.yclient import YClient
from tests.workspace.approval_policy.test_preview import _line, _with_policy
from tests.workspace.sync.test_permissions import settled
from workspace.clause_library.blocks import clause_element

HOSTILE = '</w:t><w:p/><script>alert(1)</script> & "quotes" {{vendor.nmae}}'


def _library(priced: PricedWorld) -> None:
    imported = priced.legal.http.post("/api/clauses/import", json=library_to_dict(sample_library()))
    assert imported.status_code == 200, imported.text


def _add_clauses(*clause_ids: str) -> Any:
    library = sample_library()

    def change(doc: Doc) -> None:
        terms = doc.get("terms", type=XmlFragment)
        for clause_id in clause_ids:
            clause = library.get(clause_id)
            assert clause is not None and clause.latest_published is not None
            terms.children.append(clause_element(clause, clause.latest_published))
        doc.get("deal", type=Map)["customerName"] = "Acme Corp"

    return change


def replace_in(paragraphs: Iterable[Any], old: str, new: str) -> bool:
    """Replace `old` in the first of these paragraphs' texts that holds it, as an editor would."""
    for paragraph in paragraphs:
        for part in paragraph.children:
            if isinstance(part, XmlText) and old in str(part):
                at = str(part).index(old)
                del part[at : at + len(old)]
                part.insert(at, new)
                return True
    return False


def _edit_word(clause_index: int, old: str, new: str) -> Any:
    """Replace a word in the first paragraph of the n-th clause block that contains it, as an editor would."""

    def change(doc: Doc) -> None:
        clauses = [c for c in doc.get("terms", type=XmlFragment).children if getattr(c, "tag", None) == "clause"]
        if not replace_in(list(clauses[clause_index].children)[1:], old, new):
            raise AssertionError(f"{old!r} not in clause {clause_index}")

    return change


def _shown(client: YClient, key: str = "clauses") -> Any:
    return client.doc.get("computed", type=Map).get(key)


def _statuses(client: YClient) -> list[str]:
    return [c["status"] for c in (_shown(client) or [])]


def _export(api: Any, room_id: str, **body: Any) -> Any:
    return api.http.post(f"/api/rooms/{room_id}/export", json={"format": "docx", **body})


async def test_clause_blocks_are_checked_live_and_customers_see_no_approval_routing(priced: PricedWorld) -> None:
    _library(priced)
    async with (
        YClient(priced.ws(), priced.rep.bearer) as rep,
        YClient(priced.ws(), priced.customer.bearer) as buyer,
        YClient(priced.ws(doc="internal"), priced.rep.bearer) as internal,
    ):
        await rep.edit(_add_clauses("payment", "liability"))
        await buyer.wait_for(lambda: _statuses(buyer) == ["standard", "standard"], what="standard clauses")
        await buyer.wait_for(lambda: (_shown(buyer, "variables") or {}).get("customer.name") == "Acme Corp")

        await buyer.edit(_edit_word(1, "12 months", "24 months"))  # the customer rewrites the liability cap
        await rep.wait_for(lambda: _statuses(rep) == ["standard", "non_standard"], what="the flag")
        flagged = _shown(rep)[1]
        assert {"op": "delete", "text": "12"} in flagged["diff"] and {"op": "insert", "text": "24"} in (flagged["diff"])
        assert "approval" not in flagged and "category" not in flagged, "no routing in the shared doc"
        await internal.wait_for(lambda: (_shown(internal) or [{}, {}])[1].get("approval") == "legal")

    api = priced.rep.http.get(f"/api/rooms/{priced.room_id}/deviations").json()["clauses"]
    customer = priced.customer.http.get(f"/api/rooms/{priced.room_id}/deviations").json()["clauses"]
    assert [c["status"] for c in api] == ["standard", "non_standard"] and api[1]["approval"] == "legal"
    assert [c["diff"] for c in customer] == [c["diff"] for c in api] and "approval" not in customer[1]
    assert priced.outsider.http.get(f"/api/rooms/{priced.room_id}/deviations").status_code == 404


async def test_a_new_library_version_never_changes_a_room_in_flight(priced: PricedWorld) -> None:
    _library(priced)
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(_add_clauses("payment"))
        await rep.wait_for(lambda: _statuses(rep) == ["standard"])
        version = {"text": "Invoices are payable within 14 days.", "fallbacks": [], "deviation_approval": "finance"}
        assert priced.legal.http.post("/api/clauses/payment/versions", json=version).status_code == 201
        assert priced.legal.http.post("/api/clauses/payment/versions/2/publish").status_code == 200
        await rep.wait_for(lambda: (_shown(rep) or [{}])[0].get("latest_version") == 2, what="the upgrade offer")
        [payment] = _shown(rep)
        assert (payment["status"], payment["version"]) == ("standard", 1), "still pinned to version 1"


async def test_export_waits_for_approvals_of_this_exact_version(priced: PricedWorld, tmp_path: Path) -> None:
    _library(priced)
    _with_policy(priced)
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(_line(10))
        await rep.edit(_add_clauses("payment", "liability", "governing_law"))
        await rep.wait_for(lambda: _statuses(rep) == ["standard"] * 3)
        before = priced.rep.http.get(f"/api/rooms/{priced.room_id}/exports").json()["exports"]
        assert before == []

        # Standard terms and a 10% discount need no approval: the export goes through at once.
        first = _export(priced.rep, priced.room_id)
        assert first.status_code == 200, first.text
        assert first.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert first.headers["x-export-sha256"] == hashlib.sha256(first.content).hexdigest()

        # The customer rewrites the liability cap with hostile text: legal must approve, export is refused.
        await rep.edit(_edit_word(1, "12 months", "24 months " + HOSTILE))
        await rep.wait_for(lambda: _statuses(rep)[1:2] == ["non_standard"])
        refused = _export(priced.rep, priced.room_id, redline=True)
        assert refused.status_code == 409 and refused.json()["error"] == "approvals_missing"
        assert [(m["name"], m["why"]) for m in refused.json()["missing"]] == [("Legal", "not requested")]

        request = priced.rep.http.post(f"/api/rooms/{priced.room_id}/approvals").json()
        # Legal decides on words: the inbox shows the edited clause with its diff, not just "liability".
        [item] = priced.legal.http.get("/api/approvals/inbox").json()["items"]
        [edited] = item["clauses"]
        assert edited["title"] == "Limitation of liability" and edited["approval"] == "legal"
        assert any("24" in op["text"] for op in edited["diff"] if op["op"] == "insert"), edited["diff"]
        assert _export(priced.rep, priced.room_id).json()["missing"][0]["why"] == "pending"
        comment = "Cap accepted for this account"
        body = {"decision": "approve", "comment": comment, "fingerprint": request["fingerprint"]}
        step = request["steps"][0]["id"]
        decided = priced.legal.http.post(f"/api/approvals/{request['request_id']}/steps/{step}/decision", json=body)
        assert decided.status_code == 200 and decided.json()["state"] == "approved", decided.text

        exported = _export(priced.rep, priced.room_id)
        assert exported.status_code == 200, exported.text
        document = Document(io.BytesIO(exported.content))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "Acme Corp" in text and "{{customer.name}}" not in text, "variables are filled in"
        assert HOSTILE in text, "hostile text is kept as text"
        cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
        assert comment not in cells and comment not in text, "the approvals record stays out of the contract"
        assert "<script>" not in document.element.xml
        internal = _export(priced.rep, priced.room_id, internal_appendix=True)
        assert internal.status_code == 200 and internal.headers["content-disposition"].endswith('-internal.docx"')
        appendix = Document(io.BytesIO(internal.content))
        assert comment in [cell.text for table in appendix.tables for row in table.rows for cell in row.cells]
        redlined = _export(priced.rep, priced.room_id, redline=True)
        body_xml = Document(io.BytesIO(redlined.content)).element.xml
        assert "<w:ins " in body_xml and "<w:del " in body_xml, "the redline is real tracked changes"
        assert "w:author=" in body_xml

        listed = priced.rep.http.get(f"/api/rooms/{priced.room_id}/exports").json()["exports"]
        assert [e["redline"] for e in listed] == [True, False, False, False]
        assert listed[2]["sha256"] == exported.headers["x-export-sha256"]
        again = priced.rep.http.get(listed[2]["url"])
        assert again.content == exported.content, "the recorded file is the one that was sent"
        assert priced.customer.http.get(f"/api/rooms/{priced.room_id}/exports").status_code == 403

        flat = pdf_text(exported.content, tmp_path)
        for expected in ("Acme Corp", "24 months", "Limitation of liability"):
            assert expected in flat, expected
        assert comment not in flat

        # Another change after approval: the approval was for the earlier version.
        await rep.edit(_edit_word(1, "24 months", "36 months"))
        await rep.wait_for(lambda: "36" in str(_shown(rep)[1]["diff"]))
        stale = _export(priced.rep, priced.room_id)
        assert stale.status_code == 409 and stale.json()["missing"][0]["why"] == "requested for an earlier version"


async def test_bad_export_requests_are_refused_and_record_nothing(priced: PricedWorld) -> None:
    _library(priced)
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(_line(10))
        await rep.edit(_add_clauses("payment"))
        await rep.wait_for(lambda: _statuses(rep) == ["standard"])
    cases = [
        (priced.rep, {"format": "pdf"}, 400),
        (priced.rep, {"format": "docx", "redline": "yes"}, 400),
        (priced.rep, {"format": "docx", "colour": "red"}, 400),
        (priced.customer, {"format": "docx"}, 403),
        (priced.outsider, {"format": "docx"}, 404),
    ]
    for api, body, status in cases:
        response = api.http.post(f"/api/rooms/{priced.room_id}/export", json=body)
        assert response.status_code == status, (body, response.text)
    assert priced.rep.http.get(f"/api/rooms/{priced.room_id}/exports").json()["exports"] == []


async def test_customers_edit_clause_words_but_never_change_which_clauses_are_there(
    priced: PricedWorld,
) -> None:
    _library(priced)
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(_add_clauses("payment"))
        await rep.wait_for(lambda: _statuses(rep) == ["standard"])

    def re_pin(doc: Doc) -> None:
        clause = next(c for c in doc.get("terms", type=XmlFragment).children if getattr(c, "tag", None) == "clause")
        clause.attributes["version"] = "2"

    def insert(doc: Doc) -> None:
        library = sample_library()
        clause = library.get("liability")
        assert clause is not None and clause.latest_published is not None
        doc.get("terms", type=XmlFragment).children.append(clause_element(clause, clause.latest_published))

    def remove(doc: Doc) -> None:
        terms = doc.get("terms", type=XmlFragment)
        index = next(i for i, c in enumerate(terms.children) if getattr(c, "tag", None) == "clause")
        del terms.children[index]

    for change, reason in ((re_pin, "(payment v2)"), (insert, "(liability v1)"), (remove, "remove library")):
        await settled(priced)
        before = await priced.server.doc_state(priced.room_id)
        async with YClient(priced.ws(), priced.customer.bearer) as buyer:
            await buyer.edit(change)
            await buyer.wait_closed()
        assert buyer.close_code == 4403 and reason in (buyer.close_reason or ""), buyer.close_reason
        await settled(priced)
        assert await priced.server.doc_state(priced.room_id) == before


def _nested_terms(depth: int) -> XmlElement:
    inner = XmlElement("paragraph", {}, [XmlText("deep")])
    for _ in range(depth):
        inner = XmlElement("blockquote", {}, [inner])
    return inner


async def test_terms_nested_past_any_editor_are_refused_clearly(priced: PricedWorld) -> None:
    """The guard refuses them (issue 11.6: the terms hold what the editor makes); a room that holds them from
    before is still read with a clear refusal, not a crash."""
    async with YClient(priced.ws(), priced.customer.bearer) as buyer:
        await buyer.edit(lambda doc: doc.get("terms", type=XmlFragment).children.append(_nested_terms(80)))
        await buyer.wait_closed()
    assert buyer.close_code == 4400
    assert buyer.close_reason == "'terms' nests at most 32 levels deep; no editor makes more"
    assert priced.rep.http.get(f"/api/rooms/{priced.room_id}/deviations").status_code == 200

    older = Doc()  # as an older release stored it, written to the log of a room nobody has open
    older.get("terms", type=XmlFragment).children.append(_nested_terms(80))
    await priced.server.acall(priced.server.services.store.append(priced.other_room_id, "shared", older.get_update()))
    deviations = priced.rep.http.get(f"/api/rooms/{priced.other_room_id}/deviations")
    assert deviations.status_code == 422 and "nested deeper than" in deviations.json()["detail"]
    assert priced.rep.http.get("/healthz").status_code == 200


async def test_without_a_rule_for_clauses_an_edited_clause_still_blocks_export(priced: PricedWorld) -> None:
    _library(priced)  # no approval policy at all
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(_line(10))
        await rep.edit(_add_clauses("liability"))
        await rep.wait_for(lambda: _statuses(rep) == ["standard"])
        assert _export(priced.rep, priced.room_id).status_code == 200, "standard terms need nobody"
        await rep.edit(_edit_word(0, "12 months", "24 months"))
        await rep.wait_for(lambda: _statuses(rep) == ["non_standard"])
        refused = _export(priced.rep, priced.room_id)
    assert refused.status_code == 409
    [missing] = refused.json()["missing"]
    assert missing["rule_id"] == "clause-deviations" and "no approval policy rule routes them" in missing["reason"]
    assert "(Limitation of liability)" in missing["reason"], "the clause by its title, not its key"
