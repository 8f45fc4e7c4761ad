"""One update carries at most DEALROOM_MAX_ITEMS_PER_UPDATE items: a message of tiny items would otherwise
hold the event loop for seconds while the guard reads them. Refused with 4413 before anything is read; a
whole pasted contract is far below the limit."""

from __future__ import annotations

import pytest
from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText

from tests.conftest import World
from tests.support.big_room import room_of_50_clauses
from tests.workspace.sync.test_guard_shapes import CUSTOMER, Room, refused, update_of
from tests.workspace.sync.test_permissions import _attempt, witness
from workspace.errors import TooLarge
from workspace.sync.structs import decode_update


def _paragraphs(count: int) -> object:
    def change(doc: Doc) -> None:
        terms = doc.get("terms", type=XmlFragment)
        for _ in range(count):
            terms.children.append(XmlElement("paragraph", {}, [XmlText("a")]))

    return change


def test_an_update_declaring_more_items_than_the_limit_is_refused_before_it_is_read() -> None:
    update = update_of(_paragraphs(2_000))  # type: ignore[arg-type]
    with pytest.raises(TooLarge) as caught:
        decode_update(update, max_items=1_000)
    assert str(caught.value).startswith("an update of more than 1,000 items (this one declares ")
    assert len(decode_update(update)) > 1_000, "without a limit it decodes"


def test_a_list_of_many_values_counts_each_value() -> None:
    update = update_of(lambda doc: doc.get("lines", type=Array).extend(list(range(3_000))))
    with pytest.raises(TooLarge):
        decode_update(update, max_items=1_000)


def test_the_guard_refuses_it_and_the_room_stays_as_it_was() -> None:
    room = Room()
    room.guard = type(room.guard)(room.guard.name, lambda: list(room.updates), max_items=1_000)
    error = refused(room, update_of(_paragraphs(2_000)), CUSTOMER)  # type: ignore[arg-type]
    assert isinstance(error, TooLarge) and "send it in parts" in str(error)
    assert room.check(update_of(_paragraphs(10), base=room.now), CUSTOMER) is not None, "a paste of 10 is taken"


def test_a_whole_50_clause_contract_pasted_at_once_is_far_below_the_default_limit() -> None:
    assert len(decode_update(room_of_50_clauses())) * 4 < 5_000


async def test_a_customers_flood_of_tiny_items_is_refused_with_4413_and_changes_nothing(world: World) -> None:
    async with witness(world) as w:
        # 12,000 comment keys of one character: about 200 KB, well inside the message size limit.
        def flood(doc: Doc) -> None:
            comments = doc.get("comments", type=Map)
            for number in range(12_000):
                comments[f"{number}"] = "x"

        attacker = await _attempt(world, world.customer.token, flood)
        assert attacker.close_code == 4413
        assert attacker.close_reason.startswith("an update of more than 5,000 items")
        await w.assert_untouched()
