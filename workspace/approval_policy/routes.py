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
from workspace.approval_policy.preview import required_for
from workspace.approval_policy.service import parse_yaml
from workspace.approval_policy.standing import read_history, standing_view
from workspace.auth.models import UserRole
from workspace.auth.principal import Principal
from workspace.clause_library.deviations import approval_inputs
from workspace.derive import Priced, RoomDeal, pinned_book, price_room
from workspace.errors import InvalidInput, NotFound, PermissionDenied
from workspace.json_checks import MAX_JSON_DEPTH, check_json
from workspace.rooms.access import RoomAccess, room_access
from workspace.sync.documents import DocName
from workspace.web import caller, in_db, json_body, read_body, require_internal, services

# A policy is a few dozen rules; this leaves room for hundreds with long reasons.
MAX_POLICY_BYTES = 256 * 1024
_YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}


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
    principal = await caller(request)
    if principal.role is not UserRole.ADMIN:
        raise PermissionDenied("only admins change the approval policy")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in _YAML_TYPES:
        body = await read_body(request, MAX_POLICY_BYTES)
        try:
            data = parse_yaml(body.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise InvalidInput("the policy is not UTF-8 text") from exc
        except RecursionError as exc:  # PyYAML composes recursively: a hostile document is refused, not a 500
            raise InvalidInput(f"the policy nests deeper than {MAX_JSON_DEPTH} levels") from exc
        check_json(data)
    else:
        data = await json_body(request, MAX_POLICY_BYTES)
    svc = services(request)
    version = await in_db(request, lambda db: svc.policies.save(db, data, principal.user_id))
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
    request: Request, principal: Principal, room_id: str, *, allow_no_policy: bool = False
) -> RoomVersion:
    """The room now: its fingerprint, price, clause deviations and the steps the policy requires of it."""
    svc = services(request)

    def work(db: Session) -> tuple[Any, ...]:
        access = room_access(db, principal, room_id)
        if not access.role.is_internal:
            raise PermissionDenied("approval routing is internal to the vendor")
        policy = svc.policies.current(db)
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
