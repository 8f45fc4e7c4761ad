"""HTTP route: the audit trail for admins, newest first, filtered by kind (each admin screen shows its own:
`?kind=pricebook.` for the price book's saves, `?kind=policy.`, `?kind=user.`, `?kind=template.`,
`?kind=plan.` for the incentive plan's)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workspace.audit.models import AuditEvent
from workspace.auth.models import User, UserRole
from workspace.errors import InvalidInput, PermissionDenied
from workspace.web import caller, in_db

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_KINDS = 10


def _kinds(raw: str | None) -> list[str]:
    """Comma-separated kinds; one ending in "." matches every kind it starts (`user.` → `user.added`, ...)."""
    kinds = [kind.strip() for kind in (raw or "").split(",") if kind.strip()]
    if len(kinds) > MAX_KINDS or any(len(kind) > 40 or not kind.replace(".", "").replace("_", "").isalnum()
                                     for kind in kinds):  # fmt: skip
        raise InvalidInput(f"'kind' is up to {MAX_KINDS} comma-separated kinds such as 'policy.saved' or 'user.'")
    return kinds


async def audit_events(request: Request) -> Response:
    principal = await caller(request)
    if principal.role is not UserRole.ADMIN:
        raise PermissionDenied("only admins read the audit trail")
    kinds = _kinds(request.query_params.get("kind"))
    raw_limit = request.query_params.get("limit", str(DEFAULT_LIMIT))
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise InvalidInput(f"'limit' must be a whole number from 1 to {MAX_LIMIT}")
    limit = int(raw_limit)

    def work(db: Session) -> list[dict[str, Any]]:
        stmt = select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.actor_id)
        if kinds:
            stmt = stmt.where(or_(*(AuditEvent.kind.startswith(k, autoescape=True) if k.endswith(".")
                                    else AuditEvent.kind == k for k in kinds)))  # fmt: skip
        rows = db.execute(stmt.order_by(AuditEvent.id.desc()).limit(limit)).all()
        return [
            {"id": event.id, "at": event.at.isoformat(), "kind": event.kind, "room_id": event.room_id,
             "actor": {"id": event.actor_id, "name": name} if event.actor_id is not None else None,
             "data": event.data}
            for event, name in rows
        ]  # fmt: skip

    return JSONResponse({"events": await in_db(request, work)})


routes = [Route("/api/audit", audit_events, methods=["GET"])]
