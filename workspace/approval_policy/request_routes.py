"""HTTP routes of approval requests: submit (rep), recall (rep), the inbox, a decision (approvers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pycrdt import Doc
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import approvals
from approvals import Decision
from clauses.errors import ClauseError
from workspace.activity import events as activity
from workspace.activity.listeners import decided_mail
from workspace.approval_policy import requests, views
from workspace.approval_policy.delegations import delegations_in_force
from workspace.approval_policy.routes import current_version
from workspace.auth.models import User
from workspace.clause_library.deviations import deviation_view
from workspace.derive import Priced, RoomDeal, pinned_book, price_room
from workspace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from workspace.insights import timings
from workspace.insights.timings import stopwatch
from workspace.notify.approvals import approval_mails
from workspace.notify.mail import Mail
from workspace.pricing.views import unpriceable_reason
from workspace.proposals.accepted import accepted_fingerprint
from workspace.record.snapshots import take_after
from workspace.rooms.access import room_access
from workspace.rooms.models import Room, RoomRole
from workspace.storage.base import utcnow
from workspace.sync.documents import DocName
from workspace.web import caller, field, in_db, json_body, services


def _view(request: approvals.Request) -> dict[str, Any]:
    plain = approvals.request_to_plain(request)
    return {"request_id": request.id, **plain}


def _refresh_room(http: Request, room_id: str, shown: dict[str, Any]) -> None:
    """The room shows the request's state at once (`shown` is `views.request_view` of it)."""
    services(http).request_changed(room_id)


def _mails(http: Request, db: Session, room_id: str, before: approvals.Request | None,
           after: approvals.Request) -> list[Mail]:  # fmt: skip
    svc = services(http)
    room = db.get(Room, room_id)
    title = room.title if room is not None else "A deal"
    return approval_mails(db, svc.links, svc.settings.public_url, title, before, after)


async def submit(http: Request) -> Response:
    principal = await caller(http)
    room_id = http.path_params["room_id"]
    current = await current_version(http, principal, room_id)
    if current.access.role is not RoomRole.REP:
        raise PermissionDenied("only the room's rep submits it for approval")
    if not current.required or current.policy is None:
        raise InvalidInput("this version needs no approval")
    unpriceable = unpriceable_reason(current.priced.internal)
    if unpriceable is not None:
        raise Conflict(unpriceable)
    policy = current.policy
    now = utcnow()

    def work(db: Session) -> tuple[approvals.Request, list[Mail], dict[str, Any]]:
        with stopwatch() as routing:
            submitted = requests.submit(db, room_id, principal.user_id, policy, current.required,
                                        current.fingerprint, now)  # fmt: skip
        timings.add(db, "routing", room_id, routing.ms, now)
        activity.add(db, room_id, "approval.submitted", actor=activity.Actor(principal.user_id, principal.name, "rep"),
                     audience=activity.Audience.INTERNAL, at=now,
                     subject={"request_id": submitted.id, "steps": len(submitted.steps)},
                     summary=f"{principal.name} submitted the deal for approval")  # fmt: skip
        return submitted, _mails(http, db, room_id, None, submitted), views.request_view(db, submitted)

    submitted, mails, shown = await in_db(http, work)
    _refresh_room(http, room_id, shown)
    # The version sent for approval is kept, to compare with later (workspace/record).
    await take_after(services(http), room_id, "submitted", "Submitted for approval", principal.user_id)
    await services(http).mailer.send(mails)
    return JSONResponse(_view(submitted), status_code=201)


async def recall(http: Request) -> Response:
    principal = await caller(http)
    request_id = http.path_params["request_id"]

    def work(db: Session) -> tuple[str, approvals.Request, dict[str, Any]]:
        row, request = requests.load(db, request_id)
        if room_access(db, principal, row.room_id).role is not RoomRole.REP:
            raise PermissionDenied("only the room's rep recalls its request")
        room_id, recalled = requests.recall(db, row, request, principal.user_id, utcnow())
        activity.add(db, room_id, "approval.recalled", actor=activity.Actor(principal.user_id, principal.name, "rep"),
                     audience=activity.Audience.INTERNAL, subject={"request_id": recalled.id},
                     summary=f"{principal.name} recalled the approval request")  # fmt: skip
        return room_id, recalled, views.request_view(db, recalled)

    room_id, recalled, shown = await in_db(http, work)
    _refresh_room(http, room_id, shown)
    return JSONResponse(_view(recalled))


# Steps whose rule tested these decide on words: the approver sees the edited clauses, not just a category.
CLAUSE_FACTS = frozenset({"non_standard_clauses", "clause_approvals"})


async def _clause_wording(http: Request, room_id: str) -> list[dict[str, Any]]:
    """The room's clause blocks that need approval now, each with its word diff against the library."""
    svc = services(http)
    doc = await svc.rooms.current_doc(room_id, DocName.SHARED)
    try:
        library, found = await svc.deriver.check_doc(doc)
    except ClauseError:
        return []
    return [deviation_view(d, library, internal=True) for d in found if d.approval is not None]


async def _with_clause_wording(http: Request, items: list[dict[str, Any]]) -> None:
    rooms: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        if not any(fact["fact"] in CLAUSE_FACTS for fact in item["facts"]):
            continue
        if item["room_id"] not in rooms:
            rooms[item["room_id"]] = await _clause_wording(http, item["room_id"])
        item["clauses"] = rooms[item["room_id"]]


async def inbox(http: Request) -> Response:
    principal = await caller(http)
    items = await in_db(http, lambda db: requests.inbox(db, principal.user_id, utcnow()))
    await _with_clause_wording(http, items)
    return JSONResponse({"items": items})


def _decision(data: dict[str, Any]) -> tuple[Decision, str, str]:
    choice = field(data, "decision", str)
    if choice not in ("approve", "reject"):
        raise InvalidInput("'decision' must be 'approve' or 'reject'")
    blank = isinstance(data.get("comment"), str) and not data["comment"].strip()  # "" means no comment
    comment = "" if blank else field(data, "comment", str, max_length=2000, required=False) or ""
    version = field(data, "fingerprint", str, max_length=64)
    return (Decision.APPROVE if choice == "approve" else Decision.REJECT), comment, version


async def _decide_and_tell(http: Request, request_id: str, step_id: str, user_id: int, data: dict[str, Any],
                           check_room: Callable[[Session, str], object]) -> Response:  # fmt: skip
    decision, comment, version = _decision(data)
    svc = services(http)
    room_id = await in_db(http, lambda db: requests.room_of(db, request_id))
    # The version to approve is the room's as it is now: a request for a version the room has left is stale
    # even if nobody has resubmitted yet (the deal may be worse than what the approver is shown).
    doc = await svc.rooms.current_doc(room_id, DocName.SHARED)
    now_version = accepted_fingerprint(doc, svc.proposals.pending(room_id))  # a pending proposal is not approved
    # A room moved to a price book that dropped one of its products has no price to approve.
    unpriceable = None
    if decision is Decision.APPROVE:
        unpriceable = unpriceable_reason((await _priced_now(http, room_id, doc)).public)

    def work(db: Session) -> tuple[str, approvals.Request, list[Mail], dict[str, Any]]:
        now = utcnow()
        row, before = requests.load(db, request_id)
        check_room(db, row.room_id)
        approver = db.get(User, user_id)
        if approver is None or not approver.is_active:
            raise PermissionDenied("this account is deactivated")
        if user_id == before.submitted_by:
            raise PermissionDenied("you submitted this request: someone else approves it")
        # Who may decide before anything about the version: a caller who may not learns nothing of the request.
        approvals.lifecycle.deciding_for(before, step_id, actor=user_id, at=now,
                                         delegations=delegations_in_force(db, now))  # fmt: skip
        if before.fingerprint != now_version and before.state is approvals.RequestState.PENDING:
            raise approvals.StaleFingerprint("the deal changed since this was submitted; the rep resubmits it")
        if unpriceable is not None:
            raise Conflict(unpriceable)
        room_id, decided = requests.decide(db, row, before, step_id, user_id, decision, comment, version, now)
        if decided != before:  # a repeated decision changes nothing: no second event, no second mail
            verb = "approved" if decision is Decision.APPROVE else "rejected"
            activity.add(db, room_id, "approval.decided", actor=activity.Actor(user_id, approver.name, "approver"),
                         audience=activity.Audience.INTERNAL, at=now,
                         subject={"request_id": request_id, "step_id": step_id, "decision": decision.value},
                         summary=f"{approver.name} {verb} a step of the approval request")  # fmt: skip
            decided_step = decided.step(step_id)
            step_name = f" ({decided_step.name})" if decided_step is not None else ""
            decided_mail(db, svc, room_id, f"{approver.name} {verb} your approval request{step_name}")
        return room_id, decided, _mails(http, db, room_id, before, decided), views.request_view(db, decided)

    room_id, decided, mails, shown = await in_db(http, work)
    svc.digest.wake()  # the rep's mail of the decision
    _refresh_room(http, room_id, shown)
    step = decided.step(step_id)
    verb = "Approved" if decision is Decision.APPROVE else "Rejected"
    label = f"{verb}: {step.name}" if step is not None else verb
    await take_after(services(http), room_id, "decided", label, user_id)
    await services(http).mailer.send(mails)
    return JSONResponse(_view(decided))


async def decide(http: Request) -> Response:
    principal = await caller(http)
    data = await json_body(http)

    def check_room(db: Session, room_id: str) -> object:
        return room_access(db, principal, room_id)  # approvers of other companies' rooms: 404

    return await _decide_and_tell(http, http.path_params["request_id"], http.path_params["step_id"],
                                  principal.user_id, data, check_room)  # fmt: skip


async def link_view(http: Request) -> Response:
    """What a mailed link opens: the one step it is for, with what the approver needs to decide."""
    link = services(http).links.read(http.path_params["token"])

    def work(db: Session) -> dict[str, Any]:
        row, request = requests.load(db, link.request_id)
        step = request.step(link.step_id)
        room = db.get(Room, row.room_id)
        if step is None or room is None:
            raise NotFound("this link is not valid")
        history = [earlier for _, earlier in requests.room_requests(db, row.room_id) if earlier.id != request.id]
        decided = step.decided_for().get(link.user_id)
        asker = views.people(db, [request.submitted_by]).get(str(request.submitted_by), {})
        return {"request_id": request.id, "room_id": row.room_id, "step_id": step.id, "name": step.name,
                "reason": step.reason,
                "room_title": room.title, "customer_name": room.customer_name,
                "submitted_by": asker.get("name", ""),
                "fingerprint": request.fingerprint, "request_state": str(request.state),
                "step_state": str(step.state), "your_decision": str(decided) if decided is not None else None,
                "facts": views.tested_facts(step, views.last_approved(step.id, history))}  # fmt: skip

    shown = await in_db(http, work)
    await _with_clause_wording(http, [shown])
    shown["summary"] = await _deal_summary(http, shown["room_id"])
    shown.pop("room_id")  # the link grants this step, not the room
    return JSONResponse(shown)


async def _priced_now(http: Request, room_id: str, doc: Doc | None = None) -> Priced:
    """The room priced as it is now, on its pinned price book."""
    svc = services(http)
    book, plan = await in_db(http, lambda db: pinned_book(db, svc.catalog, room_id))
    if doc is None:
        doc = await svc.rooms.current_doc(room_id, DocName.SHARED)
    room_deal = RoomDeal.read(doc, svc.deriver.vendor, svc.proposals.pending(room_id))
    return await run_in_threadpool(price_room, room_deal, book, plan)


async def _deal_summary(http: Request, room_id: str) -> dict[str, Any]:
    """The deal in a line, for an approver deciding on a phone: value, term and discount, priced now."""
    quote = (await _priced_now(http, room_id)).internal  # an approver is internal
    totals = quote.get("totals", {})
    return {"currency": quote.get("currency"), "term_months": quote.get("term_months"),
            "net_total": totals.get("net_total"), "first_year": totals.get("first_year"),
            "total_discount_pct": totals.get("total_discount_pct"),
            "max_line_discount_pct": totals.get("max_line_discount_pct"),
            "lines": len(quote.get("lines", []))}  # fmt: skip


async def link_decide(http: Request) -> Response:
    """Decide the linked step without signing in: the signed link is the approver's credential for it."""
    token = http.path_params["token"]
    services(http).attempts.check(f"link:{token[-24:]}")
    link = services(http).links.read(token)
    data = await json_body(http)
    return await _decide_and_tell(http, link.request_id, link.step_id, link.user_id, data, lambda db, room: None)


routes = [
    Route("/api/rooms/{room_id}/approvals", submit, methods=["POST"]),
    Route("/api/approvals/inbox", inbox, methods=["GET"]),
    Route("/api/approvals/{request_id}/recall", recall, methods=["POST"]),
    Route("/api/approvals/{request_id}/steps/{step_id}/decision", decide, methods=["POST"]),
    Route("/api/approvals/link/{token}", link_view, methods=["GET"]),
    Route("/api/approvals/link/{token}/decision", link_decide, methods=["POST"]),
]
