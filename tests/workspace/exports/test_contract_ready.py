"""Issue 10.4, "the contract is not ready to send": the demo room exported as the rep would send it, read back
with python-docx and as LibreOffice prints it. No internal approvals record (unless the rep asks for the
internal appendix), the governing law and venue read once, priced lines a reader can check, clauses
numbered from 1, billing in words, a real cover, named signatories, and placeholders for unset variables."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from pycrdt import Array, Doc, Map

from tests.support.accounts import Api, sign_in
from tests.support.libreoffice import pdf_text
from tests.support.server import LiveServer
from tests.support.yclient import YClient
from workspace.demo import DEMO_PASSWORD, DEMO_ROOM_ID, DEMO_ROOM_TITLE, seed_demo

HASH = re.compile(r"\b[0-9a-f]{64}\b")
MONEY_CELL = re.compile(r"USD \d{1,3}(?:,\d{3})*\.\d{2}")
APPROVER = "Morgan Manager"
COMMENT = "Quarter-end pricing agreed with Acme"
HEADERS = ["Product", "Qty", "Unit", "Term (months)", "List unit price", "Discount", "Net unit price", "Line total"]


class Demo:
    """The demo data on a live server, with the rep, the sales manager and the customer signed in."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        with server.services.sessions.begin() as db:
            seed_demo(db)
        self.rep = sign_in(server.url, "rep@demo.test", DEMO_PASSWORD)
        self.manager = sign_in(server.url, "manager@demo.test", DEMO_PASSWORD)
        self.customer = sign_in(server.url, "buyer@acme.test", DEMO_PASSWORD)

    def export(self, api: Api, **body: Any) -> Any:
        return api.http.post(f"/api/rooms/{DEMO_ROOM_ID}/export", json={"format": "docx", **body})

    def close(self) -> None:
        for api in (self.rep, self.manager, self.customer):
            api.http.close()


@pytest.fixture
def demo(make_server: Any) -> Iterator[Demo]:
    # The settings as an installation from before this issue has them: the old defaults still read once.
    world = Demo(make_server(governing_law="the laws of Germany", venue="the courts of Berlin"))
    yield world
    world.close()


def _three_years_at_27_percent(doc: Doc) -> None:
    """The rep's negotiation: a 36-month term, and 300 Enterprise seats at 27% off (the volume tier from seat
    251 makes the net unit price 53.898333..., finer than a cent)."""
    doc.get("deal", type=Map)["termMonths"] = 36
    for line in doc.get("lines", type=Array):
        if line["id"] == "l1":
            line["qty"] = 300
            line["discountPct"] = 27


def _quote(client: YClient) -> dict[str, Any]:
    return client.doc.get("computed", type=Map).get("quote") or {}


def _all_text(document: DocxDocument) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    footers = [p.text for section in document.sections for p in section.footer.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells + footers)


async def _negotiated_and_approved(demo: Demo) -> None:
    async with YClient(demo.server.ws_url(DEMO_ROOM_ID), demo.rep.bearer) as rep:
        await rep.edit(_three_years_at_27_percent)
        await rep.wait_for(lambda: _quote(rep).get("term_months") == 36, what="the 36-month quote")
        await rep.wait_for(lambda: (rep.doc.get("computed", type=Map).get("variables") or {}).get("deal.billing")
                           == "annually", what="the billing variable in words")  # fmt: skip
        variables = rep.doc.get("computed", type=Map).get("variables")
        assert variables["contract.governing_law"] == "Germany" and variables["contract.venue"] == "Berlin"
    refused = demo.export(demo.rep)
    assert refused.status_code == 409 and [m["name"] for m in refused.json()["missing"]] == ["Sales manager"]
    request = demo.rep.http.post(f"/api/rooms/{DEMO_ROOM_ID}/approvals").json()
    [step] = request["steps"]
    body = {"decision": "approve", "comment": COMMENT, "fingerprint": request["fingerprint"]}
    decided = demo.manager.http.post(f"/api/approvals/{request['request_id']}/steps/{step['id']}/decision", json=body)
    assert decided.status_code == 200 and decided.json()["state"] == "approved", decided.text


async def test_the_exported_demo_contract_is_ready_to_send(demo: Demo, tmp_path: Path) -> None:
    await _negotiated_and_approved(demo)

    # The room tells what is still unset before export, and the export says it too.
    unset = demo.customer.http.get(f"/api/rooms/{DEMO_ROOM_ID}/deviations").json()["unset_variables"]
    assert {"name": "deal.start_date", "label": "Start date of the subscription", "placeholder": "[start date]"} in (
        unset
    )
    exported = demo.export(demo.rep)
    assert exported.status_code == 200, exported.text
    assert "deal.start_date" in exported.headers["x-export-unset-variables"].split(",")
    document = Document(io.BytesIO(exported.content))
    texts = [p.text for p in document.paragraphs]
    everything = _all_text(document)

    # No internal approvals record, no approver, no comment.
    assert "Approvals record" not in everything and "Internal appendix" not in everything
    assert APPROVER not in everything and COMMENT not in everything

    # Governing law and venue read once.
    assert everything.count("laws of Germany") == 1 and "the laws of the laws" not in everything
    assert everything.lower().count("the courts of berlin") == 1 and "courts of the courts" not in everything

    # Priced lines: name and SKU, quantity, unit, term, list price, discount, net price, total; money to the
    # cent with its currency, rounded half up for display only.
    pricing = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in pricing.rows]
    assert rows[0] == HEADERS
    by_sku = {row[0].split("\n")[-1]: row for row in rows[1:5]}
    assert by_sku["PLAT-ENT"] == [
        "Platform Enterprise\nPLAT-ENT", "300", "users / month", "36", "USD 75.00", "28.14%", "USD 53.90",
        "USD 582,102.00",
    ]  # fmt: skip
    assert by_sku["PS-ONBOARD"][2:4] == ["package, one-time", "—"]
    assert by_sku["SUP-PREM"][2:4] == ["subscription / year", "36"]
    for row in rows[1:5]:
        assert all(MONEY_CELL.fullmatch(cell) for cell in row[4:5] + row[6:8]), row
    totals = {row[0]: row[-1] for row in rows[5:]}
    assert list(totals) == ["List price total", "Discounts", "Net total", "First year"]
    assert all(MONEY_CELL.fullmatch(amount) for amount in totals.values()), totals
    assert not re.search(r"\d\.\d{3,}", everything), "no amount with more than two decimals"

    # Clauses numbered from 1 under the agreement's own (unnumbered) title.
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[:3] == ["Master Subscription Agreement", "1. Subscription and use rights", "2. Fees and payment"]
    assert headings[-1] == "9. Governing law and jurisdiction"

    # Billing in words.
    assert "invoice the fees annually in advance" in everything and "annual in advance" not in everything

    # A cover: title, parties, dates, term and a readable version; no whole hash anywhere.
    cover = texts[: texts.index("Parties")]
    assert cover[0] == DEMO_ROOM_TITLE
    for expected in ("Dealroom Software GmbH", "Torstrasse 1, 10119 Berlin, Germany", "Acme Corp", "Term: 36 months",
                     "Effective date: [start date]"):  # fmt: skip
        assert expected in cover, expected
    assert any(re.fullmatch(r"Version of \d{1,2} [A-Z][a-z]{2} \d{4}, ref\. [0-9a-f]{8}", t) for t in cover), cover
    assert not HASH.search(everything)

    # Signatories named: the rep for the vendor, the invited customer member for Acme.
    signatures = [[row.cells[i].text for row in document.tables[1].rows] for i in (0, 1)]
    assert signatures[0][:3] == ["For Dealroom Software GmbH", "Signature: " + "_" * 30, "Name: Riley Rep"]
    assert signatures[1][:3] == ["For Acme Corp", "Signature: " + "_" * 30, "Name: Blake Buyer (Acme)"]
    assert signatures[1][4].startswith("Date: ___")

    # An unset variable prints a placeholder, never its key.
    assert "This Agreement starts on [start date] and continues for 36 months" in everything
    assert "deal.start_date" not in everything and "{{" not in everything

    # The same, as LibreOffice lays it out.
    flat = pdf_text(exported.content, tmp_path)
    layout = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "contract.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert APPROVER not in flat and COMMENT not in flat and "Approvals record" not in flat
    assert flat.count("laws of Germany") == 1 and flat.lower().count("the courts of berlin") == 1
    for expected in ("Qty", "Unit", "(months)", "List unit", "Discount", "Net unit", "Line total", "First year",
                     "1. Subscription and use rights",
                     "invoice the fees annually in advance", "Name: Riley Rep", "Name: Blake Buyer (Acme)",
                     "Effective date: [start date]", "starts on [start date]", "Term: 36 months"):  # fmt: skip
        assert expected in flat, expected
    assert "2. Subscription and use rights" not in flat and "deal.start_date" not in flat
    assert not HASH.search(flat)
    # One printed row per line item, its columns in order (the product's name wraps onto the lines below).
    plat_ent = r"Platform\s+300\s+users /\s+36\s+USD 75\.00\s+28\.14%\s+USD 53\.90\s+USD 582,102\.00\n"
    assert re.search(plat_ent, layout), layout
    assert re.search(r"First year\s+USD [\d,]+\.\d{2}", layout)


async def test_the_internal_appendix_is_for_the_vendor_only(demo: Demo, tmp_path: Path) -> None:
    await _negotiated_and_approved(demo)
    internal = demo.export(demo.rep, internal_appendix=True)
    assert internal.status_code == 200, internal.text
    document = Document(io.BytesIO(internal.content))
    texts = [p.text for p in document.paragraphs]
    appendix = texts.index("Internal appendix: approvals record")
    assert appendix > texts.index("Signatures")
    assert "not part of the contract" in texts[appendix + 1]
    rows = [[cell.text for cell in row.cells] for row in document.tables[2].rows]
    assert rows[0] == ["Step", "Approver", "Decision", "At", "Comment"]
    assert rows[1][:3] == ["Sales manager", APPROVER, "approved"] and rows[1][4] == COMMENT
    assert APPROVER in pdf_text(internal.content, tmp_path)

    for body in ({"internal_appendix": True}, {}):
        refused = demo.export(demo.customer, **body)
        assert refused.status_code == 403, refused.text
    assert demo.export(demo.rep, internal_appendix="yes").status_code == 400
    listed = demo.rep.http.get(f"/api/rooms/{DEMO_ROOM_ID}/exports").json()["exports"]
    assert [e["filename"].endswith("-internal.docx") for e in listed] == [True]
