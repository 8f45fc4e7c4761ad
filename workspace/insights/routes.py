"""`GET /api/insights` (JSON) and `GET /api/insights.csv` (one row per room): deal velocity for sales
managers, VPs of sales, finance and admins (every rep, or one), and for a rep (their own rooms only)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workspace.auth.models import UserRole
from workspace.auth.principal import Principal
from workspace.errors import InvalidInput, PermissionDenied
from workspace.insights import read
from workspace.insights.report import CSV_HEADER, build, csv_rows
from workspace.storage.base import utcnow
from workspace.web import caller, in_db, services

# Who sees every rep's rooms: the people who coach, approve and forecast.
SEE_ALL = frozenset({UserRole.SALES_MANAGER, UserRole.VP_SALES, UserRole.FINANCE, UserRole.ADMIN})
PARAMS = frozenset({"from", "to", "rep"})
# A report over more than this would read every room of years; ask for a period.
MAX_DAYS = 3 * 366
# Spreadsheets run a cell that starts with one of these as a formula (CSV injection): such text gets a quote.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _day(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if len(raw) != 10:
        raise InvalidInput(f"'{name}' must be a date like 2026-12-31")
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(f"'{name}' must be a date like 2026-12-31") from exc


def _scope(request: Request, principal: Principal) -> read.Scope:
    unknown = set(request.query_params) - PARAMS
    if unknown:
        raise InvalidInput(f"unknown query parameter {sorted(unknown)[0]!r}")
    rep_raw = request.query_params.get("rep") or None
    rep_id = None
    if rep_raw is not None:
        if not rep_raw.isascii() or not rep_raw.isdigit() or len(rep_raw) > 12:
            raise InvalidInput("'rep' must be a person's id")
        rep_id = int(rep_raw)
    if principal.role is UserRole.REP:
        if rep_id is not None and rep_id != principal.user_id:
            raise PermissionDenied("a rep sees the insights of their own rooms")
        rep_id = principal.user_id
    elif principal.role not in SEE_ALL:
        raise PermissionDenied("the insights are for reps, sales managers, VPs of sales, finance and admins")
    first, last = _day(request, "from"), _day(request, "to")
    if first and last and first > last:
        raise InvalidInput("'from' must not be after 'to'")
    if first and last and (last - first).days > MAX_DAYS:
        raise InvalidInput(f"the period may span at most {MAX_DAYS} days")
    start = datetime.combine(first, time(), UTC) if first else None
    end = datetime.combine(last + timedelta(days=1), time(), UTC) if last else None  # `to` is inclusive
    return read.Scope(start, end, rep_id)


async def _report(request: Request) -> tuple[dict[str, Any], read.Scope]:
    principal = await caller(request)
    scope = _scope(request, principal)
    svc = services(request)
    await svc.timings.flush()  # the pricing runs of the last seconds count too
    now = utcnow()

    def work(db: Session) -> dict[str, Any]:
        found = read.histories(db, scope)
        timings = read.timings(db, [history.room_id for history in found])
        return build(found, timings, read.names(db), now)

    report = await in_db(request, work)
    report["filters"] = {
        "from": request.query_params.get("from") or None,
        "to": request.query_params.get("to") or None,
        "rep": scope.rep_id,
    }
    return report, scope


async def insights(request: Request) -> Response:
    report, _ = await _report(request)
    return JSONResponse(report, headers={"Cache-Control": "no-store"})


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


async def insights_csv(request: Request) -> Response:
    report, scope = await _report(request)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in csv_rows(report):
        writer.writerow([_cell(value) for value in row])
    stamp = utcnow().strftime("%Y-%m-%d")
    name = (
        f"dealroom-insights-{stamp}.csv" if scope.rep_id is None else f"dealroom-insights-rep{scope.rep_id}-{stamp}.csv"
    )
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


routes = [
    Route("/api/insights", insights, methods=["GET"]),
    Route("/api/insights.csv", insights_csv, methods=["GET"]),
]
