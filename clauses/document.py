"""The terms as plain data: blocks and runs read from a TipTap/ProseMirror document.

Two input forms: the JSON TipTap's `getJSON()` gives, and XML markup of the same tree. Text stays text
throughout: nothing here interprets what a user typed, and unknown nodes keep their text rather than
lose it (a contract must not silently drop words).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from clauses._terms_xml import xml_to_json
from clauses.errors import TermsInvalid

MARKS = frozenset({"bold", "italic", "underline", "strike", "code", "link"})
_VARIABLE_NAME = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+")
MAX_DEPTH = 64  # nesting a person can produce is a handful of levels; deeper is a crafted document


@dataclass(frozen=True, slots=True)
class Run:
    """Text with the marks kept from the editor; a hard break is a run whose text is "\\n"."""

    text: str
    marks: frozenset[str] = frozenset()
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of runs."""

    runs: tuple[Run, ...] = ()

    @property
    def text(self) -> str:
        """The paragraph's text, hard breaks as newlines."""
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of level 1..6."""

    level: int
    runs: tuple[Run, ...] = ()

    @property
    def text(self) -> str:
        """The heading's text."""
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """Preformatted text."""

    text: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal rule."""


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list: paragraphs and nested lists."""

    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bullet list, or a numbered list starting at `start`."""

    ordered: bool
    items: tuple[ListItem, ...] = ()
    start: int = 1


@dataclass(frozen=True, slots=True)
class Quote:
    """A block quote."""

    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class ClauseBlock:
    """A clause from the library as placed in the terms; `version` is the pinned library version (None when
    the node carries no usable number). A leading heading is the clause's title, not part of its text."""

    clause_id: str
    version: int | None
    blocks: tuple[Block, ...] = ()

    @property
    def heading(self) -> Heading | None:
        """The clause's own heading, when its first block is one."""
        first = self.blocks[0] if self.blocks else None
        return first if isinstance(first, Heading) else None

    @property
    def body(self) -> tuple[Block, ...]:
        """The blocks compared with the library text (all but a leading heading)."""
        return self.blocks[1:] if self.heading is not None else self.blocks

    @property
    def text(self) -> str:
        """The body's text, one paragraph per line pair."""
        return "\n\n".join(leaf_texts(self.body))


Block = Paragraph | Heading | CodeBlock | Rule | ListBlock | Quote | ClauseBlock


@dataclass(frozen=True, slots=True)
class Terms:
    """The contract text: blocks in document order."""

    blocks: tuple[Block, ...] = field(default=())

    def clauses(self) -> list[ClauseBlock]:
        """Every clause block, in document order (nested ones included)."""
        return [b for b in walk(self.blocks) if isinstance(b, ClauseBlock)]


def walk(blocks: Sequence[Block]) -> Iterator[Block]:
    """Every block, depth first, containers before their contents."""
    for block in blocks:
        yield block
        if isinstance(block, ClauseBlock | Quote):
            yield from walk(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from walk(item.blocks)


def leaf_texts(blocks: Sequence[Block]) -> list[str]:
    """The text of each paragraph-like block (paragraphs, headings, code, list item paragraphs)."""
    return [b.text for b in walk(blocks) if isinstance(b, Paragraph | Heading | CodeBlock)]


def parse_json(doc: object) -> Terms:
    """Terms from ProseMirror JSON (`{"type": "doc", "content": [...]}`). Raise `TermsInvalid` only when
    it is not a document at all or nests deeper than MAX_DEPTH; unknown nodes keep their text."""
    if not isinstance(doc, Mapping) or doc.get("type") != "doc":
        raise TermsInvalid(["type: expected a ProseMirror document ({'type': 'doc', ...})"])
    return Terms(_blocks(_content(doc), 1))


def parse_xml(markup: str) -> Terms:
    """Terms from XML of the same tree (`<heading level="2">…</heading><clause clauseId="x" version="3">…`).

    Only for well-formed XML with escaped text. pycrdt's `str(XmlFragment)` does NOT escape text or
    attributes, so a user who types `</paragraph></clause>` changes the structure that string shows;
    read a live room's terms from the Y tree (element tags, attributes, `XmlText.diff()`) instead."""
    return parse_json(xml_to_json(markup))


def _content(node: Mapping[object, object]) -> list[Mapping[object, object]]:
    content = node.get("content")
    return [c for c in content if isinstance(c, Mapping)] if isinstance(content, list) else []


def _attrs(node: Mapping[object, object]) -> Mapping[object, object]:
    attrs = node.get("attrs")
    return attrs if isinstance(attrs, Mapping) else {}


def _blocks(nodes: Sequence[Mapping[object, object]], depth: int) -> tuple[Block, ...]:
    if depth > MAX_DEPTH:
        raise TermsInvalid([f"content: nested deeper than {MAX_DEPTH} levels"])
    blocks: list[Block] = []
    inline: list[Run] = []  # stray inline nodes at block level become a paragraph, not lost text
    for node in nodes:
        kind = node.get("type")
        if kind in ("text", "hardBreak"):
            inline.extend(_runs([node], depth))
            continue
        if inline:
            blocks.append(Paragraph(tuple(inline)))
            inline = []
        blocks.extend(_block(node, kind, depth))
    if inline:
        blocks.append(Paragraph(tuple(inline)))
    return tuple(blocks)


def _block(node: Mapping[object, object], kind: object, depth: int) -> list[Block]:
    attrs = _attrs(node)
    children = _content(node)
    if kind == "paragraph":
        return [Paragraph(_runs(children, depth))]
    if kind == "heading":
        return [Heading(min(max(_integer(attrs.get("level")) or 1, 1), 6), _runs(children, depth))]
    if kind in ("bulletList", "orderedList"):
        items = [ListItem(_blocks(_content(c) if c.get("type") == "listItem" else [c], depth + 1)) for c in children]
        start = _integer(attrs.get("start"))
        return [ListBlock(kind == "orderedList", tuple(items), start if start is not None and start >= 0 else 1)]
    if kind == "blockquote":
        return [Quote(_blocks(children, depth + 1))]
    if kind == "codeBlock":
        return [CodeBlock("".join(r.text for r in _runs(children, depth)))]
    if kind == "horizontalRule":
        return [Rule()]
    if kind == "clause":
        clause_id = attrs.get("clauseId")
        return [
            ClauseBlock(
                clause_id if isinstance(clause_id, str) else "",
                _integer(attrs.get("version")),
                _blocks(children, depth + 1),
            )
        ]
    # listItem outside a list, or a node type this reader does not know: keep what it holds.
    return list(_blocks(children, depth + 1))


def _runs(
    nodes: Sequence[Mapping[object, object]], depth: int, inherited: frozenset[str] = frozenset()
) -> tuple[Run, ...]:
    if depth > MAX_DEPTH:
        raise TermsInvalid([f"content: nested deeper than {MAX_DEPTH} levels"])
    runs: list[Run] = []
    for node in nodes:
        kind = node.get("type")
        if kind == "hardBreak":
            runs.append(Run("\n", inherited))
        elif kind == "variable":
            # The editor's variable chip: read back as the placeholder it stands for, so that deviation
            # checks substitute it like library text and export fills in the current value.
            # Only a well-formed name becomes a placeholder: a crafted name ("x}} free text {{y") must not
            # smuggle text past the check and into the contract while the editor shows a chip.
            name = _attrs(node).get("name")
            valid = isinstance(name, str) and _VARIABLE_NAME.fullmatch(name) is not None
            runs.append(Run("{{" + str(name) + "}}" if valid else "[invalid variable]", inherited))
        elif kind == "text":
            text = node.get("text")
            if isinstance(text, str) and text:
                marks, href = _marks(node.get("marks"))
                runs.append(Run(text, marks | inherited, href))
        else:
            # An inline node this reader does not know (a mention, an emoji...): keep its text.
            runs.extend(_runs(_content(node), depth + 1, inherited))
    return tuple(runs)


def _marks(raw: object) -> tuple[frozenset[str], str | None]:
    names: set[str] = set()
    href: str | None = None
    for mark in raw if isinstance(raw, list) else []:
        if not isinstance(mark, Mapping) or not isinstance(mark.get("type"), str):
            continue
        name = mark["type"]
        if name in MARKS:
            names.add(name)
        if name == "link":
            target = _attrs(mark).get("href")
            href = target if isinstance(target, str) else None
    return frozenset(names), href


def _integer(value: object) -> int | None:
    """An attribute as an integer: Yjs numbers arrive as floats, XML attributes as strings."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) < 10:
        return int(value.strip())
    return None
