"""HTTP routes of the clause library: internal users read and search it, legal (and admins) write it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from clauses.library import Clause, library_to_dict
from clauses.variables import VARIABLES
from workspace.auth.models import UserRole
from workspace.auth.principal import Principal
from workspace.clause_library.service import RESERVED_IDS, clause_view, matches, new_draft, publishing, retiring
from workspace.errors import InvalidInput, NotFound, PermissionDenied
from workspace.web import caller, in_db, json_body, require_internal, services

# A library of a few hundred clauses with fallbacks is well under a megabyte.
MAX_IMPORT_BYTES = 4 * 1024 * 1024
WRITERS = (UserRole.LEGAL, UserRole.ADMIN)


def _writer(principal: Principal) -> None:
    if principal.role not in WRITERS:
        raise PermissionDenied("only legal (or an admin) changes the clause library")


async def list_clauses(request: Request) -> Response:
    principal = await caller(request)
    require_internal(principal)
    query = request.query_params.get("q", "")[:200]
    category = request.query_params.get("category") or None
    library = await in_db(request, services(request).clause_store.library)
    found = [
        clause_view(c) for c in sorted(library, key=lambda c: (c.category, c.title)) if matches(c, query, category)
    ]
    return JSONResponse({"clauses": found, "categories": sorted({c.category for c in library})})


async def get_clause(request: Request) -> Response:
    clause_id = request.path_params["clause_id"]
    if clause_id in RESERVED_IDS:  # `GET /api/clauses/import`: a route of its own (POST), never a clause
        raise HTTPException(405)
    principal = await caller(request)
    require_internal(principal)
    library = await in_db(request, services(request).clause_store.library)
    clause = library.get(clause_id)
    if clause is None:
        raise NotFound("no such clause")
    return JSONResponse(clause_view(clause))


async def variables(request: Request) -> Response:
    """The variables a clause text may use, for legal's editor."""
    principal = await caller(request)
    require_internal(principal)
    return JSONResponse({"variables": [{"name": v.name, "label": v.label} for v in VARIABLES.values()]})


async def _change(request: Request, make: Callable[[Session, Principal], Clause], status: int = 200) -> Response:
    principal = await caller(request)
    _writer(principal)
    clause = await in_db(request, lambda db: make(db, principal))
    services(request).library_changed()
    return JSONResponse(clause_view(clause), status_code=status)


_CLAUSE_FIELDS = {"key", "title", "category", "text", "fallbacks", "deviation_approval"}
_VERSION_FIELDS = {"text", "fallbacks", "deviation_approval"}


async def _body(request: Request, allowed: set[str]) -> dict[str, Any]:
    """The JSON body of a library write, after checking the caller (a stranger learns nothing from errors)."""
    _writer(await caller(request))
    data = await json_body(request)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(unknown)}; expected {', '.join(sorted(allowed))}")
    return data


async def create_clause(request: Request) -> Response:
    data = await _body(request, _CLAUSE_FIELDS)
    store = services(request).clause_store
    return await _change(request, lambda db, who: store.create(db, data, who.user_id), status=201)


async def add_version(request: Request) -> Response:
    data = await _body(request, _VERSION_FIELDS)
    clause_id = request.path_params["clause_id"]
    store = services(request).clause_store
    step = new_draft(data.get("text"), data.get("fallbacks", []), data.get("deviation_approval", "legal"))
    return await _change(request, lambda db, who: store.change(db, clause_id, who.user_id, "clause.drafted", step),
                         status=201)  # fmt: skip


async def publish_version(request: Request) -> Response:
    clause_id, number = request.path_params["clause_id"], request.path_params["number"]
    store = services(request).clause_store
    step = publishing(number)
    return await _change(request, lambda db, who: store.change(db, clause_id, who.user_id, "clause.published", step))


async def retire_version(request: Request) -> Response:
    clause_id, number = request.path_params["clause_id"], request.path_params["number"]
    store = services(request).clause_store
    step = retiring(number)
    return await _change(request, lambda db, who: store.change(db, clause_id, who.user_id, "clause.retired", step))


async def export_library(request: Request) -> Response:
    principal = await caller(request)
    require_internal(principal)
    library = await in_db(request, services(request).clause_store.library)
    return JSONResponse(library_to_dict(library))


async def import_library(request: Request) -> Response:
    principal = await caller(request)
    _writer(principal)
    data: Any = await json_body(request, MAX_IMPORT_BYTES)
    store = services(request).clause_store
    count = await in_db(request, lambda db: store.import_library(db, data, principal.user_id))
    services(request).library_changed()
    return JSONResponse({"imported": count})


routes = [
    Route("/api/clauses", list_clauses, methods=["GET"]),
    Route("/api/clauses", create_clause, methods=["POST"]),
    Route("/api/clauses/variables", variables, methods=["GET"]),
    Route("/api/clauses/export", export_library, methods=["GET"]),
    Route("/api/clauses/import", import_library, methods=["POST"]),
    Route("/api/clauses/{clause_id}", get_clause, methods=["GET"]),
    Route("/api/clauses/{clause_id}/versions", add_version, methods=["POST"]),
    Route("/api/clauses/{clause_id}/versions/{number:int}/publish", publish_version, methods=["POST"]),
    Route("/api/clauses/{clause_id}/versions/{number:int}/retire", retire_version, methods=["POST"]),
]
