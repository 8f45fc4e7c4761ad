"""The demo data of API.md: one account per role, and the "Acme — Platform renewal" room; and a few weeks of
history of other reps' rooms for /insights (`workspace.insights.demo`)."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Map, XmlElement, XmlFragment, XmlText
from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.samples import DEMO_POLICY_YAML
from clauses.samples_library import sample_library
from workspace.approval_policy.service import Policies, parse_yaml
from workspace.auth import passwords
from workspace.auth.models import User, UserRole
from workspace.clause_library.blocks import clause_element
from workspace.clause_library.deviations import STANDARD_TERMS
from workspace.clause_library.service import seed as seed_clauses
from workspace.insights.demo import seed_history
from workspace.pricebook.service import Catalog
from workspace.pricing.samples import SAMPLE_INCENTIVE_PLAN, SAMPLE_PRICE_BOOK
from workspace.rooms.models import Membership, Room, RoomRole
from workspace.rooms.service import initial_deal_update
from workspace.sync.documents import DocName, new_doc
from workspace.sync.models import DocUpdate

HEADING_1: Any = {"level": 1}  # a number, as TipTap reads it (see clause_library.blocks)
DEMO_PASSWORD = "demo-password"
DEMO_ROOM_ID = "demo-acme-renewal"
DEMO_ROOM_TITLE = "Acme — Platform renewal"
# The demo room's terms: clauses of the demo library, all standard to begin with.
DEMO_CLAUSES = ("subscription", "payment", "term_termination", "confidentiality", "data_protection", "sla",
                "liability", "indemnity", "governing_law")  # fmt: skip
DEMO_USERS = [
    ("rep@demo.test", "Riley Rep", UserRole.REP),
    ("manager@demo.test", "Morgan Manager", UserRole.SALES_MANAGER),
    ("vp@demo.test", "Val VP", UserRole.VP_SALES),
    ("finance@demo.test", "Frankie Finance", UserRole.FINANCE),
    ("legal@demo.test", "Lee Legal", UserRole.LEGAL),
    ("admin@demo.test", "Ada Admin", UserRole.ADMIN),
    ("buyer@acme.test", "Blake Buyer (Acme)", UserRole.CUSTOMER),
]


def _demo_content() -> bytes:
    """Terms and a few pricing lines, so that the demo room is not empty."""
    doc = new_doc(DocName.SHARED)
    terms = doc.get("terms", type=XmlFragment)
    lines = doc.get("lines", type=Array)
    with doc.transaction(origin="server"):
        terms.children.append(XmlElement("heading", HEADING_1, [XmlText("Master Subscription Agreement")]))
        terms.children.append(
            XmlElement("paragraph", {}, [XmlText("These terms govern the subscription set out in the pricing above.")])
        )
        library = sample_library()
        for clause_id in DEMO_CLAUSES:
            clause = library.get(clause_id)
            assert clause is not None and clause.latest_published is not None  # the sample library has them
            terms.children.append(clause_element(clause, clause.latest_published))
        # The editor keeps a paragraph after the last block (TipTap's TrailingNode, in StarterKit): without
        # it here, the first person to open the room would write one, and the record would show them
        # changing the terms' blocks though they only looked.
        terms.children.append(XmlElement("paragraph", {}))
        # The agreement's title and preamble are the room's standard terms outside clauses: legal is asked
        # when they change, not for their being there.
        doc.get("computed", type=Map)[STANDARD_TERMS] = [
            "Master Subscription Agreement",
            "These terms govern the subscription set out in the pricing above.",
        ]
        for line_id, sku, qty, discount in (
            ("l1", "PLAT-ENT", 250, 10),
            ("l2", "SUP-PREM", 1, 0),
            ("l3", "PS-ONBOARD", 1, 5),
            ("l4", "ADD-SSO", 250, 15),
        ):
            lines.append(
                Map(
                    {
                        "id": line_id,
                        "sku": sku,
                        "qty": qty,
                        "discountPct": discount,
                        "locked": line_id == "l2",
                        "note": "",
                    }
                )
            )
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
        created.append(f"room {DEMO_ROOM_TITLE}")
    # A few weeks of other reps' rooms, so that /insights means something on first start.
    created += seed_history(db, users, _demo_content(), policies.current(db))
    return created
