"""Hostile Yjs updates of every shape.

Shared by the guard's property test (tests/workspace/sync/test_guard_shapes.py) and the live fuzzer
(tests/security/test_ws_fuzz_live.py); what a room may hold after one is taken is `room_checks`. A generated
change is plain data (a `Hostile`: how the client declares its roots, and the operations it makes), built into an
update against whatever the room holds at the time, so that a failing example prints as something a person can
read and replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st
from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText

from workspace.sync.documents import DocName


@dataclass(frozen=True)
class Big:
    """A long string (`prefix` then `length` x's), printed as its length."""

    length: int
    prefix: str = ""

    def __repr__(self) -> str:
        return f"{self.prefix!r} + 'x' * {self.length}" if self.prefix else f"'x' * {self.length}"


@dataclass
class MapOf:
    entries: dict[str, Any]


@dataclass
class ArrayOf:
    items: list[Any]


@dataclass
class TextOf:
    text: Any  # str or Big


@dataclass
class FragmentOf:
    node: Any  # Element or XText


@dataclass
class Element:
    tag: str
    attributes: dict[str, Any] = field(default_factory=dict)
    children: list[Any] = field(default_factory=list)


@dataclass
class XText:
    text: Any  # str or Big


@dataclass
class SubDoc:
    pass


def plain(value: Any) -> Any:
    """A plain value as pycrdt takes it (`Big` spelled out)."""
    if isinstance(value, Big):
        return value.prefix + "x" * value.length
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def built(value: Any) -> Any:
    """The pycrdt value (a new, unintegrated shared type where it is one) a description stands for."""
    if isinstance(value, MapOf):
        return Map({key: built(item) for key, item in value.entries.items()})
    if isinstance(value, ArrayOf):
        return Array([built(item) for item in value.items])
    if isinstance(value, TextOf):
        return Text(plain(value.text))
    if isinstance(value, FragmentOf):
        return XmlFragment([built(value.node)])
    if isinstance(value, Element):
        attributes = {key: plain(item) for key, item in value.attributes.items()}
        return XmlElement(value.tag, attributes, [built(child) for child in value.children])
    if isinstance(value, XText):
        return XmlText(plain(value.text))
    if isinstance(value, SubDoc):
        return Doc()
    return plain(value)


# --- operations: one change to a root as the client declares it ------------------------------------------


@dataclass
class SetKey:
    """root[key] = value, on a root declared as a map."""

    root: str
    key: str
    value: Any

    def apply(self, doc: Doc) -> None:
        doc.get(self.root, type=Map)[self.key] = built(self.value)


@dataclass
class InList:
    """On a root declared as a list: set `key` on its map at `line` when there is one and `into_line`, else
    append `value`."""

    root: str
    value: Any
    line: int
    key: str
    nested: Any
    into_line: bool

    def apply(self, doc: Doc) -> None:
        array = doc.get(self.root, type=Array)
        if self.root == "lines" and self.into_line and len(array):
            target = array[self.line % len(array)]
            if isinstance(target, Map):
                target[self.key] = plain(self.nested)
                return
        array.append(built(self.value))


@dataclass
class InText:
    """On a root declared as text: insert, then format the first character."""

    root: str
    text: str
    start: int
    mark: str
    value: Any

    def apply(self, doc: Doc) -> None:
        shared = doc.get(self.root, type=Text)
        shared.insert(min(self.start, len(shared)), self.text or "t")
        shared.format(0, 1, {self.mark: self.value})


@dataclass
class InFragment:
    """On a root declared as an XML fragment: add a node to it or to its last element, set an attribute on that
    element, or format the start of its first text."""

    root: str
    where: str  # root, paragraph, attribute, text
    node: Any
    mark: str
    mark_value: Any
    key: str
    attribute: Any

    def apply(self, doc: Doc) -> None:
        fragment = doc.get(self.root, type=XmlFragment)
        elements = [c for c in fragment.children if isinstance(c, XmlElement)]
        if self.where == "root" or not elements:
            fragment.children.append(built(self.node))
        elif self.where == "paragraph":
            elements[-1].children.append(built(self.node))
        elif self.where == "attribute":
            elements[-1].attributes[self.key] = plain(self.attribute)
        else:
            texts = [c for c in elements[-1].children if isinstance(c, XmlText) and len(c)]
            if texts:
                texts[0].format(0, 1, {self.mark: self.mark_value})


@dataclass
class Remove:
    """Delete what the root holds at `index` (a key of a map, an item of a list or fragment)."""

    root: str
    kind: str
    index: int

    def apply(self, doc: Doc) -> None:
        if self.kind == "Map":
            shared_map = doc.get(self.root, type=Map)
            keys = sorted(shared_map.keys())
            if keys:
                del shared_map[keys[self.index % len(keys)]]
        elif self.kind == "Array":
            array = doc.get(self.root, type=Array)
            if len(array):
                del array[self.index % len(array)]
        else:
            children = doc.get(self.root, type=XmlFragment).children
            if len(children):
                del children[self.index % len(children)]


Operation = SetKey | InList | InText | InFragment | Remove
KIND_TYPES: dict[str, type] = {"Map": Map, "Array": Array, "Text": Text, "XmlFragment": XmlFragment}


@dataclass
class Hostile:
    """A client that declares its roots as `declared` says and makes `operations` on the room it got."""

    declared: dict[str, str]
    operations: list[Operation]

    def build(self, base: bytes) -> bytes:
        """The update this client sends after receiving `base` (the room's document, encoded)."""
        client: Doc = Doc()
        for root, kind in self.declared.items():
            client.get(root, type=KIND_TYPES[kind])
        client.apply_update(base)
        state = client.get_state()
        for operation in self.operations:
            operation.apply(client)
        try:
            return client.get_update(state)
        except BaseException as exc:  # pyo3 raises a Rust panic as a BaseException
            if type(exc).__name__ != "PanicException":
                raise
            # Seen twice in full runs, never alone: yrs panics ("attempt to divide by zero") encoding what
            # these operations made of the client's own document, even as a whole. No client can send
            # that update, so there is nothing to attack with: hypothesis discards the example.
            reject()


# --- strategies ---------------------------------------------------------------------------------------------

KINDS = ["Map", "Array", "Text", "XmlFragment"]
RIGHT: dict[DocName, dict[str, str]] = {
    DocName.SHARED: {"terms": "XmlFragment", "deal": "Map", "lines": "Array", "computed": "Map", "comments": "Map"},
    DocName.INTERNAL: {"notes": "XmlFragment", "computed": "Map", "comments": "Map"},
}
# The roots a client writes to, often the writable ones; `computed` (server only) and unknown roots less often.
ROOTS: dict[DocName, list[str]] = {
    DocName.SHARED: ["terms", "deal", "lines", "comments"] * 3 + ["computed", "prices"],
    DocName.INTERNAL: ["notes"] * 4 + ["computed", "comments", "terms", "prices"],
}
TAGS = ["paragraph"] * 4 + ["heading", "clause", "variable", "bulletList", "listItem", "codeBlock", "hardBreak",
                            "blockquote", "iframe", "img", "script", "a"]  # fmt: skip
MARK_NAMES = ["bold", "italic", "code", "link", "highlight", "font--12345678", "onclick"]
KEYS = ["title", "startDate", "currency", "qty", "discountPct", "note", "sku", "locked", "level", "name", "clauseId",
        "version", "onclick", "href", "c", "", "k" * 300]  # fmt: skip
HUGE = st.sampled_from([0, 5, 1_500, 12_000, 1_100_000]).map(Big)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**53), 2**53), st.floats(allow_nan=True),
                    st.text(max_size=12), HUGE, st.binary(max_size=8))  # fmt: skip
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS[:8]),
                                                                                           inner, max_size=3),
                      max_leaves=8)  # fmt: skip


def _long_text(draw: st.DrawFn) -> Any:
    short, big = draw(st.text(max_size=8)), draw(HUGE)
    return Big(big.length, short) if big.length else short


@st.composite
def shared_value(draw: st.DrawFn, depth: int = 0) -> Any:
    """A value a client may put in a map or list: plain data, or a nested shared type (with content)."""
    choice = draw(st.sampled_from(["plain"] * 4 + ["map", "array", "text", "xml", "doc"] if depth < 3 else ["plain"]))
    if choice == "map":
        count = draw(st.integers(0, 2))
        return MapOf({draw(st.sampled_from(KEYS)): draw(shared_value(depth + 1)) for _ in range(count)})
    if choice == "array":
        return ArrayOf([draw(shared_value(depth + 1)) for _ in range(draw(st.integers(0, 2)))])
    if choice == "text":
        return TextOf(_long_text(draw))
    if choice == "xml":
        return FragmentOf(draw(xml_node(depth + 1)))
    if choice == "doc":
        return SubDoc()
    return draw(VALUES)


@st.composite
def xml_node(draw: st.DrawFn, depth: int = 0) -> Element | XText:
    if depth > 3 or draw(st.booleans()):
        return XText(_long_text(draw))
    attributes = {draw(st.sampled_from(KEYS)): draw(SCALARS) for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2])))}
    children = [draw(xml_node(depth + 1)) for _ in range(draw(st.integers(0, 2)))]
    return Element(draw(st.sampled_from(TAGS)), attributes, children)


@st.composite
def operation(draw: st.DrawFn, declared: dict[str, str]) -> Operation:
    """One change to a root as this client declares it (right or wrong), or to something nested in it."""
    root = draw(st.sampled_from(sorted(declared)))
    kind = declared[root]
    if kind != "Text" and draw(st.integers(0, 9)) == 0:  # (pycrdt panics deleting from a map or list read as text)
        return Remove(root, kind, draw(st.integers(0, 5)))
    if kind == "Map":
        return SetKey(root, draw(st.sampled_from(KEYS)), draw(shared_value()))
    if kind == "Array":
        return InList(root, draw(shared_value()), draw(st.integers(0, 2)), draw(st.sampled_from(KEYS)), draw(VALUES),
                      draw(st.booleans()))  # fmt: skip
    if kind == "Text":
        return InText(root, draw(st.text(max_size=8)), draw(st.integers(0, 3)), draw(st.sampled_from(MARK_NAMES)),
                      draw(st.sampled_from([{}, True, None, {"href": "x"}, 7])))  # fmt: skip
    return InFragment(root, draw(st.sampled_from(["root", "paragraph", "text", "attribute"])), draw(xml_node()),
                      draw(st.sampled_from(MARK_NAMES)), draw(st.sampled_from([{}, True, None, {"href": "x"}])),
                      draw(st.sampled_from(KEYS)), draw(SCALARS))  # fmt: skip


@st.composite
def hostile_change(draw: st.DrawFn, name: DocName = DocName.SHARED) -> Hostile:
    """One to three operations on one to three roots of a document, each root declared as some type: the right one
    most of the time, so that enough updates get past the shape to test what lies beyond it."""
    roots = draw(st.sets(st.sampled_from(ROOTS[name]), min_size=1, max_size=3))
    right = RIGHT[name]
    declared = {root: draw(st.sampled_from([right.get(root, "Map")] * 4 + KINDS)) for root in sorted(roots)}
    return Hostile(declared, [draw(operation(declared)) for _ in range(draw(st.integers(1, 3)))])
