"""HTTP routes of deal rooms: create, list, read, change, invite, accept, snapshot."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workspace.activity import events as activity
from workspace.auth.models import User
from workspace.auth.principal import open_session
from workspace.auth.routes import set_session_cookies
from workspace.errors import InvalidInput, Unprocessable
from workspace.notify.mail import Mail
from workspace.rooms import service
from workspace.rooms.access import RoomAccess, implied_role, member_role_for, room_access
from workspace.rooms.models import Membership, Room, RoomRole
from workspace.sync.documents import DocName, to_json
from workspace.sync.models import DocSnapshot, DocUpdate
from workspace.templates import service as templates
from workspace.templates.models import RoomTemplate
from workspace.web import caller, field, in_db, json_body, services


def _room_view(access: RoomAccess) -> dict[str, Any]:
    return {**access.room.public(), "role": access.role.value}


async def create_room(request: Request) -> Response:
    principal = await caller(request)
    data = await json_body(request)
    title = field(data, "title", str)
    customer_name = field(data, "customer_name", str)
    template_id = data.get("template")
    if template_id is not None and (not isinstance(template_id, int) or isinstance(template_id, bool)):
        raise InvalidInput("'template' is the id of a template (a whole number) or null")
    svc = services(request)

    def work(db: Session) -> dict[str, Any]:
        room = service.create_room(db, principal, title, customer_name)
        view = _room_view(RoomAccess(room, RoomRole.REP))
        if template_id is not None:
            template = db.get(RoomTemplate, template_id)
            if template is None:
                problem = "there is no such template: pick one of GET /api/templates"
                raise Unprocessable(problem, fields={"template": "no such template"}, errors=[f"template: {problem}"])
            version = room.price_book_version
            book = svc.catalog.book(db, version) if version is not None else None
            start = templates.room_start(template, svc.clause_store.library(db), book)
            db.add(DocUpdate(room_id=room.id, doc=DocName.SHARED.value, payload=start))
            view["template"] = {"id": template.id, "name": template.name}
        return view

    return JSONResponse(await in_db(request, work), status_code=201)


async def list_rooms(request: Request) -> Response:
    principal = await caller(request)
    query = request.query_params.get("q", "").strip().lower()[:200]

    def work(db: Session) -> list[dict[str, Any]]:
        stmt = select(Room, Membership.role).outerjoin(
            Membership, (Membership.room_id == Room.id) & (Membership.user_id == principal.user_id)
        )
        implied = implied_role(principal)
        if implied is None:  # reps and customers: only the rooms they are members of
            stmt = stmt.where(Membership.user_id.is_not(None))
        if query:
            like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            stmt = stmt.where(or_(Room.title.ilike(like, escape="\\"), Room.customer_name.ilike(like, escape="\\")))
        views = []
        for room, member_role in db.execute(stmt.order_by(Room.created_at.desc())):
            role = member_role_for(principal, member_role) if member_role else implied
            if role is not None:
                views.append(_room_view(RoomAccess(room, role)))
        edited = _last_edits(db, [view["id"] for view in views])
        for view in views:
            view["last_edit_at"] = edited.get(view["id"], view["created_at"])
        return views

    views = await in_db(request, work)
    here = _people_here(request)
    for view in views:
        view["people_here"] = here.get(view["id"], 0)
    return JSONResponse({"rooms": views})


def _last_edits(db: Session, room_ids: list[str]) -> dict[str, str]:
    """When each room's documents last changed: the newest log row, else the last compaction."""
    if not room_ids:
        return {}
    found: dict[str, str] = {}
    snapshots = select(DocSnapshot.room_id, func.max(DocSnapshot.compacted_at)).group_by(DocSnapshot.room_id)
    updates = select(DocUpdate.room_id, func.max(DocUpdate.created_at)).group_by(DocUpdate.room_id)
    for query in (snapshots, updates):  # log rows are newer than any snapshot they are not in
        for room_id, at in db.execute(query.where(query.selected_columns[0].in_(room_ids))):
            if at is not None:
                found[room_id] = at.isoformat()  # max() keeps the column's type: an aware UTC datetime
    return found


def _people_here(request: Request) -> dict[str, int]:
    """How many different people have a room open right now (on this server)."""
    people: dict[str, set[int]] = {}
    for connection in services(request).live:
        people.setdefault(connection.room_id, set()).add(connection.identity.user_id)
    return {room_id: len(users) for room_id, users in people.items()}


async def get_room(request: Request) -> Response:
    principal = await caller(request)
    room_id = request.path_params["room_id"]

    def work(db: Session) -> dict[str, Any]:
        access = room_access(db, principal, room_id)
        rows = db.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.room_id == room_id)
            .order_by(User.name)
        ).all()
        members = [{"id": u.id, "name": u.name, "role": m.role} for m, u in rows]
        return {**_room_view(access), "members": members}

    return JSONResponse(await in_db(request, work))


async def patch_room(request: Request) -> Response:
    principal = await caller(request)
    room_id = request.path_params["room_id"]
    data = await json_body(request)
    unknown = set(data) - {
        "title",
        "customer_name",
        "customer_may_edit_pricing",
        "customer_deal_fields",
        "customer_changes",
    }
    if unknown:
        raise InvalidInput(f"unknown field {sorted(unknown)[0]!r}")
    deal_fields = data.get("customer_deal_fields")
    if deal_fields is not None and (
        not isinstance(deal_fields, list) or not all(isinstance(f, str) for f in deal_fields)
    ):
        raise InvalidInput("'customer_deal_fields' must be a list of field names")
    changes = service.RoomChanges(
        title=field(data, "title", str, required=False),
        customer_name=field(data, "customer_name", str, required=False),
        customer_may_edit_pricing=field(data, "customer_may_edit_pricing", bool, required=False),
        customer_deal_fields=deal_fields,
        customer_changes=field(data, "customer_changes", str, max_length=16, required=False),
    )
    access = await in_db(request, lambda db: service.change_room(db, principal, room_id, changes))
    _refresh_live_connections(request, access)
    return JSONResponse(_room_view(access))


def _refresh_live_connections(request: Request, access: RoomAccess) -> None:
    """Open connections write under the room's new settings from their next message on."""
    for connection in list(services(request).live):
        if connection.room_id == access.room.id:
            identity = connection.identity
            context = dataclasses.replace(
                identity.context,
                customer_may_edit_pricing=access.room.customer_may_edit_pricing,
                customer_deal_fields=frozenset(access.room.customer_deal_fields or ()),
                customer_changes_direct=access.room.customer_changes == "direct",
            )
            connection.identity = dataclasses.replace(identity, context=context)


async def create_invitation(request: Request) -> Response:
    principal = await caller(request)
    room_id = request.path_params["room_id"]
    data = await json_body(request)
    email = field(data, "email", str, max_length=320)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise InvalidInput("'email' is not an email address")
    name = field(data, "name", str)
    role_name = field(data, "role", str, required=False) or RoomRole.CUSTOMER.value
    if role_name not in (RoomRole.CUSTOMER.value, RoomRole.VIEWER.value):
        raise InvalidInput("'role' must be 'customer' or 'viewer'")
    svc = services(request)
    days = svc.settings.invitation_days

    def work(db: Session) -> tuple[str, str]:
        token = service.invite(db, principal, room_id, email, name, RoomRole(role_name), days)
        room = db.get(Room, room_id)
        activity.add(db, room_id, "invite", actor=activity.Actor(principal.user_id, principal.name, RoomRole.REP.value),
                     audience=activity.Audience.INTERNAL, subject={"name": name, "email": email, "role": role_name},
                     summary=f"{principal.name} invited {name} ({role_name})")  # fmt: skip
        return token, room.title if room is not None else "a deal room"

    token, title = await in_db(request, work)
    url = f"{svc.settings.public_url.rstrip('/')}/invite/{token}"
    # The invitee hears of it by mail too (the rep may also pass the link on); a failed mail is only logged.
    body = (f"{principal.name} invites you to the deal room \"{title}\".\n\nOpen it here (the link is yours "
            f"alone, works once and expires in {days} days):\n{url}\n")  # fmt: skip
    await svc.mailer.send([Mail(email, f"{principal.name} invites you to {title}", body)])
    return JSONResponse({"url": url, "token": token, "expires_in_days": days}, status_code=201)


async def show_invitation(request: Request) -> Response:
    """The invitation as its page shows it; no sign-in (the token is the credential), throttled like accepting."""
    token = request.path_params["token"]
    services(request).attempts.check(f"invitation:{token}")
    return JSONResponse(await in_db(request, lambda db: service.describe_invitation(db, token)))


async def accept_invitation(request: Request) -> Response:
    token = request.path_params["token"]
    data = await json_body(request)
    name = field(data, "name", str, required=False)
    password = field(data, "password", str, max_length=512, strip=False)
    services(request).attempts.check(f"invitation:{token}")
    days = services(request).settings.session_days

    def work(db: Session) -> tuple[dict[str, Any], str, Any]:
        user, room_id = service.accept_invitation(db, token, name, password)
        session = open_session(db, user, days)
        return user.public(), room_id, session

    user, room_id, session = await in_db(request, work)
    response = JSONResponse({"user": user, "room_id": room_id})
    set_session_cookies(request, response, session)
    return response


async def snapshot(request: Request) -> Response:
    """The room's documents as JSON, as far as the caller may see them."""
    principal = await caller(request)
    room_id = request.path_params["room_id"]
    access = await in_db(request, lambda db: room_access(db, principal, room_id))
    names = [DocName.SHARED] + ([DocName.INTERNAL] if access.role.is_internal else [])
    return JSONResponse({name.value: await _doc_json(request, room_id, name) for name in names})


async def _doc_json(request: Request, room_id: str, name: DocName) -> dict[str, object]:
    return to_json(await services(request).rooms.current_doc(room_id, name), name)


routes = [
    Route("/api/rooms", create_room, methods=["POST"]),
    Route("/api/rooms", list_rooms, methods=["GET"]),
    Route("/api/rooms/{room_id}", get_room, methods=["GET"]),
    Route("/api/rooms/{room_id}", patch_room, methods=["PATCH"]),
    Route("/api/rooms/{room_id}/invitations", create_invitation, methods=["POST"]),
    Route("/api/invitations/{token}", show_invitation, methods=["GET"]),
    Route("/api/invitations/{token}/accept", accept_invitation, methods=["POST"]),
    Route("/api/rooms/{room_id}/snapshot", snapshot, methods=["GET"]),
]
