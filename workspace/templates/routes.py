"""HTTP routes of room templates: internal people list and read them (the new-room form offers them);
admins create, change (with the revision they read) and delete them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workspace.auth.models import UserRole
from workspace.auth.principal import Principal
from workspace.errors import NotFound, PermissionDenied
from workspace.ids import path_id
from workspace.pricing import PriceBook
from workspace.templates import service
from workspace.templates.models import RoomTemplate
from workspace.web import caller, in_db, json_body, require_internal, services

if TYPE_CHECKING:
    from workspace.services import Services

MAX_TEMPLATE_BYTES = 64 * 1024


def _admin(principal: Principal) -> None:
    if principal.role is not UserRole.ADMIN:
        raise PermissionDenied("only admins keep the templates for new rooms")


def _book(db: Session, svc: Services) -> PriceBook | None:
    try:
        return svc.catalog.book(db)
    except NotFound:
        return None


async def list_templates(request: Request) -> Response:
    principal = await caller(request)
    require_internal(principal)

    def work(db: Session) -> list[dict[str, Any]]:
        rows = db.execute(select(RoomTemplate).order_by(RoomTemplate.deal_type, RoomTemplate.name)).scalars()
        return [service.template_view(row) for row in rows]

    return JSONResponse({"templates": await in_db(request, work)})


async def get_template(request: Request) -> Response:
    principal = await caller(request)
    require_internal(principal)
    template_id = path_id(request, "template_id", "template")
    return JSONResponse(await in_db(request, lambda db: service.template_view(service.get(db, template_id))))


async def create_template(request: Request) -> Response:
    principal = await caller(request)
    _admin(principal)
    data = await json_body(request, MAX_TEMPLATE_BYTES)
    svc = services(request)

    def work(db: Session) -> dict[str, Any]:
        fields = service.checked(data, svc.clause_store.library(db), _book(db, svc))
        return service.template_view(service.create(db, fields, principal.user_id))

    return JSONResponse(await in_db(request, work), status_code=201)


async def change_template(request: Request) -> Response:
    principal = await caller(request)
    _admin(principal)
    template_id = path_id(request, "template_id", "template")
    data = await json_body(request, MAX_TEMPLATE_BYTES)
    svc = services(request)

    def work(db: Session) -> dict[str, Any]:
        service.get(db, template_id)  # 404 before the body's problems
        fields = service.checked(data, svc.clause_store.library(db), _book(db, svc))
        changed = service.change(db, template_id, data.get("revision"), fields, principal.user_id)
        return service.template_view(changed)

    return JSONResponse(await in_db(request, work))


async def delete_template(request: Request) -> Response:
    principal = await caller(request)
    _admin(principal)
    template_id = path_id(request, "template_id", "template")
    await in_db(request, lambda db: service.delete(db, template_id, principal.user_id))
    return Response(status_code=204)


routes = [
    Route("/api/templates", list_templates, methods=["GET"]),
    Route("/api/templates", create_template, methods=["POST"]),
    Route("/api/templates/{template_id:int}", get_template, methods=["GET"]),
    Route("/api/templates/{template_id:int}", change_template, methods=["PUT"]),
    Route("/api/templates/{template_id:int}", delete_template, methods=["DELETE"]),
]
