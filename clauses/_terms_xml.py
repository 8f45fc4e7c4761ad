"""XML markup of a terms tree → the ProseMirror JSON shape `clauses.document` reads.

Marks appear as wrapping elements (`<bold>x</bold>`), as pycrdt renders y-prosemirror's formatting
attributes. The parser is expat behind xml.etree, with any DTD refused up front: no entity can expand
(billion laughs) and no external resource is fetched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from clauses.errors import TermsInvalid

# Blocks and marks both nest here; the JSON reader applies its own, tighter limit to blocks.
_MAX_DEPTH = 128

_BLOCKS = frozenset(
    {"paragraph", "heading", "clause", "bulletList", "orderedList", "listItem", "blockquote", "codeBlock"}
)
_LEAVES = frozenset({"hardBreak", "horizontalRule"})
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST)", re.IGNORECASE)
_ROOT = "dealroom-terms"

Node = dict[str, object]


def xml_to_json(markup: str) -> Node:
    """The document node for `markup`, a sequence of top-level elements; raise `TermsInvalid` on a DTD or
    markup that is not well-formed."""
    if _DTD.search(markup):
        raise TermsInvalid(["xml: a DOCTYPE or entity declaration is not allowed"])
    try:
        root = ET.fromstring(f"<{_ROOT}>{markup}</{_ROOT}>")
    except ET.ParseError as error:
        raise TermsInvalid([f"xml: not well-formed ({error})"]) from None
    return {"type": "doc", "content": _mixed(root, [], 0)}


def _mixed(element: ET.Element, marks: list[Node], depth: int) -> list[Node]:
    """The nodes for an element's text, children and their tails, in document order."""
    if depth > _MAX_DEPTH:
        raise TermsInvalid([f"xml: nested deeper than {_MAX_DEPTH} levels"])
    nodes: list[Node] = []
    if element.text:
        nodes.append(_text(element.text, marks))
    for child in element:
        nodes.extend(_element(child, marks, depth + 1))
        if child.tail:
            nodes.append(_text(child.tail, marks))
    return nodes


def _element(element: ET.Element, marks: list[Node], depth: int) -> list[Node]:
    tag = element.tag
    if tag in _LEAVES:
        return [{"type": tag}]
    if tag in _BLOCKS:
        # Marks do not cross block boundaries; a block starts with none.
        return [{"type": tag, "attrs": dict(element.attrib), "content": _mixed(element, [], depth)}]
    # Anything else wraps text: a mark (y-prosemirror names overlapping ones "name--hash").
    mark: Node = {"type": tag.split("--", 1)[0]}
    if element.attrib:
        mark["attrs"] = dict(element.attrib)
    return _mixed(element, [*marks, mark], depth)


def _text(text: str, marks: list[Node]) -> Node:
    return {"type": "text", "text": text, "marks": list(marks)} if marks else {"type": "text", "text": text}
