"""A few weeks of history for the demo (`workspace.demo.seed_demo`): rooms of two more reps that went through
the stages, approvals that waited on different approvers, rounds of changes, exports. Records are backdated,
never slept for; requests go through the real approval lifecycle, and the system's timings are real runs of
pricing, routing and contract generation, made while seeding and dated as the history says."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pycrdt import Doc, XmlFragment
from sqlalchemy.orm import Session

import approvals
from approvals import Decision, Policy
from clauses.contract import ContractData, Party
from clauses.document import parse_json
from clauses.export_docx import export_contract
from clauses.samples_library import sample_library
from workspace.activity.models import RoomEvent
from workspace.approval_policy.models import ApprovalRequestRow
from workspace.approval_policy.requests import resolver
from workspace.auth.models import User
from workspace.derive import RoomDeal, price_room
from workspace.exports.models import ExportRow
from workspace.insights import timings
from workspace.insights.timings import stopwatch
from workspace.pricebook.service import Catalog
from workspace.rooms.models import Invitation, Membership, Room, RoomRole
from workspace.rooms.service import initial_deal_update
from workspace.storage.base import utcnow
from workspace.sync.documents import DocName
from workspace.sync.models import DocUpdate
from workspace.terms import fragment_to_json

DEMO_REPS = [("sam@demo.test", "Sam Seller"), ("jordan@demo.test", "Jordan Closer")]
FIRST_ID = "demo-history-globex"  # present: the history is seeded


@dataclass
class Submission:
    """The rep submits at `day` with these facts; `decisions` are (step id, role, days after, decision)."""

    day: float
    facts: dict[str, Any]
    decisions: Sequence[tuple[str, str, float, Decision]]


@dataclass
class Story:
    room_id: str
    title: str
    customer: str
    contact: str
    rep: str
    opened: float  # days ago, as are all moments below
    customer_in: float | None = None
    chat: Sequence[tuple[float, str]] = ()  # (days ago, "vendor" | "customer")
    changes: Sequence[float] = ()
    counters: Sequence[float] = ()
    submissions: Sequence[Submission] = ()
    exported: float | None = None


A, R = Decision.APPROVE, Decision.REJECT
MANAGER, VP, FINANCE, LEGAL = "sales_manager", "vp_sales", "finance", "legal"
STORIES = [
    Story(
        FIRST_ID,
        "Globex — Analytics expansion",
        "Globex",
        "Gia Grant",
        "sam@demo.test",
        34,
        33,
        [(32.5, "vendor"), (31.8, "customer"), (30, "vendor"), (29.1, "customer")],
        [31, 29],
        (),
        [Submission(27, {"max_line_discount_pct": 25}, [("discount-over-20", MANAGER, 0.8, A)])],
        25.5,
    ),
    Story(
        "demo-history-initech",
        "Initech — Support upgrade",
        "Initech",
        "Ian Ito",
        "sam@demo.test",
        30,
        28,
        [(27.5, "vendor"), (26, "customer"), (23, "vendor"), (22.5, "customer")],
        [26, 21.5],
        [22],
        [
            Submission(
                24,
                {"max_line_discount_pct": 35},
                [("discount-over-20", MANAGER, 0.2, A), ("discount-over-30", VP, 2.1, A)],
            ),
            Submission(
                20.5,
                {"max_line_discount_pct": 38},
                [("discount-over-20", MANAGER, 0.4, A), ("discount-over-30", VP, 1.6, A)],
            ),
        ],
        17.5,
    ),
    Story(
        "demo-history-umbrella",
        "Umbrella — Platform pilot",
        "Umbrella",
        "Uma Urban",
        "jordan@demo.test",
        21,
        19,
        [(18.5, "vendor"), (16, "customer"), (14, "vendor"), (13.6, "customer")],
        [17, 13.5],
        [14.5],
        [
            Submission(
                16.5, {"max_line_discount_pct": 22, "payment_terms_days": 60}, [("finance-terms", FINANCE, 1.5, R)]
            ),
            Submission(
                13, {"max_line_discount_pct": 22, "payment_terms_days": 45}, [("discount-over-20", MANAGER, 1.2, A)]
            ),
        ],
        9,
    ),
    Story(
        "demo-history-hooli",
        "Hooli — Security add-on",
        "Hooli",
        "Hal Hart",
        "jordan@demo.test",
        12,
        10,
        [(9.5, "vendor"), (8, "customer")],
        [9],
        (),
        [
            Submission(
                6,
                {"max_line_discount_pct": 31, "payment_terms_days": 60},
                [
                    ("discount-over-20", MANAGER, 0.3, A),
                    ("finance-terms", FINANCE, 0.9, A),
                    ("discount-over-30", VP, 1.8, A),
                ],
            )
        ],
    ),
    Story(
        "demo-history-stark",
        "Stark — Renewal",
        "Stark",
        "Sol Stark",
        "sam@demo.test",
        5,
        3,
        [(4, "vendor"), (2.5, "customer"), (1, "vendor")],
        [2],
    ),
    Story("demo-history-wayne", "Wayne — New logo", "Wayne", "Wes Wayne", "jordan@demo.test", 2, None, (), [1.5]),
]


def _facts(values: dict[str, Any]) -> approvals.DealFacts:
    base: dict[str, Any] = {"max_line_discount_pct": 0, "total_discount_pct": 0, "below_floor": False,
                            "below_floor_count": 0, "payment_terms_days": 30, "term_months": 12, "total": "180000.00",
                            "non_standard_clauses": [], "non_standard_clause_texts": []}  # fmt: skip
    base.update(values)
    base.setdefault("total_discount_pct", base["max_line_discount_pct"])
    return approvals.facts_from_dict(base)


def _event(room_id: str, at: datetime, kind: str, who: tuple[int | None, str, str], summary: str,
           subject: dict[str, Any], internal: bool = False) -> RoomEvent:  # fmt: skip
    return RoomEvent(room_id=room_id, at=at, last_at=at, kind=kind, audience="internal" if internal else "everyone",
                     subject=subject, summary=summary, edits=1, actor_id=who[0], actor_name=who[1],
                     actor_role=who[2])  # fmt: skip


def _requests(db: Session, story: Story, room_id: str, rep: User, people: dict[str, User], policy: Policy,
              ago: Callable[[float], datetime]) -> None:  # fmt: skip
    history: list[approvals.Request] = []
    rows: list[ApprovalRequestRow] = []
    for number, submission in enumerate(story.submissions):
        at, version = ago(submission.day), f"demo-{room_id}-{number}"
        required = approvals.required_steps(policy, _facts(submission.facts))
        with stopwatch() as routing:
            request = approvals.submit(f"apr_{room_id[-8:]}{number}", fingerprint=version,
                                       policy_fingerprint=policy.fingerprint, required=required,
                                       resolve=resolver(db), by=rep.id, at=at, history=history[::-1])  # fmt: skip
        timings.add(db, "routing", room_id, routing.ms, at)
        db.add(
            _event(
                room_id,
                at,
                "approval.submitted",
                (rep.id, rep.name, "rep"),
                f"{rep.name} submitted the deal for approval",
                {"request_id": request.id},
                internal=True,
            )
        )
        for step_id, role, after, decision in submission.decisions:
            approver = people[role]
            decided_at = at + timedelta(days=after)
            request = approvals.decide(request, step_id, actor=approver.id, decision=decision, fingerprint=version,
                                       at=decided_at, comment="")  # fmt: skip
            db.add(
                _event(
                    room_id,
                    decided_at,
                    "approval.decided",
                    (approver.id, approver.name, "approver"),
                    f"{approver.name} {'approved' if decision is A else 'rejected'} a step",
                    {"request_id": request.id, "step_id": step_id, "decision": str(decision)},
                    internal=True,
                )
            )
        plain = approvals.request_to_plain(request)
        rows.append(ApprovalRequestRow(id=request.id, room_id=room_id, state=plain["state"], fingerprint=version,
                                       data=plain, created_at=at, updated_at=at))  # fmt: skip
        history.append(request)
    db.add_all(rows)


def _contract(story: Story, content: Doc, issued: datetime) -> ContractData:
    terms = parse_json(fragment_to_json(content.get("terms", type=XmlFragment)))
    return ContractData(title=story.title, vendor=Party("Vendor", "Dealroom Demo Inc."),
                        customer=Party("Customer", story.customer, signatory=story.contact),
                        effective_date=issued.date().isoformat(), currency="USD", issued_at=issued, terms=terms,
                        library=sample_library(), variables={"customer.name": story.customer})  # fmt: skip


def seed_history(db: Session, users: dict[str, User], content: bytes, policy: Policy | None) -> list[str]:
    """Add the demo history once (it is there when its first room is); return what was created."""
    if db.get(Room, FIRST_ID) is not None or policy is None:
        return []
    created = []
    for email, name in DEMO_REPS:
        if email not in users:
            users[email] = User(email=email, name=name, role="rep", password_hash=users["rep@demo.test"].password_hash,
                                manager_id=users["manager@demo.test"].id)  # fmt: skip
            db.add(users[email])
            created.append(f"user {email}")
    db.flush()
    people = {MANAGER: users["manager@demo.test"], VP: users["vp@demo.test"], FINANCE: users["finance@demo.test"],
              LEGAL: users["legal@demo.test"]}  # fmt: skip
    catalog = Catalog()
    version = catalog.latest_book_version(db)
    book, plan = catalog.book(db, version), catalog.plan(db)
    now = utcnow()

    def ago(days: float) -> datetime:
        return now - timedelta(days=days)

    for story in STORIES:
        rep = users[story.rep]
        room_id, opened = story.room_id, ago(story.opened)
        db.add(Room(id=room_id, title=story.title, customer_name=story.customer, created_by=rep.id, created_at=opened,
                    price_book_version=version))  # fmt: skip
        db.flush()
        db.add(Membership(room_id=room_id, user_id=rep.id, role=RoomRole.REP.value, created_at=opened))
        doc: Doc = Doc()
        for payload in (initial_deal_update(story.title, story.customer), content):
            doc.apply_update(payload)
            db.add(DocUpdate(room_id=room_id, doc=DocName.SHARED.value, payload=payload, created_at=opened))
        contact = (None, f"{story.contact} ({story.customer})", RoomRole.CUSTOMER.value)
        vendor = (rep.id, rep.name, RoomRole.REP.value)
        if story.customer_in is not None:  # the rep invited the customer a day before they came in
            email = f"{story.contact.split()[0].lower()}@{story.customer.lower()}.test"
            db.add(Invitation(room_id=room_id, email=email, name=story.contact, role=RoomRole.CUSTOMER.value,
                              token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(), created_by=rep.id,
                              created_at=ago(story.customer_in + 1), expires_at=ago(story.customer_in - 6),
                              accepted_at=ago(story.customer_in)))  # fmt: skip
        for day, side in story.chat:
            who = vendor if side == "vendor" else contact
            db.add(_event(room_id, ago(day), "thread.replied", who, f"{who[1]} replied to a question",
                          {"kind": "question"}))  # fmt: skip
        room_deal = RoomDeal.read(doc)
        for day in story.changes:
            db.add(_event(room_id, ago(day), "change.lines", vendor, f"{rep.name} changed Discount of Platform",
                          {"line_id": "l1", "sku": "PLAT-ENT", "fields": ["discountPct"]}))  # fmt: skip
            with stopwatch() as pricing:
                price_room(room_deal, book, plan)
            timings.add(db, "pricing", room_id, pricing.ms, ago(day))
        for day in story.counters:
            db.add(_event(room_id, ago(day), "proposal.countered", vendor, f"{rep.name} countered the proposal",
                          {"label": "Counter-proposal"}))  # fmt: skip
        _requests(db, story, room_id, rep, people, policy, ago)
        if story.exported is not None:
            at = ago(story.exported)
            with stopwatch() as generation:
                file = export_contract(_contract(story, doc, at))
            timings.add(db, "export", room_id, generation.ms, at)
            name = f"{story.customer} contract.docx"
            db.add(ExportRow(id=f"exp_{room_id[-10:]}", room_id=room_id, fingerprint="demo", format="docx",
                             sha256=hashlib.sha256(file).hexdigest(), size=len(file), filename=name, content=file,
                             created_by=rep.id, created_at=at))  # fmt: skip
            db.add(_event(room_id, at, "export", vendor, f"{rep.name} exported the contract",
                          {"filename": f"{story.customer} contract.docx"}, internal=True))  # fmt: skip
        created.append(f"room {story.title} (history)")
    return created
