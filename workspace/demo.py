"""The demo data of API.md: one account per role, the "Acme — Platform renewal" room, a second deal of the
demo rep's pipeline (`workspace.demo_pipeline`), and a few weeks of history of other reps' rooms for /insights
(`workspace.insights.demo`)."""

from __future__ import annotations

from pycrdt import XmlElement, XmlFragment, XmlText
from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.samples import DEMO_POLICY_YAML
from clauses.samples_library import sample_library
from workspace.approval_policy.service import Policies, parse_yaml
from workspace.auth import passwords
from workspace.auth.models import User, UserRole
from workspace.clause_library.service import ClauseStore
from workspace.clause_library.service import seed as seed_clauses
from workspace.demo_pipeline import SECOND_BUYER, seed_quotas, seed_second_deal
from workspace.enablement.demo import DEMO_COMPETITOR, seed_cards
from workspace.insights.demo import seed_history
from workspace.pricebook.service import Catalog
from workspace.pricing.samples import SAMPLE_INCENTIVE_PLAN, SAMPLE_PRICE_BOOK
from workspace.rooms.content import StartLine, starting_content
from workspace.rooms.models import Membership, Room, RoomRole
from workspace.rooms.service import initial_deal_update
from workspace.sync.documents import DocName, new_doc
from workspace.sync.models import DocUpdate
from workspace.templates import service as templates
from workspace.templates.models import RoomTemplate

DEMO_PASSWORD = "demo-password"
DEMO_ROOM_ID = "demo-acme-renewal"
DEMO_ROOM_TITLE = "Acme — Platform renewal"
# The demo room's terms: clauses of the demo library, all standard to begin with.
DEMO_CLAUSES = ("subscription", "payment", "term_termination", "confidentiality", "data_protection", "sla",
                "liability", "indemnity", "governing_law")  # fmt: skip
# Templates for new rooms, one per deal type: a short set of terms and the usual first lines.
DEMO_TEMPLATES = [
    {"name": "New logo", "deal_type": "New business", "description": "A first subscription: Pro seats, onboarding.",
     "clauses": ["subscription", "payment", "term_termination", "confidentiality", "liability", "governing_law"],
     "lines": [{"sku": "PLAT-PRO", "qty": 50, "discountPct": 0}, {"sku": "PS-ONBOARD", "qty": 1, "discountPct": 0},
               {"sku": "SUP-PREM", "qty": 1, "discountPct": 0}]},
    {"name": "Renewal", "deal_type": "Renewal", "description": "Renewing an enterprise customer on the full terms.",
     "clauses": list(DEMO_CLAUSES),
     "lines": [{"sku": "PLAT-ENT", "qty": 250, "discountPct": 10}, {"sku": "SUP-ENT", "qty": 1, "discountPct": 0}]},
]  # fmt: skip
DEMO_USERS = [
    ("rep@demo.test", "Riley Rep", UserRole.REP),
    ("manager@demo.test", "Morgan Manager", UserRole.SALES_MANAGER),
    ("vp@demo.test", "Val VP", UserRole.VP_SALES),
    ("finance@demo.test", "Frankie Finance", UserRole.FINANCE),
    ("legal@demo.test", "Lee Legal", UserRole.LEGAL),
    ("admin@demo.test", "Ada Admin", UserRole.ADMIN),
    ("buyer@acme.test", "Blake Buyer (Acme)", UserRole.CUSTOMER),
    (*SECOND_BUYER, UserRole.CUSTOMER),
]


def _demo_content() -> bytes:
    """Terms and a few pricing lines, so that the demo room is not empty."""
    library = sample_library()
    clauses = []
    for clause_id in DEMO_CLAUSES:
        clause = library.get(clause_id)
        assert clause is not None and clause.latest_published is not None  # the sample library has them
        clauses.append((clause, clause.latest_published))
    lines = [
        StartLine("l1", "PLAT-ENT", 250, 10),
        StartLine("l2", "SUP-PREM", 1, 0, locked=True),
        StartLine("l3", "PS-ONBOARD", 1, 5),
        StartLine("l4", "ADD-SSO", 250, 15),
    ]
    return starting_content(clauses, lines)


def _demo_notes() -> bytes:
    """The rep's internal notes: the competitor the customer is also talking to (a card offers an answer)."""
    doc = new_doc(DocName.INTERNAL)
    text = f"Acme's procurement told me they also have a quote from {DEMO_COMPETITOR}, about 20 % under ours."
    with doc.transaction(origin="server"):
        doc.get("notes", type=XmlFragment).children.append(XmlElement("paragraph", {}, [XmlText(text)]))
    return doc.get_update()


def seed_demo(db: Session) -> list[str]:
    """Create what is missing of the demo data; return what was created."""
    created: list[str] = []
    users: dict[str, User] = {}
    for email, name, role in DEMO_USERS:
        user = db.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if user is None:
            user = User(email=email, name=name, role=role.value, password_hash=passwords.hash_password(DEMO_PASSWORD))
            db.add(user)
            created.append(f"user {email}")
        users[email] = user
    db.flush()
    catalog = Catalog()
    if catalog.latest_book_version(db) is None:
        catalog.save_book(db, SAMPLE_PRICE_BOOK, users["admin@demo.test"].id)
        created.append("price book")
    if catalog.plan(db) is None:
        catalog.save_plan(db, SAMPLE_INCENTIVE_PLAN, users["admin@demo.test"].id)
        created.append("incentive plan")
    created += seed_quotas(db, catalog, users["admin@demo.test"])
    added = seed_clauses(db, list(sample_library()))
    if added:
        created.append(f"{added} clauses")
    managers = {"rep@demo.test": "manager@demo.test", "manager@demo.test": "vp@demo.test",
                "finance@demo.test": "admin@demo.test", "legal@demo.test": "admin@demo.test"}  # fmt: skip
    for email, manager in managers.items():
        if users[email].manager_id is None:
            users[email].manager_id = users[manager].id
    policies = Policies()
    if policies.current_data(db) is None:
        policies.save(db, parse_yaml(DEMO_POLICY_YAML), users["admin@demo.test"].id)
        created.append("approval policy")
    if db.execute(select(RoomTemplate.id).limit(1)).first() is None:
        library, book = ClauseStore().library(db), catalog.book(db)
        for template in DEMO_TEMPLATES:
            templates.create(db, templates.checked(template, library, book), users["admin@demo.test"].id)
        created.append(f"{len(DEMO_TEMPLATES)} room templates")
    if db.get(Room, DEMO_ROOM_ID) is None:
        rep, buyer = users["rep@demo.test"], users["buyer@acme.test"]
        db.add(
            Room(
                id=DEMO_ROOM_ID,
                title=DEMO_ROOM_TITLE,
                customer_name="Acme Corp",
                created_by=rep.id,
                customer_may_edit_pricing=True,
                customer_deal_fields=["startDate"],
            )
        )
        db.flush()
        db.add(Membership(room_id=DEMO_ROOM_ID, user_id=rep.id, role=RoomRole.REP.value))
        db.add(Membership(room_id=DEMO_ROOM_ID, user_id=buyer.id, role=RoomRole.CUSTOMER.value))
        for payload in (initial_deal_update(DEMO_ROOM_TITLE, "Acme Corp"), _demo_content()):
            db.add(DocUpdate(room_id=DEMO_ROOM_ID, doc=DocName.SHARED.value, payload=payload))
        db.add(DocUpdate(room_id=DEMO_ROOM_ID, doc=DocName.INTERNAL.value, payload=_demo_notes()))
        created.append(f"room {DEMO_ROOM_TITLE}")
    cards = seed_cards(db, users["legal@demo.test"].id)
    if cards:
        created.append(f"{cards} enablement cards")
    created += seed_second_deal(db, users["rep@demo.test"], users[SECOND_BUYER[0]])
    # A few weeks of other reps' rooms, so that /insights means something on first start.
    created += seed_history(db, users, _demo_content(), policies.current(db))
    return created
