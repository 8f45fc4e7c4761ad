"""HTTP routes: the approval policy (admins write YAML or JSON, internal users read) and a room's
approval preview (who will be asked and why, before anything is submitted)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from approvals import Policy, RequiredStep
from clauses.deviation import Deviation
from clauses.library import ClauseLibrary
from workspace.approval_policy.body import policy_body
from workspace.approval_policy.preview import required_for
from workspace.approval_policy.standing import read_history, standing_view
from workspace.auth.models import UserRole
from workspace.auth.principal import Principal
from workspace.clause_library.deviations import approval_inputs
from workspace.derive import Priced, RoomDeal, pinned_book, price_room
from workspace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from workspace.rooms.access import RoomAccess, room_access
from workspace.sync.documents import DocName
from workspace.web import caller, in_db, require_internal, services


async def get_policy(request: Request) -> Response:
    principal = await caller(request)
    require_internal(principal)
    policies = services(request).policies
    found = await in_db(request, policies.current_data)
    if found is None:
        raise NotFound("there is no approval policy yet: an admin uploads one with PUT /api/approvals/policy")
    version, data = found
    if request.query_params.get("format") == "yaml":
        return PlainTextResponse(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True), media_type="application/yaml"
        )
    return JSONResponse({"version": version, "policy": data})


async def put_policy(request: Request) -> Response:
    """Save a new version; `?base_version=N` refuses (409) when someone saved another since N was read."""
    principal = await caller(request)
    if principal.role is not UserRole.ADMIN:
        raise PermissionDenied("only admins change the approval policy")
    base = request.query_params.get("base_version")
    if base is not None and not base.isdigit():
        raise InvalidInput("'base_version' must be a whole number")
    data = await policy_body(request)
    svc = services(request)

    def save(db: Session) -> int:
        if base is not None:
            found = svc.policies.current_data(db)
            latest = found[0] if found else 0
            if latest != int(base):
                raise Conflict(f"the policy is at version {latest} now, not {base}: reload it and make your change "
                               "again; nothing was saved", version=latest)  # fmt: skip
        return svc.policies.save(db, data, principal.user_id)

    version = await in_db(request, save)
    svc.policy_changed()  # rooms open now, in every worker, show the new routing at once
    return JSONResponse({"version": version})


@dataclass(frozen=True)
class RoomVersion:
    """A room as it is now, for approvals: who asks, the policy, the steps it needs, the fingerprint."""

    access: RoomAccess
    policy: Policy | None  # None only when the caller allowed it: nothing is required then
    required: list[RequiredStep]
    room_deal: RoomDeal
    priced: Priced
    library: ClauseLibrary
    deviations: list[Deviation]

    @property
    def fingerprint(self) -> str:
        return self.room_deal.fingerprint


async def current_version(
    request: Request, principal: Principal, room_id: str, *, allow_no_policy: bool = False, draft: Policy | None = None
) -> RoomVersion:
    """The room now: its fingerprint, price, clause deviations and the steps the policy (or a `draft` of one, not
    saved) requires of it."""
    svc = services(request)

    def work(db: Session) -> tuple[Any, ...]:
        access = room_access(db, principal, room_id)
        if not access.role.is_internal:
            raise PermissionDenied("approval routing is internal to the vendor")
        policy = draft if draft is not None else svc.policies.current(db)
        if policy is None and not allow_no_policy:
            raise NotFound("there is no approval policy yet")
        book, plan = pinned_book(db, svc.catalog, room_id)
        return access, policy, book, plan

    access, policy, book, plan = await in_db(request, work)
    doc = await svc.rooms.current_doc(room_id, DocName.SHARED)
    room_deal = RoomDeal.read(doc, svc.deriver.vendor, svc.proposals.pending(room_id))
    library, deviations = await svc.deriver.deviations(room_deal)
    priced = await run_in_threadpool(price_room, room_deal, book, plan)
    clauses = approval_inputs(deviations)
    required = (
        await run_in_threadpool(required_for, policy, priced.internal, room_deal.fields, clauses) if policy else []
    )
    return RoomVersion(access, policy, required, room_deal, priced, library, deviations)


async def room_preview(request: Request) -> Response:
    """The steps the room's current version needs, each with its approvers, the reason and the approvals
    of earlier versions that still cover it (`covered_by`), and where the version stands (`status`)."""
    principal = await caller(request)
    room_id = request.path_params["room_id"]
    current = await current_version(request, principal, room_id)
    history = await in_db(request, lambda db: read_history(db, room_id))
    version = current.policy.version if current.policy else None
    problems = current.priced.internal["pricing_problems"]
    view = standing_view(current.required, version, history, current.fingerprint, problems)
    live = view["request"]
    return JSONResponse({
        "policy_version": version, "fingerprint": current.fingerprint, "steps": view["steps"],
        "status": view["status"], "covered": view["covered"], "needs": view["needs"],
        "pricing_problems": view["pricing_problems"], "request_id": live["id"] if live is not None else None,
    })  # fmt: skip


routes = [
    Route("/api/approvals/policy", get_policy, methods=["GET"]),
    Route("/api/approvals/policy", put_policy, methods=["PUT"]),
    Route("/api/rooms/{room_id}/approvals/preview", room_preview, methods=["GET"]),
]
