"""What an accepted update touched, read from the write guard's observations: the subject a person
would name (a clause by its title, a line by its product and field, a deal field), one per subject."""

from __future__ import annotations

from collections.abc import Callable

from pycrdt import Array, Doc, Map, XmlElement, XmlFragment

from tests.workspace.activity.support import add_line, append_block, clause_block, paragraph, set_text_at
from workspace.activity.capture import Touch, touched
from workspace.activity.events import Audience
from workspace.activity.labels import label
from workspace.rooms.models import RoomRole
from workspace.sync.documents import DocName, new_doc
from workspace.sync.guard import Guard, WriteContext


def _room() -> Doc:
    doc = new_doc(DocName.SHARED)
    append_block(paragraph("This agreement is between the parties."))(doc)
    append_block(clause_block("liability", "Limitation of liability", "Liability is capped."))(doc)
    add_line("PLAT-PRO", 20, line_id="seats")(doc)
    return doc


def _touched(edit: Callable[[Doc], None], name: DocName = DocName.SHARED, base: Doc | None = None) -> list[Touch]:
    room = base or _room()
    guard = Guard(name, lambda: [room.get_update()])
    client = new_doc(name)
    client.apply_update(room.get_update())
    state = client.get_state()
    edit(client)
    assert guard.check(client.get_update(state), WriteContext(RoomRole.REP)) is not None
    return touched(name, guard.twin, guard.observed)


def _subject(touch: Touch) -> dict[str, object]:
    return {**touch.subject, "fields": sorted(touch.fields)} if touch.fields else touch.subject


def test_typing_in_a_clause_names_the_clause_by_its_title() -> None:
    [touch] = _touched(set_text_at(1, 1, 0, "x"))
    assert (touch.kind, touch.key, touch.audience) == ("change.terms", "clause:liability", Audience.EVERYONE)
    assert label(touch.kind, touch.subject) == "Clause 'Limitation of liability'"


def test_typing_outside_the_clauses_is_the_text_outside_the_clauses() -> None:
    [touch] = _touched(_type_in_paragraph(0))
    assert label(touch.kind, touch.subject) == "Text outside the clauses"


def _type_in_paragraph(index: int) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        block = doc.get("terms", type=XmlFragment).children[index]
        assert isinstance(block, XmlElement)
        block.children[0].insert(0, "Indeed, ")  # type: ignore[union-attr]

    return change


def test_a_new_paragraph_between_blocks_changes_the_blocks_of_the_terms() -> None:
    [touch] = _touched(lambda doc: doc.get("terms", type=XmlFragment).children.insert(1, paragraph("New.")))
    assert label(touch.kind, touch.subject) == "Blocks of the terms"


def test_a_line_change_names_the_product_and_every_field_it_changed() -> None:
    def change(doc: Doc) -> None:
        line = doc.get("lines", type=Array)[0]
        line["qty"] = 25
        line["discountPct"] = 5

    [touch] = _touched(change)
    assert touch.key == "line:seats" and touch.fields == {"qty", "discountPct"}
    assert touch.subject == {"line_id": "seats", "sku": "PLAT-PRO"}  # the recorder names the product
    assert label(touch.kind, _subject(touch)) == "Discount and quantity of PLAT-PRO"


def test_each_deal_field_is_its_own_subject() -> None:
    def change(doc: Doc) -> None:
        deal = doc.get("deal", type=Map)
        deal["paymentTermsDays"] = 45
        deal["title"] = "Renewal"

    touches = _touched(change)
    assert sorted(label(t.kind, t.subject) for t in touches) == ["Deal title", "Payment terms"]


def test_a_line_added_names_its_product() -> None:
    [touch] = _touched(add_line("PLAT-TEAM", 5, line_id="team"))
    assert touch.key == "lines:list" and label(touch.kind, touch.subject) == "Lines added: PLAT-TEAM"


def test_internal_notes_are_for_the_vendor_only() -> None:
    note = append_block(paragraph("walk-away 40"), root="notes")
    [touch] = _touched(note, DocName.INTERNAL, new_doc(DocName.INTERNAL))
    assert (touch.kind, touch.audience) == ("change.notes", Audience.INTERNAL)
    assert label(touch.kind, touch.subject) == "Internal notes"


def test_an_update_touching_two_clauses_names_both() -> None:
    room = _room()
    append_block(clause_block("payment", "Payment", "Pay in 30 days."))(room)

    def change(doc: Doc) -> None:
        set_text_at(1, 1, 0, "x")(doc)
        set_text_at(2, 1, 0, "y")(doc)

    keys = sorted(touch.key for touch in _touched(change, base=room))
    assert keys == ["clause:liability", "clause:payment"]
