"""The cards in the database: kept by admins and legal, shown in rooms, marked helpful, counted for usage."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from workspace.enablement.cards import MAX_CARDS, Card, card_view
from workspace.enablement.models import CardHelpful, CardRow, CardView
from workspace.errors import Conflict, InvalidInput, NotFound, Unprocessable
from workspace.storage.base import utcnow


def all_cards(db: Session) -> list[CardRow]:
    return list(db.execute(select(CardRow).order_by(CardRow.retired_at.is_not(None), CardRow.title)).scalars())


def active_cards(db: Session) -> list[Card]:
    rows = db.execute(select(CardRow).where(CardRow.retired_at.is_(None)).order_by(CardRow.id)).scalars()
    return [Card.of(row) for row in rows]


def get_card(db: Session, card_id: int) -> CardRow:
    row = db.get(CardRow, card_id)
    if row is None:
        raise NotFound("no such card")
    return row


def create_card(db: Session, values: dict[str, Any], user_id: int | None) -> CardRow:
    if (db.execute(select(func.count(CardRow.id))).scalar() or 0) >= MAX_CARDS:
        raise Unprocessable(f"the library holds at most {MAX_CARDS} cards; retire or edit one instead")
    now = utcnow()
    row = CardRow(**values, created_by=user_id, updated_by=user_id, created_at=now, updated_at=now)
    db.add(row)
    db.flush()
    return row


def expected_version(data: dict[str, Any]) -> int:
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise InvalidInput("'version' (the version of the card you edited) is required, as a number")
    return version


def update_card(
    db: Session, card_id: int, version: int, values: dict[str, Any], retired: bool | None, user_id: int | None
) -> CardRow:
    """Edit a card as of `version`; Conflict (409) when someone saved it since, with the card as it is now."""
    row = get_card(db, card_id)
    if row.version != version:
        raise Conflict(
            f"the card changed since you opened it (version {row.version}, yours {version}); reload it and edit again",
            card=card_view(row),
        )
    for key, value in values.items():
        setattr(row, key, value)
    if retired is not None and retired != (row.retired_at is not None):
        row.retired_at = utcnow() if retired else None
    row.updated_by, row.updated_at = user_id, utcnow()
    try:
        db.flush()  # UPDATE ... WHERE version = N: an editor who saved in the same instant makes this one stale
    except StaleDataError as exc:
        raise Conflict("the card changed while you saved it; reload it and edit again") from exc
    return row


def record_views(db: Session, room_id: str, user_id: int, card_ids: Iterable[int]) -> None:
    """The cards were shown to the person in the room now."""
    ids = list(card_ids)
    if not ids:
        return
    now = utcnow()
    seen = {
        view.card_id: view
        for view in db.execute(
            select(CardView).where(CardView.room_id == room_id, CardView.user_id == user_id, CardView.card_id.in_(ids))
        ).scalars()
    }
    for card_id in ids:
        view = seen.get(card_id)
        if view is not None:
            view.times, view.last_at = view.times + 1, now
            continue
        try:
            with db.begin_nested():  # the person's other tab may record the same first view
                db.add(CardView(card_id=card_id, room_id=room_id, user_id=user_id, times=1, first_at=now, last_at=now))
                db.flush()
        except IntegrityError:
            pass


def mark_helpful(db: Session, card_id: int, room_id: str, user_id: int) -> None:
    """Once per person per room, for a card they were shown there."""
    get_card(db, card_id)
    shown = db.execute(
        select(CardView.id).where(CardView.card_id == card_id, CardView.room_id == room_id, CardView.user_id == user_id)
    ).first()
    if shown is None:
        raise Conflict("this card was not shown to you in this room", reason="not_shown")
    try:
        with db.begin_nested():
            db.add(CardHelpful(card_id=card_id, room_id=room_id, user_id=user_id))
            db.flush()
    except IntegrityError as exc:
        raise Conflict("you already marked this card helpful in this room", reason="already_marked") from exc


def helpful_in_room(db: Session, room_id: str, user_id: int) -> set[int]:
    query = select(CardHelpful.card_id).where(CardHelpful.room_id == room_id, CardHelpful.user_id == user_id)
    return set(db.execute(query).scalars())


def usage(db: Session) -> list[dict[str, Any]]:
    """Per card: how often it was shown, to how many people in how many rooms, and how many found it helpful."""
    counts = select(
        CardView.card_id, func.sum(CardView.times), func.count(CardView.id), func.count(func.distinct(CardView.room_id))
    ).group_by(CardView.card_id)
    shown = {card_id: (times, people, rooms) for card_id, times, people, rooms in db.execute(counts)}
    marks = select(CardHelpful.card_id, func.count(CardHelpful.id)).group_by(CardHelpful.card_id)
    helpful = {card_id: count for card_id, count in db.execute(marks)}
    found = []
    for row in all_cards(db):
        times, people, rooms = shown.get(row.id, (0, 0, 0))
        found.append({
            "card_id": row.id, "title": row.title, "kind": row.kind, "retired": row.retired_at is not None,
            "shown": int(times or 0), "people": int(people or 0), "rooms": int(rooms or 0),
            "helpful": int(helpful.get(row.id, 0)),
        })  # fmt: skip
    return found
