"""Terms as plain data: ProseMirror JSON, XML markup, and a pycrdt tree read through ProseMirror JSON."""

from __future__ import annotations

import pytest
from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from clauses.document import (
    MAX_DEPTH,
    ClauseBlock,
    CodeBlock,
    Heading,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Run,
    parse_json,
    parse_xml,
)
from clauses.errors import TermsInvalid
from tests.clauses.nodes import clause as clause_node
from tests.clauses.nodes import doc, items, para, text
from workspace.terms import fragment_to_json

TIPTAP_JSON = {
    "type": "doc",
    "content": [
        {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "1. Subscription"}]},
        {
            "type": "clause",
            "attrs": {"clauseId": "lol", "version": 3},
            "content": [
                {"type": "paragraph", "content": [
                    {"type": "text", "text": "Capped at "},
                    {"type": "text", "text": "twelve", "marks": [{"type": "bold"}, {"type": "italic"}]},
                    {"type": "hardBreak"},
                    {"type": "text", "text": "months", "marks": [{"type": "underline"}]},
                ]},
            ],
        },
        {**items("orderedList", [para("first"), items("bulletList", [para("inner")])]), "attrs": {"start": 3}},
        {"type": "blockquote", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "quoted"}]}]},
        {"type": "codeBlock", "content": [{"type": "text", "text": "a < b"}]},
        {"type": "horizontalRule"},
        {"type": "paragraph", "content": [
            {"type": "text", "text": "see", "marks": [{"type": "link", "attrs": {"href": "javascript:alert(1)"}}]}
        ]},
    ],
}  # fmt: skip


def test_tiptap_json_becomes_blocks_with_marks_lists_and_clauses() -> None:
    terms = parse_json(TIPTAP_JSON)
    heading, clause, ordered, quote, code, rule, linked = terms.blocks
    assert heading == Heading(2, (Run("1. Subscription"),))
    assert isinstance(clause, ClauseBlock) and (clause.clause_id, clause.version) == ("lol", 3)
    assert clause.blocks == (
        Paragraph((
            Run("Capped at "), Run("twelve", frozenset({"bold", "italic"})), Run("\n"),
            Run("months", frozenset({"underline"})),
        )),
    )  # fmt: skip
    assert clause.text == "Capped at twelve\nmonths"
    assert isinstance(ordered, ListBlock) and ordered.ordered and ordered.start == 3
    first, nested = ordered.items[0].blocks
    assert first == Paragraph((Run("first"),))
    assert isinstance(nested, ListBlock) and not nested.ordered
    assert quote == Quote((Paragraph((Run("quoted"),)),))
    assert code == CodeBlock("a < b")
    assert rule == Rule()
    assert linked == Paragraph((Run("see", frozenset({"link"}), "javascript:alert(1)"),))
    assert terms.clauses() == [clause]


def test_a_clause_that_opens_with_a_heading_keeps_it_out_of_its_text() -> None:
    heading = {"type": "heading", "attrs": {"level": 3}, "content": [text("Payment")]}
    terms = parse_json(doc(clause_node("x", "2", heading, para("Pay in 30 days."), para("Or else."))))
    clause = terms.clauses()[0]
    assert clause.version == 2
    assert clause.heading is not None and clause.heading.text == "Payment"
    assert clause.text == "Pay in 30 days.\n\nOr else."


@pytest.mark.parametrize("version", [None, "three", 2.5, True, "9" * 40, -0.5])
def test_a_clause_version_that_is_not_a_whole_number_is_none(version: object) -> None:
    terms = parse_json({"type": "doc", "content": [{"type": "clause", "attrs": {"clauseId": "x", "version": version}}]})
    assert terms.clauses()[0].version is None


def test_unknown_nodes_keep_their_text_and_garbage_is_skipped() -> None:
    terms = parse_json({"type": "doc", "content": [
        {"type": "callout", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "kept"}]}]},
        {"type": "text", "text": "stray"},
        para({"type": "mention", "content": [text("@ann")]}, 7, None),  # type: ignore[arg-type]
        "not a node",
        para(text(12), {**text("ok"), "marks": "bold"}),
    ]})  # fmt: skip
    assert [getattr(b, "text", None) for b in terms.blocks] == ["kept", "stray", "@ann", "ok"]


def test_something_that_is_not_a_document_is_refused() -> None:
    with pytest.raises(TermsInvalid):
        parse_json({"type": "paragraph"})
    with pytest.raises(TermsInvalid):
        parse_json([])


def test_absurd_nesting_is_refused_rather_than_exhausting_the_stack() -> None:
    node: dict[str, object] = {"type": "paragraph", "content": [{"type": "text", "text": "deep"}]}
    for _ in range(MAX_DEPTH + 5):
        node = {"type": "blockquote", "content": [node]}
    with pytest.raises(TermsInvalid, match="nested deeper"):
        parse_json({"type": "doc", "content": [node]})
    markup = "<blockquote>" * 5000 + "x" + "</blockquote>" * 5000
    with pytest.raises(TermsInvalid, match="nested deeper"):
        parse_xml(markup)


XML = (
    '<heading level="2">1. Subscription</heading>'
    "<paragraph>text <bold>x&lt;y &amp; z</bold><bold><italic> both</italic></bold>"
    '<link target="_blank" href="https://example.com/?a=1&amp;b=2"> link</link> end</paragraph>'
    '<clause version="3" clauseId="lol"><paragraph>clause <underline>text</underline></paragraph></clause>'
    "<bulletList><listItem><paragraph>item</paragraph></listItem></bulletList>"
    "<paragraph>a<hardBreak></hardBreak>b</paragraph><paragraph></paragraph>"
)


def test_xml_markup_becomes_the_same_blocks_as_json() -> None:
    heading, paragraph, clause, bullets, broken, empty = parse_xml(XML).blocks
    assert heading == Heading(2, (Run("1. Subscription"),))
    assert paragraph == Paragraph((
        Run("text "), Run("x<y & z", frozenset({"bold"})), Run(" both", frozenset({"bold", "italic"})),
        Run(" link", frozenset({"link"}), "https://example.com/?a=1&b=2"), Run(" end"),
    ))  # fmt: skip
    assert clause == ClauseBlock("lol", 3, (Paragraph((Run("clause "), Run("text", frozenset({"underline"})))),))
    assert isinstance(bullets, ListBlock) and bullets.items[0].blocks == (Paragraph((Run("item"),)),)
    assert broken == Paragraph((Run("a"), Run("\n"), Run("b")))
    assert empty == Paragraph()


@pytest.mark.parametrize(
    "markup",
    [
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><paragraph>&b;</paragraph>',
        '<!doctype x SYSTEM "file:///etc/passwd"><paragraph>&x;</paragraph>',
        "<paragraph>&undefined;</paragraph>",
        "<paragraph>unclosed",
        "</dealroom-terms><dealroom-terms>",
    ],
)
def test_dtds_entities_and_broken_markup_are_refused(markup: str) -> None:
    with pytest.raises(TermsInvalid):
        parse_xml(markup)


def _pycrdt_terms(clause_text: str) -> XmlFragment:
    doc = Doc()
    fragment = doc.get("terms", type=XmlFragment)
    fragment.children.append(XmlElement("heading", {"level": 2}, [XmlText("1. Liability")]))
    clause = fragment.children.append(XmlElement("clause", {"clauseId": "lol", "version": 3}))
    paragraph = clause.children.append(XmlElement("paragraph"))
    text = paragraph.children.append(XmlText())
    text.insert(0, clause_text)
    text.insert(len(text), " capped", attrs={"bold": {}, "italic": {}})
    text.insert(len(text), " here", attrs={"link": {"href": "https://x.test/?a=1&b=2"}})
    return fragment


def test_a_pycrdt_tree_read_through_json_keeps_text_marks_and_clause_attributes() -> None:
    fragment = _pycrdt_terms("Liability is")
    terms = parse_json(fragment_to_json(fragment))
    clause = terms.clauses()[0]
    assert (clause.clause_id, clause.version) == ("lol", 3)  # Yjs gives 3.0
    assert clause.blocks == (Paragraph((
        Run("Liability is"), Run(" capped", frozenset({"bold", "italic"})),
        Run(" here", frozenset({"link"}), "https://x.test/?a=1&b=2"),
    )),)  # fmt: skip


def test_pycrdt_string_form_is_not_escaped_so_the_tree_must_be_read_instead() -> None:
    # What pycrdt prints for a Y.XmlFragment: marks as tags, and user text exactly as typed.
    hostile = 'evil</paragraph></clause><paragraph>free text & "more"'
    fragment = _pycrdt_terms(hostile)
    printed = str(fragment)
    assert '<clause version="3" clauseId="lol">' in printed or '<clause clauseId="lol" version="3">' in printed
    assert "<bold><italic> capped</italic></bold>" in printed or "<italic><bold> capped</bold></italic>" in printed
    assert hostile in printed  # not escaped: the printed structure is whatever the user typed
    with pytest.raises(TermsInvalid):
        parse_xml(printed)  # here the `&` breaks it; balanced tags would silently move text out of the clause
    clause = parse_json(fragment_to_json(fragment)).clauses()[0]
    assert clause.text.startswith(hostile)  # the tree keeps the user's text inside the clause, as text
