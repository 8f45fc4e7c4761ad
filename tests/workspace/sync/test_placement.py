"""The layout of a room built at its load from one merged update is the layout its pieces make (issue 13).

A cold load decodes the log merged into one update (`documents.merged_update`) instead of each of its
thousands of keystrokes. The guard judges every later update against that layout, so it must place every
item exactly where the pieces do, with the same content: checked on a typed log (text typed and deleted,
deal fields, lines added and removed, comments) and on logs of generated updates of every shape.
"""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Array, Map, TransactionEvent, XmlElement, XmlFragment, XmlText

from tests.support.hostile_updates import Hostile, hostile_change
from tests.support.ws_fuzz import seed
from workspace.errors import DealroomError
from workspace.sync.documents import DocName, doc_from_updates, merged_update, new_doc, to_json
from workspace.sync.guard import ROOT_KINDS, Guard
from workspace.sync.placement import Layout
from workspace.sync.structs import Content, decode_update
from workspace.sync.wire import read_state_vector


def typed_log(keystrokes: int) -> list[bytes]:
    """What a rep's client sends while writing a room: one update per transaction, as y-websocket sends them."""
    doc = new_doc(DocName.SHARED)
    updates: list[bytes] = []

    def sent(event: TransactionEvent) -> None:
        updates.append(event.update)

    subscription = doc.observe(sent)
    terms, deal, lines = doc.get("terms", type=XmlFragment), doc.get("deal", type=Map), doc.get("lines", type=Array)
    terms.children.append(XmlElement("paragraph", {}, [XmlText("")]))
    doc.get("comments", type=Map)["t1"] = {"text": "Start in January?", "by": "buyer"}
    words = "the customer may terminate this agreement for convenience with ninety days notice "
    for i in range(keystrokes):
        paragraph = list(terms.children)[-1]
        assert isinstance(paragraph, XmlElement)
        text = next(iter(paragraph.children))
        assert isinstance(text, XmlText)
        if i % 97 == 96:
            terms.children.append(XmlElement("paragraph", {}, [XmlText("")]))  # a new paragraph
        elif i % 41 == 40:
            lines.append(Map({"id": f"l{i}", "sku": "PLAT", "qty": i, "discountPct": 0, "locked": False}))
        elif i % 83 == 82 and len(lines) > 1:
            del lines[0]  # a line removed: a deleted type, and everything in it
        elif i % 29 == 28 and len(lines):
            lines[len(lines) - 1]["qty"] = i
        elif i % 20 == 19:
            deal["termMonths"] = i % 48
        elif i % 7 == 6 and len(text) > 10:
            del text[len(text) - 3 : len(text) - 1]
        elif i % 53 == 52 and len(text) > 3:
            text.format(0, 3, {"bold": True})
        else:
            text.insert(len(text), words[i % len(words)])
    doc.unobserve(subscription)
    return updates


def assert_same_layout(pieces: Layout, merged: Layout) -> None:
    assert merged.state == pieces.state
    assert merged.types == pieces.types
    assert merged.segments() == pieces.segments()


def layouts(updates: list[bytes]) -> tuple[Layout, Layout]:
    kinds = ROOT_KINDS[DocName.SHARED]
    return Layout.build(kinds, updates), Layout.build(kinds, [merged_update(updates)])


def test_a_typed_log_merged_places_every_item_where_its_pieces_do() -> None:
    updates = typed_log(3_000)
    pieces, merged = layouts(updates)
    assert_same_layout(pieces, merged)
    # What the comparison covered: deleted text and a deleted line with its fields, kept as they were sent.
    contents = {content for runs in merged.segments().values() for _, _, _, content in runs}
    assert {Content.STRING, Content.ANY, Content.TYPE, Content.FORMAT} <= contents
    assert Content.DELETED not in contents
    assert len(decode_update(merged_update(updates))) < sum(len(decode_update(update)) for update in updates)


def test_a_log_of_one_update_is_that_update() -> None:
    update = typed_log(10)[0]
    assert merged_update([update]) is update


def test_the_document_built_in_one_transaction_is_the_one_built_update_by_update() -> None:
    updates = typed_log(1_000)
    one_by_one = new_doc(DocName.SHARED)
    for update in updates:
        one_by_one.apply_update(update)
    loaded = doc_from_updates(DocName.SHARED, updates)
    assert to_json(loaded, DocName.SHARED) == to_json(one_by_one, DocName.SHARED)
    assert loaded.get_state() == one_by_one.get_state()
    assert len(list(loaded.get("lines", type=Array))) > 3


def test_the_guard_prepared_at_load_has_the_layout_of_the_pieces() -> None:
    updates = typed_log(1_000)
    guard = Guard(DocName.SHARED, lambda: [doc_from_updates(DocName.SHARED, updates).get_update()])
    asyncio.run(guard.prepare(updates))
    assert_same_layout(Layout.build(ROOT_KINDS[DocName.SHARED], updates), guard.layout)


def _taken(log: list[bytes], layout: Layout, update: bytes) -> bool:
    """Whether the guard could take `update` as far as where its items go: the layout places every item, and
    the room's document integrates all of them (the guard refuses an update Yjs would leave partly pending,
    e.g. items after empty strings at one clock: yrs holds none of them, though the layout would place them)."""
    structs = decode_update(update)
    try:
        placed = layout.place(structs)
    except DealroomError:
        return False
    state = read_state_vector(doc_from_updates(DocName.SHARED, [*log, update]).get_state())
    if any(struct.end > state.get(struct.client, 0) for struct in structs if struct.content is not Content.SKIP):
        return False
    layout.add(placed)
    return True


# Derandomized: yrs hung once (in `Array.__delitem__`, building a concurrent client's own update) on an example
# of a random run; the fixed examples are known to build, so CI cannot meet that hang.
@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(st.lists(hostile_change(), min_size=1, max_size=6), st.lists(st.booleans(), min_size=6, max_size=6))
def test_a_log_of_generated_updates_merged_places_every_item_where_its_pieces_do(
    changes: list[Hostile], from_scratch: list[bool]
) -> None:
    # A seeded room, then updates of every shape, each built against the room as it stands (or, now and then,
    # against the seed only: concurrent edits, whose items interleave). Only what the guard could take is
    # logged (`_taken`): it refuses the rest, so no log holds it.
    first = seed(DocName.SHARED, None, "fuzz")
    log = [first]
    kinds = ROOT_KINDS[DocName.SHARED]
    pieces = Layout.build(kinds, log)
    for change, scratch in zip(changes, from_scratch, strict=False):
        base = first if scratch else doc_from_updates(DocName.SHARED, log).get_update()
        try:
            update = change.build(base)
        except BaseException as exc:  # pyo3 raises a Rust panic as a BaseException
            if type(exc).__name__ != "PanicException":
                raise
            continue  # yrs panics making some of these on the client's own document: no client sends them
        if _taken(log, pieces, update):
            log.append(update)
    again, merged = layouts(log)
    assert_same_layout(pieces, again)
    assert_same_layout(pieces, merged)


def test_a_room_with_no_log_has_an_empty_layout() -> None:
    layout = Layout.from_log(ROOT_KINDS[DocName.SHARED], [])
    assert layout.state == {} and layout.segments() == {} and layout.types == {}
