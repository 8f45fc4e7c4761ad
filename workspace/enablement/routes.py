"""HTTP routes of enablement cards: admins and legal keep them; the vendor's people get a room's triggered cards
and mark them helpful. Customers get 403 on every one of them: nothing about cards reaches them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workspace.auth.models import UserRole
from workspace.auth.principal import Principal
from workspace.derive import RoomDeal, pinned_book, price_room
from workspace.enablement import service
from workspace.enablement.cards import EDIT_FIELDS, MAX_REQUEST_BYTES, card_view, parse_card
from workspace.enablement.history import room_reps, sold_before
from workspace.enablement.room_facts import room_facts
from workspace.enablement.stage import room_stage
from workspace.enablement.thresholds import thresholds
from workspace.enablement.triggers import triggered
from workspace.errors import InvalidInput, NotFound, PermissionDenied
from workspace.ids import path_id
from workspace.rooms.access import room_access
from workspace.sync.documents import DocName
from workspace.web import caller, in_db, json_body, require_internal, services

KEEPERS = (UserRole.ADMIN, UserRole.LEGAL)


def _keeper(principal: Principal) -> None:
    if principal.role not in KEEPERS:
        raise PermissionDenied("only admins and legal keep the enablement cards")


def _card_id(request: Request) -> int:
    return path_id(request, "card_id", "card")


async def list_cards(request: Request) -> Response:
    principal = await caller(request)
    require_internal(principal)
    rows = await in_db(request, lambda db: [card_view(row) for row in service.all_cards(db)])
    return JSONResponse({"cards": rows})


async def get_card(request: Request) -> Response:
    principal = await caller(request)
    require_internal(principal)
    card_id = _card_id(request)
    return JSONResponse(await in_db(request, lambda db: card_view(service.get_card(db, card_id))))


async def create_card(request: Request) -> Response:
    principal = await caller(request)
    _keeper(principal)
    values = parse_card(await json_body(request, MAX_REQUEST_BYTES))
    view = await in_db(request, lambda db: card_view(service.create_card(db, values, principal.user_id)))
    return JSONResponse(view, status_code=201)


async def update_card(request: Request) -> Response:
    principal = await caller(request)
    _keeper(principal)
    card_id = _card_id(request)
    data = await json_body(request, MAX_REQUEST_BYTES)
    version = service.expected_version(data)
    retired = data.get("retired")
    if retired is not None and not isinstance(retired, bool):
        raise InvalidInput("'retired' must be true or false")
    values = parse_card({k: v for k, v in data.items() if k not in ("version", "retired")}, EDIT_FIELDS)

    def work(db: Session) -> dict[str, Any]:
        return card_view(service.update_card(db, card_id, version, values, retired, principal.user_id))

    return JSONResponse(await in_db(request, work))


async def mark_helpful(request: Request) -> Response:
    principal = await caller(request)
    require_internal(principal)
    card_id = _card_id(request)
    data = await json_body(request, MAX_REQUEST_BYTES)
    unknown = sorted(set(data) - {"room_id"})
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(unknown)}; expected room_id")
    room_id = data.get("room_id")
    if not isinstance(room_id, str) or not room_id or len(room_id) > 64:
        raise InvalidInput("'room_id' must be the id of the room the card was shown in")

    def work(db: Session) -> None:
        access = room_access(db, principal, room_id)
        if not access.role.is_internal:
            raise PermissionDenied("cards are for the vendor's people")
        service.mark_helpful(db, card_id, room_id, principal.user_id)

    await in_db(request, work)
    return JSONResponse({"card_id": card_id, "room_id": room_id, "helpful": True}, status_code=201)


async def card_usage(request: Request) -> Response:
    principal = await caller(request)
    _keeper(principal)
    return JSONResponse({"usage": await in_db(request, service.usage)})


async def room_cards(request: Request) -> Response:
    """The cards the room triggers now, each with why; their showing is recorded for usage."""
    principal = await caller(request)
    require_internal(principal)  # a customer learns nothing, not even whether a room exists
    room_id = request.path_params["room_id"]
    svc = services(request)

    def read(db: Session) -> dict[str, Any]:
        access = room_access(db, principal, room_id)
        if not access.role.is_internal:
            raise PermissionDenied("cards are for the vendor's people")
        try:
            book, plan = pinned_book(db, svc.catalog, room_id)
        except NotFound:
            book, plan = None, None
        return {
            "cards": service.active_cards(db), "customer": access.room.customer_name,
            "stage": room_stage(db, room_id), "policy": svc.policies.current(db), "book": book, "plan": plan,
            "sold": sold_before(db, room_reps(db, access.room), room_id),
        }  # fmt: skip

    found = await in_db(request, read)
    shared = await svc.rooms.current_doc(room_id, DocName.SHARED)
    internal = await svc.rooms.current_doc(room_id, DocName.INTERNAL)
    quote = None
    if found["book"] is not None and found["cards"]:
        room_deal = RoomDeal.read(shared, pending=svc.proposals.pending(room_id))
        quote = (await run_in_threadpool(price_room, room_deal, found["book"], found["plan"])).internal
    library = await svc.deriver.library() if found["cards"] else None
    facts = room_facts(found["customer"], found["stage"], quote, thresholds(found["policy"]), found["sold"],
                       shared, internal, library)  # fmt: skip
    fired = triggered(found["cards"], facts)

    def record(db: Session) -> set[int]:
        service.record_views(db, room_id, principal.user_id, [f.card.id for f in fired])
        return service.helpful_in_room(db, room_id, principal.user_id)

    helpful = await in_db(request, record)
    views = [{**f.view(), "helpful": f.card.id in helpful} for f in fired]
    return JSONResponse({"room_id": room_id, "stage": facts.stage, "cards": views})


routes = [
    Route("/api/enablement/cards", list_cards, methods=["GET"]),
    Route("/api/enablement/cards", create_card, methods=["POST"]),
    Route("/api/enablement/cards/{card_id:int}", get_card, methods=["GET"]),
    Route("/api/enablement/cards/{card_id:int}", update_card, methods=["PUT"]),
    Route("/api/enablement/cards/{card_id:int}/helpful", mark_helpful, methods=["POST"]),
    Route("/api/enablement/usage", card_usage, methods=["GET"]),
    Route("/api/rooms/{room_id}/cards", room_cards, methods=["GET"]),
]
