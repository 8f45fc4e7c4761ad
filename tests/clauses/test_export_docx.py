"""DOCX export read back with python-docx and as raw OOXML: every part present, tracked changes real,
user text inert."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from clauses.contract import ContractData, Party
from clauses.deviation import Verdict, check_terms
from clauses.document import parse_json
from clauses.export_docx import APPENDIX_TITLE, export_contract
from clauses.samples import EDITED_LIABILITY, sample_contract, sample_terms_json
from clauses.variables import substitute
from tests.clauses.nodes import clause as clause_node
from tests.clauses.nodes import doc, items, para
from tests.support.libreoffice import pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _open(data: bytes) -> DocxDocument:
    return Document(io.BytesIO(data))


def _body_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def _texts(document: DocxDocument) -> list[str]:
    return [p.text for p in document.paragraphs]


@pytest.fixture(scope="module")
def contract() -> ContractData:
    return sample_contract(clauses=16, lines=30)


@pytest.fixture(scope="module")
def exported(contract: ContractData) -> bytes:
    return export_contract(contract)


def test_the_cover_names_the_parties_dates_term_and_a_readable_version(contract: ContractData, exported: bytes) -> None:
    document = _open(exported)
    texts = _texts(document)
    assert texts[0] == "Master Subscription Agreement"
    assert document.paragraphs[0].style.name == "Title"
    cover = texts[: texts.index("Parties")]
    for expected in (contract.vendor.name, contract.vendor.address, contract.customer.name, "between", "and"):
        assert expected in cover, expected
    assert "Date: 20 Jun 2025" in cover and f"Effective date: {contract.effective_date}" in cover
    assert "Term: 36 months" in cover
    assert f"Version of 20 Jun 2025, ref. {contract.fingerprint[:8]}" in cover
    assert not any(contract.fingerprint in text for text in texts), "no whole hash in the contract's text"
    assert contract.fingerprint[:8] in document.sections[0].footer.paragraphs[0].text
    parties = [t for t in texts if t.startswith((contract.vendor.name, contract.customer.name)) and "(the" in t]
    assert parties == [
        f'{contract.vendor.name}, {contract.vendor.address} (the "Vendor")',
        f'{contract.customer.name}, {contract.customer.address} (the "Customer")',
    ]
    assert document.core_properties.title == contract.title
    assert document.core_properties.identifier == contract.fingerprint


def test_unset_dates_and_terms_read_as_placeholders(contract: ContractData) -> None:
    variables = {k: v for k, v in contract.variables.items() if k not in ("deal.start_date", "deal.term_months")}
    terms = parse_json(
        doc(para("This Agreement starts on {{deal.start_date}} and continues for {{deal.term_months}} months."))
    )
    unset = replace(contract, variables=variables, effective_date="", term="", terms=terms)
    document = _open(export_contract(unset))
    texts = _texts(document)
    assert "Effective date: [start date]" in texts and "Term: [term]" in texts
    body = "\n".join(texts)
    assert "starts on [start date] and continues for [term] months" in body
    assert "{{" not in body and "deal.start_date" not in body


def test_line_items_are_a_real_table_with_header_and_totals(contract: ContractData, exported: bytes) -> None:
    table = _open(exported).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == [
        "Product", "Qty", "Unit", "Term (months)", "List unit price", "Discount", "Net unit price", "Line total"
    ]  # fmt: skip
    assert len(rows) == 1 + len(contract.lines) + len(contract.totals)
    for row, line in zip(rows[1:], contract.lines, strict=False):
        assert row == [f"{line['name']}\n{line['sku']}", line["qty"], line["unit"], line["term"], line["list_unit"],
                       line["discount"], line["net_unit"], line["net_total"]]  # fmt: skip
    for row, (label, amount) in zip(rows[-3:], contract.totals.items(), strict=True):
        assert row[0] == label and row[-1] == amount
    assert table._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None  # header repeats on each page


def test_every_clause_is_there_under_a_numbered_heading_with_its_text(contract: ContractData, exported: bytes) -> None:
    document = _open(exported)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    clauses = contract.terms.clauses()
    assert headings[0] == "1. Definitions"
    assert len(headings) == 1 + len(clauses)
    body = "\n".join(_texts(document))
    for number, clause in enumerate(clauses, start=2):
        assert headings[number - 1] == f"{number}. {clause.heading.text}"  # type: ignore[union-attr]
        for paragraph in clause.text.split("\n\n"):
            assert paragraph in body


def test_marks_and_lists_from_the_editor_are_kept(exported: bytes) -> None:
    document = _open(exported)
    definitions = next(p for p in document.paragraphs if p.text.startswith("In these terms"))
    assert [r.text for r in definitions.runs if r.bold] == ["Service", "Affiliate"]
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert [p.text for p in bullets] == [
        "Order: the order form signed by both parties.",
        "Annex: a schedule to this Agreement.",
    ]
    assert all(r.italic for p in bullets for r in p.runs)


def test_signature_blocks_for_both_parties(contract: ContractData, exported: bytes) -> None:
    table = _open(exported).tables[1]
    columns = [[row.cells[i].text for row in table.rows] for i in (0, 1)]
    for column, party in zip(columns, (contract.vendor, contract.customer), strict=True):
        assert column[0] == f"For {party.name}"
        assert column[1].startswith("Signature: ___")
        assert column[2] == f"Name: {party.signatory}" and column[3] == f"Title: {party.signatory_title}"
        assert column[4].startswith("Date: ___")


def test_an_unknown_signatory_leaves_lines_to_write_on(contract: ContractData) -> None:
    unknown = replace(contract, customer=replace(contract.customer, signatory="", signatory_title=""))
    table = _open(export_contract(unknown)).tables[1]
    assert [row.cells[1].text for row in table.rows][2:4] == ["Name: " + "_" * 30, "Title: " + "_" * 30]


def test_the_contract_has_no_approvals_record_unless_asked_for_the_internal_appendix(
    contract: ContractData, exported: bytes
) -> None:
    document = _open(exported)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    text = "\n".join(_texts(document) + cells)
    assert "Approvals record" not in text and APPENDIX_TITLE not in text
    for approval in contract.approvals:
        assert approval["approver"] not in text and approval["comment"] not in text

    internal = _open(export_contract(contract, internal_appendix=True))
    texts = _texts(internal)
    assert texts.index(APPENDIX_TITLE) > texts.index("Signatures"), "after the signatures, on a page of its own"
    rows = [[c.text for c in row.cells] for row in internal.tables[2].rows]
    assert rows[0] == ["Step", "Approver", "Decision", "At", "Comment"]
    assert rows[1:] == [[a["step"], a["approver"], a["decision"], a["at"], a["comment"]] for a in contract.approvals]
    assert f"Approvals given for contract version {contract.fingerprint}." in texts


def test_a_contract_without_approvals_says_so_in_its_appendix(contract: ContractData) -> None:
    document = _open(export_contract(replace(contract, approvals=[], lines=[], totals={}), internal_appendix=True))
    assert "No approvals were required for this contract." in _texts(document)
    assert [[c.text for c in r.cells] for r in document.tables[0].rows] == [
        ["Product", "Qty", "Unit", "Term (months)", "List unit price", "Discount", "Net unit price", "Line total"]
    ]


def test_without_redline_there_are_no_tracked_changes(exported: bytes) -> None:
    xml = _body_xml(exported)
    assert "<w:ins " not in xml and "<w:del " not in xml


def test_same_contract_same_document(contract: ContractData, exported: bytes) -> None:
    assert _body_xml(export_contract(contract)) == _body_xml(exported)


# --- redline ---


@pytest.fixture(scope="module")
def redlined(contract: ContractData) -> bytes:
    return export_contract(contract, redline=True)


def _accepted(paragraph: object) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))  # type: ignore[attr-defined]


def _rejected(paragraph: object) -> str:
    parts = []
    for node in paragraph.iter(f"{W}t", f"{W}delText"):  # type: ignore[attr-defined]
        if node.getparent().getparent().tag != f"{W}ins":
            parts.append(node.text or "")
    return "".join(parts)


def test_redline_writes_real_tracked_changes_with_author_and_date(contract: ContractData, redlined: bytes) -> None:
    xml = _body_xml(redlined)
    changes = re.findall(r"<w:(ins|del) ([^>]*)>", xml)
    assert {kind for kind, _ in changes} == {"ins", "del"}
    for _, attributes in changes:
        assert f'w:author="{contract.author}"' in attributes
        assert 'w:date="2025-06-20T09:30:00Z"' in attributes
    ids = re.findall(r'<w:(?:ins|del) w:id="(\d+)"', xml)
    assert len(ids) == len(set(ids))  # Word refuses duplicate revision ids
    assert re.search(r"<w:del [^>]*><w:r>(?:<w:rPr>.*?</w:rPr>)?<w:delText", xml)
    assert "<w:t>" not in "".join(re.findall(r"<w:del [^>]*>.*?</w:del>", xml))  # deleted text is delText only


def test_accepting_the_redline_gives_the_edit_and_rejecting_it_the_standard(
    contract: ContractData, redlined: bytes
) -> None:
    document = _open(redlined)
    changed = [
        p._p for p in document.paragraphs if p._p.find(f".//{W}ins") is not None or p._p.find(f".//{W}del") is not None
    ]
    accepted = " ".join(_accepted(p) for p in changed)
    rejected = " ".join(_rejected(p) for p in changed)
    edited = substitute(EDITED_LIABILITY, contract.variables).text
    standard = substitute(contract.library.get("liability").version(1).text, contract.variables).text  # type: ignore[union-attr]
    assert edited in accepted and standard in rejected
    assert "Late amounts bear interest" in rejected and "Late amounts bear interest" not in accepted  # fallback 1


def test_only_clauses_that_differ_from_the_standard_are_redlined(contract: ContractData, redlined: bytes) -> None:
    verdicts = [d.status for d in check_terms(contract.terms, contract.library, contract.variables)]
    assert verdicts.count(Verdict.STANDARD) == len(verdicts) - 2
    document = _open(redlined)
    headings = [i for i, p in enumerate(document.paragraphs) if p.style.name == "Heading 2"]
    sections = [
        document.paragraphs[a + 1 : b] for a, b in zip(headings, [*headings[1:], len(document.paragraphs)], strict=True)
    ]
    touched = [
        document.paragraphs[h].text
        for h, section in zip(headings, sections, strict=True)
        if any(p._p.find(f".//{W}ins") is not None or p._p.find(f".//{W}del") is not None for p in section)
    ]
    assert touched == ["3. Fees and payment", "9. Limitation of liability"]


def test_an_unknown_clause_is_redlined_as_wholly_inserted(contract: ContractData) -> None:
    terms = parse_json(doc(clause_node("side-letter", 1, para("Vendor pays all costs."))))
    document = _open(export_contract(replace(contract, terms=terms), redline=True))
    paragraph = next(p for p in document.paragraphs if _accepted(p._p) == "Vendor pays all costs.")
    assert paragraph.text == ""  # python-docx reads only untracked runs: all of this one is an insertion
    assert paragraph._p.find(f"{W}ins") is not None and _rejected(paragraph._p) == ""
    assert paragraph._p.find(f"{W}pPr/{W}rPr/{W}ins") is not None  # the paragraph itself is new


def test_a_redlined_clause_keeps_its_lists_and_quotes_in_order(contract: ContractData) -> None:
    standard = substitute(contract.library.get("sla").version(1).text, contract.variables).text  # type: ignore[union-attr]
    body = [
        para(standard),
        items("bulletList", [para("Credits are paid within 30 days.")], [para("Credits never expire.")]),
        {"type": "blockquote", "content": [para("Measured by an external monitor.")]},
    ]
    terms = parse_json(doc(items("orderedList", [clause_node("sla", 1, *body)]), clause_node("sla", 1, *body)))
    document = _open(export_contract(replace(contract, terms=terms), redline=True))
    inserted = [p for p in document.paragraphs if p._p.find(f"{W}pPr/{W}rPr/{W}ins") is not None]
    assert [(p.style.name, _accepted(p._p)) for p in inserted] == 2 * [
        ("List Bullet", "Credits are paid within 30 days."),
        ("List Bullet", "Credits never expire."),
        ("Quote", "Measured by an external monitor."),
    ]


def test_a_redlined_clause_with_an_unset_variable_shows_only_the_real_edit(contract: ContractData) -> None:
    variables = {k: v for k, v in contract.variables.items() if k != "deal.start_date"}
    standard = contract.library.get("term_termination").version(1).text  # type: ignore[union-attr]
    edited = standard.replace("at least 60 days", "at least 90 days")
    paragraphs = [para(part) for part in edited.split("\n\n")]
    terms = parse_json(doc(clause_node("term_termination", 1, *paragraphs)))
    data = export_contract(replace(contract, variables=variables, effective_date="", terms=terms), redline=True)
    changed = re.findall(r"<w:(?:ins|del) [^>]*>.*?</w:(?:ins|del)>", _body_xml(data))
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in changed] == ["60", "90"], changed
    assert "starts on [start date]" in "\n".join(_texts(_open(data)))


# --- hostile text ---

HOSTILE = 'Evil <w:p><w:r><w:t>x</w:t></w:r></w:p> ]]> &amp; "q" \x00\x07\x1b\ufffe\ud800 <script>alert(1)</script>'
CLEAN = 'Evil <w:p><w:r><w:t>x</w:t></w:r></w:p> ]]> &amp; "q"  <script>alert(1)</script>'


def test_hostile_text_everywhere_stays_inert_text(contract: ContractData) -> None:
    terms_json = sample_terms_json(contract.library, dict(contract.variables), 3)
    terms_json["content"].append(  # type: ignore[union-attr]
        {"type": "clause", "attrs": {"clauseId": "liability", "version": 1}, "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": HOSTILE, "marks": [{"type": "bold"}]}]}]}
    )  # fmt: skip
    hostile = replace(
        contract,
        title=HOSTILE,
        vendor=Party("Vendor", HOSTILE, HOSTILE, HOSTILE, HOSTILE),
        lines=[{"sku": HOSTILE, "name": HOSTILE, "unit": HOSTILE, "qty": "1", "net_unit": "1.00", "net_total": "1.00"}],
        totals={HOSTILE: HOSTILE},
        approvals=[{"step": HOSTILE, "approver": HOSTILE, "decision": "approved", "at": "now", "comment": HOSTILE}],
        terms=parse_json(terms_json),
        author=HOSTILE,
    )
    for redline in (False, True):
        data = export_contract(hostile, redline=redline, internal_appendix=True)
        document = _open(data)
        texts = _texts(document)
        assert texts[0] == CLEAN
        assert CLEAN in [c.text for t in document.tables for r in t.rows for c in r.cells]
        xml = _body_xml(data)
        assert "<w:p><w:r><w:t>x</w:t>" not in xml and "&lt;w:p&gt;" in xml
        assert xml.count("<script>") == 0
    assert CLEAN in [_accepted(p._p) for p in document.paragraphs]


# --- LibreOffice ---


def test_libreoffice_opens_the_export_and_shows_every_part(
    contract: ContractData, redlined: bytes, tmp_path: Path
) -> None:
    flat = pdf_text(redlined, tmp_path)
    for expected in (
        contract.title, contract.vendor.name, contract.customer.name, "Parties", "Product", contract.lines[-1]["sku"],
        "Total", contract.totals["Total"], "9. Limitation of liability", "five times", "Signature:",
        contract.vendor.signatory, contract.customer.signatory, f"ref. {contract.fingerprint[:8]}",
    ):  # fmt: skip
        assert expected in flat, expected
    assert contract.approvals[-1]["comment"] not in flat
