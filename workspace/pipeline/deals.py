"""A rep's deals, priced now by the room's own engine, with their stage and what they do to attainment.

Each room a person owns (their `rep` membership) is read from its shared document as the room's quote reads it
(the accepted values while the customer's proposals are pending), priced against the book it is pinned to, and
its commission estimated with the owner's standing in the deal's quarter (`attainment.standings`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from clauses.errors import ClauseError
from workspace.approval_policy import views
from workspace.auth.models import User
from workspace.deal import deal_facts, deal_input
from workspace.derive import RoomDeal, commission_view, pinned_book
from workspace.errors import NotFound
from workspace.pipeline.attainment import Credit, quarter_view, standings
from workspace.pipeline.stage import Progress, read_progress
from workspace.pipeline.waiting import waiting_steps
from workspace.pricing import IncentivePlan, PriceBook, Quote, estimate, price_deal
from workspace.pricing.quotas import Move, Standing, fiscal_quarter, period_label
from workspace.rooms.models import Membership, Room, RoomRole
from workspace.storage.base import utcnow
from workspace.sync.documents import DocName
from workspace.threads.model import Kind, State, all_threads

if TYPE_CHECKING:
    from workspace.services import Services


@dataclass(frozen=True)
class Owner:
    id: int
    email: str
    name: str

    def plain(self) -> dict[str, Any]:
        return {"id": self.id, "email": self.email, "name": self.name}


@dataclass
class Deal:
    """One room of the pipeline as read and priced; `standing` is filled in once every deal is priced."""

    room: Room
    owner: Owner
    progress: Progress
    room_deal: RoomDeal
    book: PriceBook | None
    questions: int
    disputes: int
    quote: Quote | None = None
    standing: Standing | None = None

    def credit(self, plan: IncentivePlan) -> Credit:
        amount = (
            estimate(self.quote, plan, None, self.room_deal.facts.close_date).credit
            if self.quote is not None
            else Decimal(0)
        )
        currency = self.quote.currency if self.quote is not None else ""
        return Credit(self.room.id, self.owner.email, currency, amount, self.room_deal.facts.close_date,
                      self.progress.stage.closed, self.progress.closed_at)  # fmt: skip


@dataclass(frozen=True)
class Pipeline:
    plan: IncentivePlan | None
    deals: list[Deal]
    people: dict[str, dict[str, str]]  # names of everyone the deals' pending requests wait on


def _owned(db: Session, owner_ids: list[int]) -> list[tuple[Room, Owner]]:
    rows = db.execute(
        select(Room, User).join(Membership, Membership.room_id == Room.id).join(User, User.id == Membership.user_id)
        .where(Membership.user_id.in_(owner_ids), Membership.role == RoomRole.REP.value)
        .order_by(Room.created_at, Room.id)
    ).all()  # fmt: skip
    return [(room, Owner(user.id, user.email, user.name)) for room, user in rows]


def _open_threads(doc: Any) -> tuple[int, int]:
    threads = [t for t in all_threads(doc) if t.get("state") != State.RESOLVED]
    return sum(t.get("kind") == Kind.QUESTION for t in threads), sum(t.get("kind") == Kind.DISPUTE for t in threads)


async def read_pipeline(svc: Services, owner_ids: list[int]) -> Pipeline:
    """Every room the owners own, priced, with each deal's standing before it."""

    def load(db: Session) -> tuple[list[tuple[Room, Owner, PriceBook | None]], dict[str, Progress], Any, Any]:
        owned = _owned(db, owner_ids)
        found: list[tuple[Room, Owner, PriceBook | None]] = []
        for room, owner in owned:
            try:
                book, _ = pinned_book(db, svc.catalog, room.id)
            except NotFound:
                book = None  # no price book yet: the deal is listed, unpriced
            found.append((room, owner, book))
        progress = read_progress(db, [room.id for room, _ in owned])
        latest = [p.requests[0] for p in progress.values() if p.requests]
        waited_on = {who for request in latest for step in request.steps for who in step.approvers}
        return found, progress, svc.catalog.plan(db), views.people(db, waited_on)

    def read() -> tuple[list[tuple[Room, Owner, PriceBook | None]], dict[str, Progress], Any, Any]:
        with svc.sessions.begin() as db:
            return load(db)

    owned, progress, plan, people = await run_in_threadpool(read)  # the documents are read on the event loop
    deals: list[Deal] = []
    for room, owner, book in owned:
        doc = await svc.rooms.current_doc(room.id, DocName.SHARED)
        try:
            room_deal = RoomDeal.read(doc, svc.deriver.vendor, svc.proposals.pending(room.id))
        except ClauseError:  # terms that cannot be read (the deriver skips such a room too): price what is there
            room_deal = RoomDeal(deal_input(doc), deal_facts(doc, utcnow().date()), {}, "")
        questions, disputes = _open_threads(doc)
        deals.append(Deal(room, owner, progress[room.id], room_deal, book, questions, disputes))

    def price() -> None:
        for deal in deals:
            deal.quote = price_deal(deal.room_deal.deal, deal.book) if deal.book is not None else None
        if plan is not None:
            found = standings(plan, [deal.credit(plan) for deal in deals])
            for deal in deals:
                deal.standing = found.get(deal.room.id)

    await run_in_threadpool(price)
    return Pipeline(plan, deals, people)


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1')).normalize():f}"


def move_view(move: Move | None, closed: bool) -> dict[str, Any] | None:
    """What the deal does to attainment, in numbers and in a sentence."""
    if move is None:
        return None
    before, after = _pct(move.before_pct), _pct(move.after_pct)
    where = (
        f"into the {move.tier_after.label} tier"
        if move.tier_after != move.tier_before
        else f"staying in the {move.tier_after.label} tier"
    )
    verb = "took" if closed else "moves"
    return {
        "before_pct": before, "after_pct": after, "tier_before": move.tier_before.label,
        "tier_after": move.tier_after.label, "tier_changes": move.tier_after != move.tier_before,
        "sentence": f"This deal {verb} you from {before} % to {after} %, {where}.",
    }  # fmt: skip


People = dict[str, dict[str, str]]


def deal_view(deal: Deal, plan: IncentivePlan | None, now: datetime, people: People) -> dict[str, Any]:
    """One row of the pipeline."""
    progress, quote, facts = deal.progress, deal.quote, deal.room_deal.facts
    last = progress.last_customer_at
    commission = commission_view(plan, quote, facts, deal.standing) if quote is not None else None
    moved = estimate(quote, plan, facts.vertical, facts.close_date, deal.standing).move if quote and plan else None
    totals = quote.totals if quote is not None and quote.priceable else None
    quarter = fiscal_quarter(facts.close_date, plan.fiscal_year_start_month)[0] if plan is not None else None
    return {
        "room_id": deal.room.id, "title": deal.room.title, "customer": deal.room.customer_name,
        "owner": deal.owner.plain(), "stage": progress.stage.value,
        "currency": quote.currency if quote is not None else None,
        "first_year": str(totals.first_year) if totals is not None else None,
        "total": str(totals.net_total) if totals is not None else None,
        "approval": approval_view(progress, now, people),
        "open_questions": deal.questions, "open_disputes": deal.disputes,
        "last_customer_activity": last.isoformat() if last is not None else None,
        "days_since_customer_activity": (now - last).days if last is not None else None,
        "close_date": facts.close_date.isoformat(),
        "quarter": period_label(quarter, plan.fiscal_year_start_month) if quarter and plan else None,
        "commission": commission, "attainment": move_view(moved, progress.stage.closed),
    }  # fmt: skip


def approval_view(progress: Progress, now: datetime, people: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The latest request's state ("none" without one) and, while it is pending, whom it waits on since when."""
    latest = progress.requests[0] if progress.requests else None
    return {
        "state": latest.state.value if latest is not None else "none",
        "request_id": latest.id if latest is not None else None,
        "waiting": waiting_steps(latest, now, people) if latest is not None else [],
    }


def quarter_of(pipeline: Pipeline, owner: Owner, today: date) -> dict[str, Any] | None:
    if pipeline.plan is None:
        return None
    return quarter_view(pipeline.plan, owner.email, [d.credit(pipeline.plan) for d in pipeline.deals], today)


def today() -> tuple[datetime, date]:
    now = utcnow()
    return now, now.astimezone(UTC).date()
