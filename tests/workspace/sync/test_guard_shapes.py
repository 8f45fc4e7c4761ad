"""The write guard, called directly, against updates no editor makes (issue 11, items 2, 4 and 6).

A client may declare any root as any type and send whatever pycrdt, or a message made by hand, lets it: an
item in the `deal` map without a key, entries with keys in the `lines` list, text straight into the terms,
a link, an iframe, a forged thread. Each is refused with the reason and the close code a person can
act on, the guard's copy of the room stays as it was, and an honest edit right after is taken. A property
test then throws generated updates of every shape at the guard: each is refused, or stays within what
the sender's role may write and what each root may hold.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText, write_var_uint

from clauses.samples_library import sample_library
from tests.support.hostile_updates import Hostile, hostile_change
from tests.support.marks import add_mark
from tests.support.room_checks import holds_only_its_schema, nothing_hidden, view, within_the_role
from workspace.clause_library.blocks import clause_element
from workspace.errors import DealroomError, InvalidInput, PermissionDenied, TooLarge
from workspace.rooms.models import RoomRole
from workspace.sync.documents import DocName, doc_from_updates, new_doc
from workspace.sync.guard import THREADS_BY_API, Guard, WriteContext
from workspace.sync.structs import Content, TypeRef, decode_update
from workspace.sync.wire import read_state_vector

CUSTOMER, REP, LEGAL, VIEWER = RoomRole.CUSTOMER, RoomRole.REP, RoomRole.LEGAL, RoomRole.VIEWER
Change = Callable[[Doc], object]


@functools.cache
def base_update() -> bytes:
    """A room at rest: a deal, one unlocked line, terms with a heading, a library clause and free text."""
    doc = new_doc(DocName.SHARED)
    with doc.transaction():
        doc.get("deal", type=Map).update({"title": "Renewal", "currency": "EUR", "customerName": "Acme"})
        line = {"id": "a", "sku": "X", "qty": 1, "discountPct": 0, "locked": False, "note": ""}
        doc.get("lines", type=Array).append(Map(line))
        terms = doc.get("terms", type=XmlFragment)
        terms.children.append(XmlElement("heading", {"level": 1}, [XmlText("Terms")]))
        payment = sample_library().get("payment")
        assert payment is not None and payment.latest_published is not None
        terms.children.append(clause_element(payment, payment.latest_published))
        terms.children.append(XmlElement("paragraph", {}, [XmlText("Free text.")]))
    return doc.get_update()


class Room:
    """A room's document as the guard knows it: the base and every change the guard accepted since."""

    def __init__(self, max_bytes: int = 16 * 1024 * 1024, base: bytes | None = None) -> None:
        self.updates = [base if base is not None else base_update()]
        self.guard = Guard(DocName.SHARED, lambda: list(self.updates), max_bytes)

    def check(self, update: bytes, role: RoomRole = REP, **rights: Any) -> bytes | None:
        delta = self.guard.check(update, context(role, **rights))
        if delta is not None:
            self.updates.append(delta)
        return delta

    @property
    def now(self) -> bytes:
        return doc_from_updates(DocName.SHARED, self.updates).get_update()


def update_of(change: Change, declare: dict[str, type] | None = None, base: bytes | None = None) -> bytes:
    """What a client sends after `change`: a replica of the room that declares its roots as `declare` says."""
    client = Doc()
    for root, kind in (declare or {}).items():
        client.get(root, type=kind)
    client.apply_update(base if base is not None else base_update())
    state = client.get_state()
    change(client)
    return client.get_update(state)


def context(role: RoomRole = REP, **rights: Any) -> WriteContext:
    return WriteContext(role=role, **rights)


def refused(room: Room, update: bytes, role: RoomRole = REP, **rights: Any) -> DealroomError:
    before = view(room.guard.twin), read_state_vector(room.guard.twin.get_state())
    with pytest.raises(DealroomError) as caught:
        room.check(update, role, **rights)
    after = view(room.guard.twin), read_state_vector(room.guard.twin.get_state())
    assert after == before, "the refusal changed the twin"
    return caught.value


def honest_edit_still_taken(room: Room) -> None:
    assert room.check(update_of(lambda doc: add_mark(doc, "an honest edit"), base=room.now), CUSTOMER) is not None


def paragraph(doc: Doc, index: int = 2) -> XmlElement:
    element = list(doc.get("terms", type=XmlFragment).children)[index]
    assert isinstance(element, XmlElement)
    return element


def text_of(doc: Doc, index: int = 2) -> XmlText:
    part = next(iter(paragraph(doc, index).children))
    assert isinstance(part, XmlText)
    return part


# --- item 2: the shape of every update matches the declared type and key of its target -------------------

TYPE_CONFUSED: list[tuple[str, RoomRole, dict[str, type], Change, str]] = [
    ("deal taken for a list, by a customer the rep opened a field to", CUSTOMER, {"deal": Array},
     lambda d: d.get("deal", type=Array).append(["free", "text"]),
     "'deal' is a map, and this update puts an item in it without a key"),
    ("deal taken for text", REP, {"deal": Text}, lambda d: d.get("deal", type=Text).insert(0, "hello"),
     "'deal' is a map, and this update puts an item in it without a key"),
    ("lines taken for a map", REP, {"lines": Map}, lambda d: d.get("lines", type=Map).__setitem__("k", 1),
     "'lines' is a list, and this update puts an entry in it under the key 'k'"),
    ("terms taken for text", CUSTOMER, {"terms": Text}, lambda d: d.get("terms", type=Text).insert(0, "raw"),
     "'terms' is an XML fragment, and this update puts text in it"),
    ("terms taken for a list", CUSTOMER, {"terms": Array}, lambda d: d.get("terms", type=Array).append(5),
     "'terms' is an XML fragment, and this update puts a value in it"),
    ("terms taken for a map", CUSTOMER, {"terms": Map}, lambda d: d.get("terms", type=Map).__setitem__("k", "v"),
     "'terms' is an XML fragment, and this update puts an entry in it under the key 'k'"),
    ("a sub-document in the deal", REP, {}, lambda d: d.get("deal", type=Map).__setitem__("d", Doc()),
     "sub-documents are not part of a room"),
]  # fmt: skip


@pytest.mark.parametrize(("role", "declare", "change", "reason"), [case[1:] for case in TYPE_CONFUSED],
                         ids=[case[0] for case in TYPE_CONFUSED])  # fmt: skip
def test_an_update_made_for_another_type_of_a_root_is_refused(
    role: RoomRole, declare: dict[str, type], change: Change, reason: str
) -> None:
    room = Room()
    error = refused(room, update_of(change, declare), role, customer_deal_fields=frozenset({"startDate"}))
    assert (type(error), error.close_code, error.detail) == (InvalidInput, 4400, reason)
    honest_edit_still_taken(room)


def test_invisible_writes_to_a_root_the_role_may_not_write_are_refused_as_such() -> None:
    """Before, an item nobody's map could show passed the guard for any role, viewers included."""
    computed = update_of(lambda d: d.get("computed", type=Array).append("0.00"), {"computed": Array})
    error = refused(Room(), computed, CUSTOMER)
    assert (error.close_code, error.detail) == (4403, "a customer may not write 'computed' in the shared document")
    comments = update_of(lambda d: d.get("comments", type=Array).append("x"), {"comments": Array})
    assert refused(Room(), comments, VIEWER).detail == "read-only members cannot edit this room"


def _raw_item(client: int, parent: str | tuple[int, int], key: str | None, value: str) -> bytes:
    """One item with an explicit parent, written by hand: no pycrdt type makes these."""
    out = bytearray()

    def uint(number: int) -> None:
        out.extend(write_var_uint(number))

    def string(text: str) -> None:
        data = text.encode()
        uint(len(data))
        out.extend(data)

    for number in (1, 1, client, 0):  # one client, one struct, at clock 0
        uint(number)
    out.append(Content.ANY | (0x20 if key is not None else 0))  # no neighbours: the parent is named
    if isinstance(parent, str):
        uint(1)
        string(parent)
    else:
        for number in (0, *parent):
            uint(number)
    if key is not None:
        string(key)
    uint(1)  # one value: a string
    out.append(119)
    string(value)
    uint(0)  # no deletions
    return bytes(out)


def _type_id(kind: TypeRef, tag: str | None = None) -> tuple[int, int]:
    """The id of the first shared type of `kind` (and tag) in the base document."""
    for struct in decode_update(base_update()):
        if struct.content is Content.TYPE and struct.type_ref == kind and struct.tag == tag:
            return (struct.client, struct.clock)
    raise AssertionError(kind)


def test_hand_made_items_of_the_wrong_shape_in_nested_types_are_refused() -> None:
    line = _type_id(TypeRef.MAP)
    keyless = refused(Room(), _raw_item(7, line, None, "x"), CUSTOMER, customer_may_edit_pricing=True)
    assert keyless.detail == "a line of 'lines' is a map, and this update puts an item in it without a key"
    text = _type_id(TypeRef.XML_TEXT)
    attribute = refused(Room(), _raw_item(7, text, "onclick", "x"), CUSTOMER)
    assert attribute.detail == "XML text in 'terms' is text, and this update gives it an attribute 'onclick'"
    string = next(s for s in decode_update(base_update()) if s.content is Content.STRING)
    not_a_type = refused(Room(), _raw_item(7, (string.client, string.clock), "k", "x"), CUSTOMER)
    assert not_a_type.close_code == 4400 and not_a_type.detail.startswith("malformed update: ")  # yrs refuses it
    unknown_root = refused(Room(), _raw_item(7, "prices", None, "x"), REP)
    assert unknown_root.detail == "unknown section 'prices' in the shared document"


def test_a_customer_with_pricing_rights_still_writes_only_a_lines_own_fields() -> None:
    sku = refused(Room(), _raw_item(7, _type_id(TypeRef.MAP), "sku", "Y"), CUSTOMER, customer_may_edit_pricing=True)
    assert (sku.close_code, sku.detail) == (4403, "customers may not change sku on a line")


# --- item 6: the terms hold what the editor makes --------------------------------------------------------


def _append(element: XmlElement | XmlText) -> Change:
    return lambda d: d.get("terms", type=XmlFragment).children.append(element)


def _nested(depth: int) -> XmlElement:
    inner = XmlElement("paragraph", {}, [XmlText("deep")])
    for _ in range(depth):
        inner = XmlElement("blockquote", {}, [inner])
    return inner


NOT_FROM_THE_EDITOR: list[tuple[str, Change, str]] = [
    ("a link mark", lambda d: text_of(d).format(0, 4, {"link": {"href": "https://evil.example"}}),
     "links are not part of the terms; write the address as text"),
    ("a raw string in the fragment", _append(XmlText("the Vendor's liability is unlimited")),
     "text directly in 'terms'; text goes in a paragraph or heading"),
    ("an iframe", _append(XmlElement("iframe", {"src": "https://evil.example"})),
     "'iframe' is not a node the editor makes (in 'terms')"),
    ("an image in a paragraph", lambda d: paragraph(d).children.append(XmlElement("img", {"src": "x.png"})),
     "'img' is not a node the editor makes (in 'terms')"),
    ("a script", _append(XmlElement("script", {}, [XmlText("alert(1)")])),
     "'script' is not a node the editor makes (in 'terms')"),
    ("an unknown attribute", lambda d: paragraph(d).attributes.__setitem__("onclick", "alert(1)"),
     "a paragraph has no attribute 'onclick'"),
    ("an unknown mark", lambda d: text_of(d).format(0, 4, {"highlight": {}}),
     "'highlight' is not a mark the editor makes (bold, code, italic, strike, underline)"),
    ("a mark in a code block", lambda d: (_append(XmlElement("codeBlock", {}, [XmlText("x = 1")]))(d),
                                          text_of(d, 3).format(0, 1, {"bold": {}})),
     "text in a code block has no marks"),
    ("an embed in the text", lambda d: text_of(d).insert_embed(1, {"img": "x.png"}),
     "an embed in the text of 'terms'; the editor writes text and marks only"),
    ("a variable that is not a name", lambda d: paragraph(d).children.append(
        XmlElement("variable", {"name": "x}} unlimited liability {{y"})),
     "'x}} unlimited liability {{y' is not a name of a variable"),
    ("a heading of level 9", _append(XmlElement("heading", {"level": 9}, [XmlText("x")])),
     "9 is not a level of a heading"),
    ("a list item outside a list", _append(XmlElement("listItem", {}, [XmlElement("paragraph")])),
     "a listItem directly in 'terms'; list items go in a list"),
    ("a paragraph inside a paragraph", lambda d: paragraph(d).children.append(XmlElement("paragraph")),
     "a paragraph inside a paragraph, which holds text, variables and line breaks"),
    ("nesting past any editor", _append(_nested(40)),
     "'terms' nests at most 32 levels deep; no editor makes more"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "reason"), [case[1:] for case in NOT_FROM_THE_EDITOR],
                         ids=[case[0] for case in NOT_FROM_THE_EDITOR])  # fmt: skip
def test_the_terms_refuse_what_the_editor_cannot_make(change: Change, reason: str) -> None:
    room = Room()
    error = refused(room, update_of(change), CUSTOMER)
    assert (type(error), error.close_code, error.detail) == (InvalidInput, 4400, reason)
    honest_edit_still_taken(room)


def every_construct(doc: Doc) -> None:
    """Every node and mark the editor makes, as y-prosemirror writes them."""
    terms = doc.get("terms", type=XmlFragment)
    terms.children.append(XmlElement("heading", {"level": 2}, [XmlText("Definitions")]))
    terms.children.append(XmlElement("paragraph", {}, [XmlText("bold italic strike underline code plain")]))
    marked = next(iter(list(terms.children)[-1].children))
    assert isinstance(marked, XmlText)
    for start, length, mark in ((0, 4, "bold"), (5, 6, "italic"), (12, 6, "strike"), (19, 9, "underline"),
                                (29, 4, "code")):  # fmt: skip
        marked.format(start, start + length, {mark: {}})
    terms.children.append(XmlElement("paragraph", {}, [XmlText("first line"), XmlElement("hardBreak"),
                                                       XmlText("second line, for "),
                                                       XmlElement("variable", {"name": "customer.name"})]))  # fmt: skip
    numbered = XmlElement(
        "orderedList",
        {"start": 3, "type": "a"},
        [XmlElement("listItem", {}, [XmlElement("paragraph", {}, [XmlText("a numbered point")])])],
    )
    item = XmlElement("listItem", {}, [XmlElement("paragraph", {}, [XmlText("a point")]), numbered])
    terms.children.append(XmlElement("bulletList", {}, [item]))
    terms.children.append(XmlElement("blockquote", {}, [XmlElement("paragraph", {}, [XmlText("quoted")])]))
    terms.children.append(XmlElement("codeBlock", {"language": "text"}, [XmlText("SLA = 99.9%\nRPO = 1h")]))
    terms.children.append(XmlElement("horizontalRule"))
    terms.children.append(XmlElement("paragraph"))


def test_the_terms_take_everything_the_editor_makes() -> None:
    for role in (CUSTOMER, REP, LEGAL):
        assert Room().check(update_of(every_construct), role) is not None


def test_a_link_an_older_room_holds_may_still_be_removed() -> None:
    def linked(doc: Doc) -> None:
        text_of(doc).format(0, 4, {"link": {"href": "https://example.com"}})

    older = doc_from_updates(DocName.SHARED, [base_update(), update_of(linked)]).get_update()
    unlink = update_of(lambda d: text_of(d).format(0, 4, {"link": None}), base=older)
    assert Room(base=older).check(unlink, CUSTOMER) is not None


# --- item 4: every root has a schema and a size; every room a quota ---------------------------------------

ROOT_SCHEMAS: list[tuple[str, RoomRole, Change, type[DealroomError], str]] = [
    ("a map in the deal", REP, lambda d: d.get("deal", type=Map).__setitem__("x", Map({"a": 1})), InvalidInput,
     "the deal holds plain values (text, numbers, true or false), not a map"),
    ("a deal field of 5,000 characters", REP, lambda d: d.get("deal", type=Map).__setitem__("title", "x" * 5000),
     TooLarge, "a deal field holds at most 1,000 characters, not 5,000"),
    ("text as a line", REP, lambda d: d.get("lines", type=Array).append("a line"), InvalidInput,
     "a line must be a map of id, sku, qty, discountPct, locked and note"),
    ("a list in a line", REP, lambda d: d.get("lines", type=Array)[0].__setitem__("sub", Array([1])), InvalidInput,
     "a line holds plain values (text, numbers, true or false), not a list"),
    ("a key of 500 characters", REP, lambda d: d.get("deal", type=Map).__setitem__("k" * 500, "x"),
     InvalidInput, "a key of 500 characters in 'deal'; keys are names and ids"),
]  # fmt: skip


@pytest.mark.parametrize(("role", "change", "kind", "reason"), [case[1:] for case in ROOT_SCHEMAS],
                         ids=[case[0] for case in ROOT_SCHEMAS])  # fmt: skip
def test_each_root_holds_what_its_schema_says(
    role: RoomRole, change: Change, kind: type[DealroomError], reason: str
) -> None:
    room = Room()
    error = refused(room, update_of(change), role)
    assert (type(error), error.close_code, error.detail) == (kind, 4413 if kind is TooLarge else 4400, reason)
    honest_edit_still_taken(room)


# Every client write into a document's threads is refused, whatever its shape: threads are the server's.
THREADS_WRITES: list[tuple[str, RoomRole, dict[str, type], Change]] = [
    ("a customer's comment", CUSTOMER, {}, lambda d: d.get("comments", type=Map).__setitem__("c", "hi")),
    ("a rep's thread with a forged author", REP, {},
     lambda d: d.get("comments", type=Map).__setitem__("t1", Map({"createdBy": {"id": 1}, "state": "resolved"}))),
    ("comments taken for a list", CUSTOMER, {"comments": Array}, lambda d: d.get("comments", type=Array).append(1)),
    ("a sub-document in the comments", REP, {}, lambda d: d.get("comments", type=Map).__setitem__("d", Doc())),
    ("a comment of 900 KB", LEGAL, {}, lambda d: d.get("comments", type=Map).__setitem__("c", "x" * 900_000)),
]  # fmt: skip


@pytest.mark.parametrize(("role", "declare", "change"), [case[1:] for case in THREADS_WRITES],
                         ids=[case[0] for case in THREADS_WRITES])  # fmt: skip
def test_a_client_write_into_the_threads_is_refused_naming_the_api(
    role: RoomRole, declare: dict[str, type], change: Change
) -> None:
    room = Room()
    error = refused(room, update_of(change, declare), role)
    assert (type(error), error.close_code, error.detail) == (PermissionDenied, 4403, THREADS_BY_API)
    assert "POST /api/rooms/{id}/threads" in error.detail
    honest_edit_still_taken(room)


def _deal_field(number: int) -> Change:
    return lambda d: d.get("deal", type=Map).__setitem__(f"extra-{number}", "x" * 900)


def test_a_root_past_its_limit_is_refused_and_the_room_keeps_what_it_had() -> None:
    room = Room()
    with pytest.raises(TooLarge) as caught:
        for number in range(200):
            room.check(update_of(_deal_field(number), base=room.now), REP)
    taken = len(room.updates) - 1
    assert 60 < taken < 80, taken
    assert caught.value.detail.startswith("'deal' would hold 64.")
    assert caught.value.detail.endswith(" KB; it holds at most 64 KB")
    assert len([key for key in room.guard.twin.get("deal", type=Map) if key.startswith("extra-")]) == taken


def _mark(number: int) -> Change:
    return lambda d: add_mark(d, f"{number}:" + "x" * 9_000)


def test_a_room_past_its_quota_takes_no_growth_but_may_shrink() -> None:
    room = Room(max_bytes=60_000)
    with pytest.raises(TooLarge) as caught:
        for number in range(20):
            room.check(update_of(_mark(number), base=room.now), CUSTOMER)
    assert caught.value.close_code == 4413 and len(room.updates) in range(5, 8)
    assert caught.value.detail.startswith("this room's shared document would grow to ")
    assert caught.value.detail.endswith(", past the room's quota of 58.59 KB")
    held = room.now
    smaller = Room(max_bytes=len(held) // 2, base=held)  # a quota lowered under what the room holds

    def drop_last(d: Doc) -> None:
        terms = d.get("terms", type=XmlFragment)
        del terms.children[len(terms.children) - 1]

    assert smaller.check(update_of(drop_last, base=held), CUSTOMER) is not None
    grow = update_of(_mark(99), base=smaller.now)
    assert isinstance(refused(smaller, grow, CUSTOMER), TooLarge)


# --- the property: hostile updates of every shape ----------------------------------------------------------


@st.composite
def hostile(draw: st.DrawFn) -> tuple[Hostile, WriteContext]:
    change = draw(hostile_change())
    role = draw(st.sampled_from([CUSTOMER, CUSTOMER, REP, REP, *RoomRole]))
    rights = WriteContext(role, draw(st.booleans()), frozenset(draw(st.sets(st.sampled_from(["title", "startDate"])))))
    return change, rights


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile())
def test_generated_hostile_updates_are_refused_or_stay_within_the_role_and_the_schema(
    case: tuple[Hostile, WriteContext],
) -> None:
    change, rights = case
    update = change.build(base_update())
    the_guard = Room().guard
    before = view(the_guard.twin)
    try:
        the_guard.check(update, rights)
    except (InvalidInput, PermissionDenied, TooLarge) as error:
        event(f"refused {error.close_code}")
        assert view(the_guard.twin) == before
        return
    event("accepted")
    after = doc_from_updates(DocName.SHARED, [base_update(), update])
    within_the_role(before, view(after), rights)
    holds_only_its_schema(after)
    nothing_hidden([base_update()], update)
