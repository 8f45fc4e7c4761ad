"""How the terms are laid out in Word: clause headings and their numbers, lists, quotes, code."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from clauses.contract import ContractData
from clauses.document import parse_json
from clauses.export_docx import export_contract
from clauses.samples import sample_contract
from tests.clauses.nodes import Node, clause, doc, items, para, text


@pytest.fixture(scope="module")
def contract() -> ContractData:
    return sample_contract(clauses=1, lines=1)


def _export(contract: ContractData, *content: Node) -> DocxDocument:
    return Document(io.BytesIO(export_contract(replace(contract, terms=parse_json(doc(*content))))))


def _heading(level: int, value: str) -> Node:
    return {"type": "heading", "attrs": {"level": level}, "content": [text(value)]}


def _terms(document: DocxDocument) -> list[tuple[str, str]]:
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Terms") + 1
    end = next(i for i, p in enumerate(paragraphs) if p.text == "Signatures")
    return [(p.style.name, p.text) for p in paragraphs[start:end]]


def test_clause_headings_are_numbered_and_typed_numbers_carry_on(contract: ContractData) -> None:
    document = _export(
        contract,
        _heading(2, "1. Definitions"),
        para("Words."),
        _heading(2, "Payment"),  # the title of the clause that follows
        clause("payment", 1, para("Body one.")),
        clause("liability", 1, para("Body two.")),  # no heading: the library's title
        clause("ip", 1, _heading(2, "7. Rights"), para("Body three.")),  # typed number wins
        clause("publicity", 1, para("Body four.")),
        _heading(2, "2025 price review"),
        _heading(2, "9.1 Notices"),
    )
    assert _terms(document) == [
        ("Heading 2", "1. Definitions"),
        ("Normal", "Words."),
        ("Heading 2", "2. Payment"),
        ("Normal", "Body one."),
        ("Heading 2", "3. Limitation of liability"),
        ("Normal", "Body two."),
        ("Heading 2", "7. Rights"),
        ("Normal", "Body three."),
        ("Heading 2", "8. Publicity"),
        ("Normal", "Body four."),
        ("Heading 2", "2025 price review"),
        ("Heading 2", "9.1 Notices"),
    ]


def test_the_agreements_own_title_takes_no_number_and_the_first_clause_is_1(contract: ContractData) -> None:
    document = _export(
        contract,
        _heading(1, "Master Subscription Agreement"),
        para("These terms govern the subscription set out in the pricing above."),
        clause("payment", 1, _heading(2, "Fees and payment"), para("Body one.")),
        _heading(2, "Service specifics"),  # a heading without a number between clauses
        clause("liability", 1, _heading(2, "Limitation of liability"), para("Body two.")),
    )
    assert [text for style, text in _terms(document) if style == "Heading 2"] == [
        "Master Subscription Agreement",
        "1. Fees and payment",
        "Service specifics",
        "2. Limitation of liability",
    ]


def test_lists_nest_and_each_numbered_list_restarts(contract: ContractData) -> None:
    document = _export(
        contract,
        items("orderedList", [para("one")], [para("two"), para("more of two"), items("bulletList", [para("inner")])]),
        para("between"),
        {**items("orderedList", [para("again")]), "attrs": {"start": 5}},
    )
    assert _terms(document) == [
        ("List Number", "one"),
        ("List Number", "two"),
        ("List Continue", "more of two"),
        ("List Bullet 2", "inner"),
        ("Normal", "between"),
        ("List Number", "again"),
    ]
    numbered = [p for p in document.paragraphs if p.style.name == "List Number" and p.text != ""]
    nums = [p._p.pPr.numPr.numId.val for p in numbered if p._p.pPr.numPr is not None]
    assert nums[0] == nums[1] != nums[2]  # one instance per list
    numbering = document.part.numbering_part.element
    override = f"{qn('w:lvlOverride')}/{qn('w:startOverride')}"
    starts = {n.numId: n.find(override).get(qn("w:val")) for n in numbering.num_lst if n.numId in nums}
    assert (starts[nums[0]], starts[nums[2]]) == ("1", "5")


def test_quotes_code_rules_and_breaks(contract: ContractData) -> None:
    document = _export(
        contract,
        {"type": "blockquote", "content": [para("quoted")]},
        {"type": "codeBlock", "content": [text("a < b")]},
        {"type": "horizontalRule"},
        para("line", {"type": "hardBreak"}, text("next", "strike"), text(" code", "code")),
    )
    styles = _terms(document)
    assert styles[0] == ("Quote", "quoted")
    code = next(p for p in document.paragraphs if p.text == "a < b")
    assert code.runs[0].font.name == "Courier New"
    rule = next(p for p in document.paragraphs if p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None)
    assert rule.text == ""
    broken = next(p for p in document.paragraphs if p.text.startswith("line"))
    assert broken.text == "line\nnext code"
    assert broken.runs[2].font.strike and broken.runs[3].font.name == "Courier New"


def test_a_link_keeps_its_text_but_no_hyperlink_is_written(contract: ContractData) -> None:
    link = {"type": "text", "text": "click", "marks": [{"type": "link", "attrs": {"href": "javascript:alert(1)"}}]}
    data = export_contract(replace(contract, terms=parse_json(doc(para("see ", link)))))
    document = Document(io.BytesIO(data))
    paragraph = next(p for p in document.paragraphs if p.text == "see click")
    assert paragraph.runs[1].underline
    assert b"javascript" not in data
