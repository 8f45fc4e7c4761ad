"""The guard keeps which clause blocks the terms hold between customer updates (read once per change of the
blocks, not twice per keystroke): after a rep's or the server's change it must know the new pins, or a
customer could remove or re-insert a clause unnoticed."""

from __future__ import annotations

from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from clauses.samples_library import sample_library
from tests.workspace.sync.test_guard_shapes import CUSTOMER, Room, refused, update_of
from workspace.clause_library.blocks import clause_element
from workspace.sync.pins import clause_pins


def _type_in_free_text(doc: Doc) -> None:
    free = list(doc.get("terms", type=XmlFragment).children)[2]
    assert isinstance(free, XmlElement)
    text = free.children[0]
    assert isinstance(text, XmlText)
    text.insert(0, "x")


def _remove_the_clause(doc: Doc) -> None:
    del doc.get("terms", type=XmlFragment).children[1]


def _insert_liability(doc: Doc) -> None:
    liability = sample_library().get("liability")
    assert liability is not None and liability.latest_published is not None
    doc.get("terms", type=XmlFragment).children.append(clause_element(liability, liability.latest_published))


def test_typing_keeps_the_pins_and_a_reps_removal_is_known_to_the_next_customer_update() -> None:
    room = Room()
    assert room.check(update_of(_type_in_free_text, base=room.now), CUSTOMER) is not None  # pins read
    assert room.check(update_of(_type_in_free_text, base=room.now), CUSTOMER) is not None
    payment_gone = update_of(_remove_the_clause, base=room.now)
    assert room.check(payment_gone) is not None  # the rep removes the payment clause
    assert clause_pins(room.guard.twin) == {}
    # A customer who puts it back inserts a clause, refused as such (a stale memory would see no change).
    reinsert = update_of(lambda doc: doc.get("terms", type=XmlFragment).children.insert(1, _payment()), base=room.now)
    error = refused(room, reinsert, CUSTOMER)
    assert "may not insert or re-pin library clauses (payment v1)" in str(error)


def test_a_clause_the_server_inserted_cannot_be_removed_by_a_customer() -> None:
    room = Room()
    assert room.check(update_of(_type_in_free_text, base=room.now), CUSTOMER) is not None  # pins read
    delta = room.guard.local_change(_insert_liability)
    assert delta is not None
    room.updates.append(delta)
    remove_liability = update_of(lambda doc: doc.get("terms", type=XmlFragment).children.__delitem__(3), base=room.now)
    error = refused(room, remove_liability, CUSTOMER)
    assert "may not remove library clauses (liability v1)" in str(error)


def _payment() -> XmlElement:
    payment = sample_library().get("payment")
    assert payment is not None and payment.latest_published is not None
    return clause_element(payment, payment.latest_published)
