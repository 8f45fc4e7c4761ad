"""Reading a pycrdt XmlFragment (as y-prosemirror writes it) into ProseMirror JSON for `parse_json`.

This is the reference for the workspace (which owns pycrdt): walk the tree, never `str(fragment)`, whose
text is not escaped. Marks are XmlText formatting attributes; y-prosemirror names a mark that may
overlap itself "name--hash".
"""

from __future__ import annotations

from pycrdt import XmlElement, XmlFragment, XmlText


def fragment_to_json(fragment: XmlFragment) -> dict[str, object]:
    """The fragment as a ProseMirror `doc` node."""
    return {"type": "doc", "content": _children(fragment.children)}


def _children(children: object) -> list[dict[str, object]]:
    nodes: list[dict[str, object]] = []
    for child in children:  # type: ignore[attr-defined]
        if isinstance(child, XmlText):
            for text, attrs in child.diff():
                if not isinstance(text, str):
                    continue  # an embed: y-prosemirror writes none
                marks = [
                    {"type": name.split("--", 1)[0], "attrs": value if isinstance(value, dict) else {}}
                    for name, value in (attrs or {}).items()
                ]
                nodes.append({"type": "text", "text": text, "marks": marks})
        elif isinstance(child, XmlElement):
            nodes.append({"type": child.tag, "attrs": dict(child.attributes), "content": _children(child.children)})
    return nodes
