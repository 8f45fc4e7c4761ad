"""HTTP routes of the cockpit: a rep's pipeline (a manager's team with `?scope=team`) and a room's what-if.

Internal people only: a customer gets 403 on both, whatever room they are in (commission, margin, quota and
the approvers' waits are the vendor's own)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workspace.auth.models import User, UserRole
from workspace.errors import InvalidInput, NotFound, PermissionDenied
from workspace.pipeline.deals import Owner, Pipeline, deal_view, quarter_of, read_pipeline, today
from workspace.pipeline.stage import STAGES
from workspace.pipeline.whatif import WhatIf, what_if
from workspace.rooms.access import room_access
from workspace.rooms.models import Membership, RoomRole
from workspace.web import caller, in_db, require_internal, services

_MANAGERS = (UserRole.SALES_MANAGER, UserRole.VP_SALES)


def team_of(db: Session, manager_id: int) -> list[Owner]:
    """Everyone who reports to the manager, directly or through their own managers (active people only)."""
    found: dict[int, User] = {}
    bosses = {manager_id}
    while bosses:
        rows = db.execute(select(User).where(User.manager_id.in_(bosses), User.is_active.is_(True))).scalars().all()
        fresh = [user for user in rows if user.id not in found and user.id != manager_id]
        found.update((user.id, user) for user in fresh)
        bosses = {user.id for user in fresh}
    return [Owner(user.id, user.email, user.name) for user in sorted(found.values(), key=lambda u: u.name)]


def by_stage(deals: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Deals and first-year value per stage (per currency: the plan has no exchange rates), every stage listed."""
    counts = dict.fromkeys((stage.value for stage in STAGES), 0)
    values: dict[str, dict[str, Decimal]] = {stage.value: {} for stage in STAGES}
    for deal in deals:
        counts[deal["stage"]] += 1
        if deal["first_year"] is not None and deal["currency"]:
            amounts = values[deal["stage"]]
            amounts[deal["currency"]] = amounts.get(deal["currency"], Decimal(0)) + Decimal(deal["first_year"])
    return [
        {"stage": stage, "count": count, "first_year": {code: str(amount) for code, amount in values[stage].items()}}
        for stage, count in counts.items()
    ]


def _person(pipeline: Pipeline, owner: Owner) -> dict[str, Any]:
    now, day = today()
    deals = [deal_view(d, pipeline.plan, now, pipeline.people) for d in pipeline.deals if d.owner.id == owner.id]
    return {"user": owner.plain(), "quarter": quarter_of(pipeline, owner, day), "deals": deals,
            "by_stage": by_stage(deals)}  # fmt: skip


async def get_pipeline(request: Request) -> Response:
    principal = await caller(request)
    require_internal(principal)
    scope = request.query_params.get("scope", "mine")
    if scope not in ("mine", "team"):
        raise InvalidInput("'scope' must be 'mine' or 'team'")
    svc = services(request)
    me = Owner(principal.user_id, principal.email, principal.name)
    if scope == "mine":
        return JSONResponse({"scope": scope, **_person(await read_pipeline(svc, [me.id]), me)})
    if principal.role not in _MANAGERS:
        raise PermissionDenied("only sales managers and VPs of sales see a team's pipeline")
    team = await in_db(request, lambda db: team_of(db, principal.user_id))
    pipeline = await read_pipeline(svc, [owner.id for owner in team])
    people = [_person(pipeline, owner) for owner in team]
    deals = [deal for person in people for deal in person["deals"]]
    waiting = [
        {"room_id": deal["room_id"], "title": deal["title"], "owner": deal["owner"], **step}
        for deal in deals
        for step in deal["approval"]["waiting"]
    ]
    waiting.sort(key=lambda item: item["since"])
    return JSONResponse({"scope": scope, "user": me.plain(), "people": people, "by_stage": by_stage(deals),
                         "approvals_waiting": waiting})  # fmt: skip


async def get_whatif(request: Request) -> Response:
    principal = await caller(request)
    room_id = request.path_params["room_id"]
    svc = services(request)

    def work(db: Session) -> int | None:
        access = room_access(db, principal, room_id)
        if not access.role.is_internal:
            raise PermissionDenied("the what-if is for the vendor's people only")
        owner = db.execute(select(Membership.user_id).where(Membership.room_id == room_id,
                           Membership.role == RoomRole.REP.value).order_by(Membership.created_at)).first()  # fmt: skip
        return owner[0] if owner is not None else None

    owner_id = await in_db(request, work)
    change = WhatIf.parse(request.query_params)
    if owner_id is None:
        raise NotFound("this room has no rep: nobody's commission to estimate")
    pipeline = await read_pipeline(svc, [owner_id])
    deal = next((d for d in pipeline.deals if d.room.id == room_id), None)
    if deal is None or deal.book is None:
        raise NotFound("there is no price book yet: an admin uploads one with PUT /api/pricebook")
    now, _ = today()
    return JSONResponse(what_if(deal, change, pipeline.plan, now))


routes = [
    Route("/api/pipeline", get_pipeline, methods=["GET"]),
    Route("/api/rooms/{room_id}/whatif", get_whatif, methods=["GET"]),
]
