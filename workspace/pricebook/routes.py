"""HTTP routes: the price book (admin writes, internal reads, JSON or CSV), product facts, the
incentive plan, a room's quote and moving a room to the newest price book."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from workspace.auth.models import UserRole
from workspace.auth.principal import Principal
from workspace.derive import RoomDeal, pinned_book, price_room
from workspace.errors import InvalidInput, NotFound, PermissionDenied
from workspace.ids import parse_id
from workspace.pricebook.csv_format import export_csv, import_csv
from workspace.pricebook.diff import book_diff
from workspace.pricing import PriceBook, Product
from workspace.pricing.entry import PriceLimits
from workspace.rooms.access import room_access
from workspace.rooms.service import require_rep
from workspace.sync.documents import DocName
from workspace.web import caller, in_db, json_body, read_body, require_internal, services

# A price book of a few thousand products with tiers and facts is a few MB of JSON.
MAX_BOOK_BYTES = 8 * 1024 * 1024


def _require_admin(principal: Principal) -> None:
    if principal.role is not UserRole.ADMIN:
        raise PermissionDenied("only admins change the price book and the incentive plan")


def _wants_csv(request: Request) -> bool:
    return request.query_params.get("format") == "csv" or "text/csv" in request.headers.get("accept", "")


async def get_pricebook(request: Request) -> Response:
    principal = await caller(request)
    require_internal(principal)
    catalog = services(request).catalog
    version = request.query_params.get("version")
    if version is not None and not version.isdigit():
        raise InvalidInput("'version' must be a whole number")
    number = parse_id(version, "price book version") if version else None
    data = await in_db(request, lambda db: catalog.book_data(db, number))
    if _wants_csv(request):
        return PlainTextResponse(export_csv(data), media_type="text/csv; charset=utf-8")
    return JSONResponse(data)


def _base_version(request: Request) -> int | None:
    """`?base_version=N`: the version the editor started from; the save is refused (409) if it is not the newest."""
    base = request.query_params.get("base_version")
    if base is None:
        return None
    if not base.isdigit() or len(base) > 9:
        raise InvalidInput("'base_version' must be a whole number (0 when there is no price book yet)")
    return int(base)


async def _draft(request: Request) -> Callable[[Session], dict[str, Any]]:
    """The book in the request body (JSON, or CSV merged into the newest version), read in the transaction."""
    catalog = services(request).catalog
    if request.headers.get("content-type", "").startswith("text/csv"):
        try:
            text = (await read_body(request, MAX_BOOK_BYTES)).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"the CSV is not UTF-8 text (byte {exc.start} cannot be read)") from exc

        def from_csv(db: Session) -> dict[str, Any]:
            current = catalog.book_data(db) if catalog.latest_book_version(db) else None
            return import_csv(text, current)

        return from_csv
    data = await json_body(request, MAX_BOOK_BYTES)
    return lambda db: data


async def put_pricebook(request: Request) -> Response:
    principal = await caller(request)
    _require_admin(principal)
    catalog = services(request).catalog
    base = _base_version(request)
    draft = await _draft(request)

    def save(db: Session) -> tuple[PriceBook, dict[str, Any]]:
        previous = catalog.book_data(db) if catalog.latest_book_version(db) else None
        data = draft(db)
        book = catalog.save_book(db, data, principal.user_id, base)
        return book, book_diff(previous, data)

    book, diff = await in_db(request, save)
    # Rooms opened before there was any book are pinned to this one when next priced: their open
    # connections are held to it from now on. Rooms pinned to an older version keep theirs.
    _refresh_limits(request, lambda connection: connection.identity.context.prices is None, PriceLimits.of(book))
    services(request).price_book_saved(book.version)  # the same in the other workers
    return JSONResponse({"version": book.version, "products": len(book.products), "diff": diff})


async def check_pricebook(request: Request) -> Response:
    """A draft book (JSON or CSV) checked and compared with the newest version, without saving anything."""
    principal = await caller(request)
    _require_admin(principal)
    catalog = services(request).catalog
    draft = await _draft(request)

    def work(db: Session) -> dict[str, Any]:
        latest = catalog.latest_book_version(db)
        previous = catalog.book_data(db) if latest else None
        data = draft(db)
        return {"base_version": latest, "errors": catalog.problems(data), "diff": book_diff(previous, data),
                "book": data}  # fmt: skip

    return JSONResponse(await in_db(request, work))


async def list_versions(request: Request) -> Response:
    principal = await caller(request)
    _require_admin(principal)
    catalog = services(request).catalog
    return JSONResponse({"versions": await in_db(request, catalog.versions)})


async def version_diff(request: Request) -> Response:
    """`?to=N` (default: the newest) against `?from=M` (default: the version before N)."""
    principal = await caller(request)
    _require_admin(principal)
    catalog = services(request).catalog
    numbers = {}
    for name in ("from", "to"):
        value = request.query_params.get(name)
        if value is not None and not value.isdigit():
            raise InvalidInput(f"'{name}' must be a whole number")
        numbers[name] = parse_id(value, "price book version") if value else None

    def work(db: Session) -> dict[str, Any]:
        to = numbers["to"] or catalog.latest_book_version(db)
        if to is None:
            raise NotFound("there is no price book yet")
        after = catalog.book_data(db, to)
        since = numbers["from"] if numbers["from"] is not None else (to - 1 if to > 1 else None)
        before = catalog.book_data(db, since) if since is not None else None
        return {"from": since, "to": to, "diff": book_diff(before, after)}

    return JSONResponse(await in_db(request, work))


def _refresh_limits(request: Request, which: Callable[[Any], bool], limits: PriceLimits) -> None:
    """Open connections write under `limits` (the SKUs and currencies the guard lets through) from their
    next message on."""
    services(request).refresh_price_limits(which, limits)


def _summary(product: Product) -> dict[str, Any]:
    return {
        "sku": product.sku,
        "name": product.name,
        "unit": product.unit,
        "billing_period": str(product.billing_period),
        "description": product.description,
    }


async def _book_for(request: Request, principal: Principal) -> PriceBook:
    """The newest book, or with `?room=ID` the version that room is pinned to (it must be the caller's)."""
    catalog = services(request).catalog
    room_id = request.query_params.get("room")

    def work(db: Session) -> PriceBook:
        if room_id is None:
            return catalog.book(db)
        return catalog.book(db, room_access(db, principal, room_id).room.price_book_version)

    return await in_db(request, work)


async def list_products(request: Request) -> Response:
    principal = await caller(request)
    book = await _book_for(request, principal)
    products = [_summary(product) for product in book.products if product.active]
    return JSONResponse({"version": book.version, "products": products})


async def product_facts(request: Request) -> Response:
    principal = await caller(request)
    sku = request.path_params["sku"]
    book = await _book_for(request, principal)
    product = book.product(sku)
    if product is None:
        raise NotFound(f"no product {sku} in the price book")
    facts = product.facts if principal.is_internal else book.facts_for_customer(sku)
    assert facts is not None
    view: dict[str, Any] = {
        **_summary(product),
        "facts": {
            "collateral": [
                {"title": link.title, "url": link.url, **({"internal": True} if link.internal else {})}
                for link in facts.collateral
            ],
            "often_bought_with": list(facts.often_bought_with),
        },
    }
    if principal.is_internal:
        view["facts"]["competitor_notes"] = [
            {"competitor": note.competitor, "note": note.note} for note in facts.competitor_notes
        ]
    return JSONResponse(view)


async def get_plan(request: Request) -> Response:
    principal = await caller(request)
    require_internal(principal)
    catalog = services(request).catalog
    found = await in_db(request, catalog.plan_data)
    if found is None:
        raise NotFound("there is no incentive plan yet: an admin uploads one with PUT /api/incentives/plan")
    version, data = found
    return JSONResponse({"version": version, "plan": data})


async def put_plan(request: Request) -> Response:
    principal = await caller(request)
    _require_admin(principal)
    data = await json_body(request, MAX_BOOK_BYTES)
    catalog = services(request).catalog
    version = await in_db(request, lambda db: catalog.save_plan(db, data, principal.user_id))
    return JSONResponse({"version": version})


async def room_quote(request: Request) -> Response:
    """The room priced now: what everyone may see, plus cost, margin, floor and commission for internal roles."""
    principal = await caller(request)
    room_id = request.path_params["room_id"]
    svc = services(request)

    def work(db: Session) -> tuple[Any, ...]:
        access = room_access(db, principal, room_id)
        book, plan = pinned_book(db, svc.catalog, room_id)
        return access, book, plan

    access, book, plan = await in_db(request, work)
    doc = await svc.rooms.current_doc(room_id, DocName.SHARED)
    priced = await run_in_threadpool(price_room, RoomDeal.read(doc, pending=svc.proposals.pending(room_id)), book, plan)
    # While the customer's proposals are pending, "quote" prices the room as both sides see it (proposed) for
    # the customer, and "accepted" what the rep accepted; internal roles get cost and margin on accepted values.
    if not access.role.is_internal:
        if priced.proposed is not None:
            return JSONResponse({"quote": priced.proposed, "accepted": priced.public})
        return JSONResponse({"quote": priced.public})
    return JSONResponse({"quote": priced.internal, "commission": priced.commission, "proposed": priced.proposed})


async def upgrade_room_pricebook(request: Request) -> Response:
    """Move a room to the newest price book (rooms keep the version they were opened with until then)."""
    principal = await caller(request)
    room_id = request.path_params["room_id"]
    svc = services(request)

    def work(db: Session) -> tuple[dict[str, Any], PriceLimits | None]:
        access = room_access(db, principal, room_id)
        require_rep(access)
        latest = svc.catalog.latest_book_version(db)
        if latest is None:
            raise NotFound("there is no price book yet")
        previous = access.room.price_book_version
        access.room.price_book_version = latest
        return {"previous_version": previous, "version": latest}, svc.catalog.limits(db, latest)

    moved, limits = await in_db(request, work)
    if limits is not None:
        _refresh_limits(request, lambda connection: connection.room_id == room_id, limits)
    svc.deriver.forget(room_id)
    loaded = svc.rooms.loaded(room_id, DocName.SHARED)
    if loaded is not None:
        svc.deriver.changed(loaded)
    return JSONResponse(moved)


routes = [
    Route("/api/pricebook", get_pricebook, methods=["GET"]),
    Route("/api/pricebook", put_pricebook, methods=["PUT"]),
    Route("/api/pricebook/check", check_pricebook, methods=["POST"]),
    Route("/api/pricebook/versions", list_versions, methods=["GET"]),
    Route("/api/pricebook/diff", version_diff, methods=["GET"]),
    Route("/api/pricebook/products", list_products, methods=["GET"]),
    Route("/api/pricebook/products/{sku}", product_facts, methods=["GET"]),
    Route("/api/incentives/plan", get_plan, methods=["GET"]),
    Route("/api/incentives/plan", put_plan, methods=["PUT"]),
    Route("/api/rooms/{room_id}/quote", room_quote, methods=["GET"]),
    Route("/api/rooms/{room_id}/pricebook/upgrade", upgrade_room_pricebook, methods=["POST"]),
]
