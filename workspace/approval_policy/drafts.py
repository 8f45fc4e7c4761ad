"""HTTP routes for editing the policy safely (admins): check a draft without saving it, and preview a draft
against a room — who would be asked and why — before anyone is asked anything."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from approvals import Policy, PolicyInvalid, load_policy, required_step_to_plain
from workspace.approval_policy.body import policy_body
from workspace.approval_policy.requests import resolver
from workspace.approval_policy.routes import current_version
from workspace.approval_policy.service import require_rules
from workspace.auth.models import User, UserRole
from workspace.auth.principal import Principal
from workspace.errors import InvalidInput, PermissionDenied, Unprocessable
from workspace.web import caller, in_db, services


def _admin(principal: Principal) -> None:
    if principal.role is not UserRole.ADMIN:
        raise PermissionDenied("only admins edit the approval policy")


def _problems(data: dict[str, Any]) -> tuple[Policy | None, list[str]]:
    """The draft as a policy (numbered as the next version would be), or the problems that keep it from one."""
    try:
        require_rules(data)
        return load_policy({**data, "version": data.get("version") or 1}), []
    except PolicyInvalid as invalid:
        return None, list(invalid.errors)
    except InvalidInput as invalid:  # no rules at all
        return None, [invalid.detail]


async def _read(request: Request) -> tuple[Policy | None, list[str], dict[str, Any] | None]:
    """The draft as a policy (or the problems), and the document as read (None when it could not be read)."""
    try:
        data = await policy_body(request)
    except Unprocessable as invalid:
        return None, [str(e) for e in invalid.extra.get("errors", [invalid.detail])], None
    policy, errors = _problems(data)
    return policy, errors, data


async def validate_policy(request: Request) -> Response:
    """`{"valid", "errors", "rules", "policy"}` for a draft (YAML or JSON; `policy`: the document as read, for
    the form editor); nothing is saved, whatever it holds."""
    principal = await caller(request)
    _admin(principal)
    policy, errors, data = await _read(request)
    rules = [rule.id for rule in policy.rules] if policy is not None else []
    return JSONResponse({"valid": policy is not None, "errors": errors, "rules": rules, "policy": data})


async def preview_draft(request: Request) -> Response:
    """The steps a draft policy would require of the room as it is now, each with the people it would ask."""
    principal = await caller(request)
    _admin(principal)
    policy, errors, _data = await _read(request)
    if policy is None:
        raise Unprocessable(f"{len(errors)} problem(s) in the draft policy", errors=errors)
    room_id = request.path_params["room_id"]
    current = await current_version(request, principal, room_id, draft=policy)

    def people(db: Session) -> list[dict[str, Any]]:
        resolve = resolver(db)
        steps = []
        for step in current.required:
            plain = required_step_to_plain(step)
            ids = resolve(step.approvers)
            rows = db.execute(select(User.id, User.name).where(User.id.in_(ids))).all()
            names: dict[object, str] = {row.id: row.name for row in rows}
            plain["people"] = [{"id": i, "name": names.get(i, "")} for i in ids]
            steps.append(plain)
        return steps

    steps = await in_db(request, people)
    saved = services(request).policies
    found = await in_db(request, saved.current_data)
    return JSONResponse({
        "room_id": room_id, "fingerprint": current.fingerprint, "steps": steps,
        "current_policy_version": found[0] if found else None,
        "pricing_problems": current.priced.internal["pricing_problems"],
    })  # fmt: skip


routes = [
    Route("/api/approvals/policy/validate", validate_policy, methods=["POST"]),
    Route("/api/rooms/{room_id}/approvals/preview", preview_draft, methods=["POST"]),
]
