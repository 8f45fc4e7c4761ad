"""Which library clauses the terms hold, pinned to which versions: customers edit their words, never those."""

from __future__ import annotations

from collections import Counter
from typing import Any

from pycrdt import Doc, XmlElement, XmlFragment

from workspace.errors import PermissionDenied

# Blocks that hold text and inline nodes only (`terms_schema`): no clause block can be inside one, so the
# walk does not read their children, which are most of the document's nodes.
_TEXTBLOCKS = frozenset({"paragraph", "heading", "codeBlock"})


def clause_pins(doc: Doc) -> Counter[tuple[str, str]]:
    """The (clause id, version) of every clause block in the terms, counted."""
    pins: Counter[tuple[str, str]] = Counter()
    stack: list[Any] = list(doc.get("terms", type=XmlFragment).children)
    while stack:  # iterative: a crafted, deeply nested document must not exhaust the stack
        node = stack.pop()
        if isinstance(node, XmlElement):
            tag = node.tag
            if tag == "clause":
                pins[(str(node.attributes.get("clauseId")), str(node.attributes.get("version")))] += 1
            if tag not in _TEXTBLOCKS:
                stack.extend(node.children)
    return pins


def check_customer_pins(before: Counter[tuple[str, str]], after: Counter[tuple[str, str]]) -> None:
    """Customers edit the words of clauses, never which library clauses the terms hold or their versions: a
    block re-pinned to another (say, a retired) version would compare against text nobody approved here."""
    added = after - before
    if added:
        clause_id, version = sorted(added)[0]
        raise PermissionDenied(f"customers may not insert or re-pin library clauses ({clause_id} v{version})")
    # Dropping a clause (the liability cap, say) is the biggest deviation of all, and no word diff shows it.
    removed = before - after
    if removed:
        clause_id, version = sorted(removed)[0]
        raise PermissionDenied(f"customers may not remove library clauses ({clause_id} v{version}); ask the rep")
