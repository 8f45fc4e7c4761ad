"""The world the authorization matrix runs in: the demo data (one account per role, the Acme room), another
rep's room with its own customer, a revoked API token, and one real object behind every path parameter of the
HTTP API (an approved request and its step, an export, an invitation, a mailed approval link, a delegation,
a clause with a published and a draft version, a room template and a spare one, a colleague's invitation and a
used one)."""

from __future__ import annotations

import asyncio
import hashlib
import time
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import httpx
from pycrdt import Array
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import test_settings as settings_for
from tests.support.accounts import add_member, add_user
from tests.support.server import LiveServer
from tests.support.yclient import YClient, wait_until
from workspace.auth.models import ApiToken, User
from workspace.auth.secrets import digest, new_token
from workspace.demo import DEMO_ROOM_ID, seed_demo
from workspace.enablement.models import CardRow
from workspace.notify.links import StepLink
from workspace.storage.base import Base
from workspace.templates.models import RoomTemplate

METRICS_TOKEN = "matrix-metrics-token"
# Columns a refused call may change: a Bearer token's "last used" is stamped by every call that names it.
VOLATILE_COLUMNS = {("api_tokens", "last_used_at")}


class Caller(StrEnum):
    """Every kind of caller the matrix asks on behalf of."""

    OUTSIDER = "outsider"  # no session, no token
    REVOKED = "revoked_token"  # the room's rep's API token, revoked
    CUSTOMER = "customer"  # the customer of the room
    OTHER_CUSTOMER = "other_customer"  # a customer of another room
    OTHER_REP = "other_rep"  # the rep of another room
    REP = "rep"  # the room's rep
    SALES_MANAGER = "sales_manager"
    VP_SALES = "vp_sales"
    FINANCE = "finance"
    LEGAL = "legal"
    ADMIN = "admin"


DEMO_EMAILS = {
    Caller.REP: "rep@demo.test",
    Caller.CUSTOMER: "buyer@acme.test",
    Caller.SALES_MANAGER: "manager@demo.test",
    Caller.VP_SALES: "vp@demo.test",
    Caller.FINANCE: "finance@demo.test",
    Caller.LEGAL: "legal@demo.test",
    Caller.ADMIN: "admin@demo.test",
}
OTHER_EMAILS = {Caller.OTHER_REP: ("rep@other.test", "rep"), Caller.OTHER_CUSTOMER: ("buyer@other.test", "customer")}


class MatrixWorld:
    def __init__(self, database_url: str) -> None:
        settings = settings_for(database_url, metrics_token=METRICS_TOKEN, room_idle_unload_seconds=3600.0)
        self.server = LiveServer(settings).start()
        self.http = httpx.Client(base_url=self.server.url, timeout=30)
        self.tokens: dict[Caller, str | None] = {Caller.OUTSIDER: None}
        self.user_ids: dict[Caller, int] = {}
        self.ids: dict[str, str] = {"room_id": DEMO_ROOM_ID, "sku": "PLAT-ENT", "proposal_id": "none-pending"}
        self._seed()

    def close(self) -> None:
        self.http.close()
        self.server.stop()

    # --- calling ---------------------------------------------------------------------------------------

    def call(self, caller: Caller, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request as `caller`, by Bearer token (no cookie is ever kept between calls)."""
        self.http.cookies.clear()
        token = self.tokens[caller]
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        # Secret-link throttles count every try per link; the matrix asks the same link once per caller.
        self.server.services.attempts = type(self.server.services.attempts)()
        response = self.http.request(method, path, headers=headers, **kwargs)
        self.http.cookies.clear()
        return response

    def ok(self, caller: Caller, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self.call(caller, method, path, **kwargs)
        assert response.status_code < 300, f"{method} {path} as {caller}: {response.status_code} {response.text}"
        return response

    # --- what a refusal must leave alone ----------------------------------------------------------------

    def room_state(self) -> tuple[bytes, bytes]:
        """The room's documents and its row, byte for byte, as its rep reads them."""
        room = f"/api/rooms/{DEMO_ROOM_ID}"
        return self.ok(Caller.REP, "GET", f"{room}/snapshot").content, self.ok(Caller.REP, "GET", room).content

    def database(self) -> dict[str, str]:
        """A digest of every table (but the columns any authenticated call stamps)."""
        found: dict[str, str] = {}
        with self.server.services.sessions() as db:
            for table in Base.metadata.sorted_tables:
                columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE_COLUMNS]
                keys = list(table.primary_key.columns) or columns
                rows = db.execute(select(*columns).order_by(*keys)).all()
                found[table.name] = hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()
        return found

    def settle(self) -> None:
        """Wait until no derivation of a room is scheduled or running (allowed calls may have started one), then
        write the pricing timings kept so far: their timer would otherwise write them during a later refusal."""
        deriver = self.server.services.deriver
        deadline = time.monotonic() + 20
        while not all(deriver.idle(room) for room in (DEMO_ROOM_ID, self.ids["other_room_id"])):
            assert time.monotonic() < deadline, "the rooms' derivations did not finish"
            time.sleep(0.005)
        self.server.call(self.server.services.timings.flush())

    # --- the world -------------------------------------------------------------------------------------

    def _seed(self) -> None:
        sessions = self.server.services.sessions
        with sessions.begin() as db:
            seed_demo(db)
            self.ids["card_id"] = str(db.execute(select(func.min(CardRow.id))).scalar_one())
            self.ids["template_id"] = str(db.execute(select(func.min(RoomTemplate.id))).scalar_one())
        for email, role in OTHER_EMAILS.values():
            add_user(sessions, email, role)
        with sessions.begin() as db:
            for caller, email in {**DEMO_EMAILS, **{c: e for c, (e, _) in OTHER_EMAILS.items()}}.items():
                user_id = db.execute(select(User.id).where(User.email == email)).scalar_one()
                self.user_ids[caller] = user_id
                self.tokens[caller] = self._token(db, user_id)
        self.ids["user_id"] = str(self.user_ids[Caller.REP])
        # Literal query values some rows send (a what-if's discount, a manager's team pipeline).
        self.ids.update(whatif_discount="10", team="team")
        other = self.ok(Caller.OTHER_REP, "POST", "/api/rooms", json={"title": "Other deal", "customer_name": "Else"})
        self.ids["other_room_id"] = other.json()["id"]
        add_member(sessions, self.ids["other_room_id"], self.user_ids[Caller.OTHER_CUSTOMER], "customer")
        self._tokens()
        self._approved_request()
        self._invitations()
        self._delegation()
        self._clause()
        self._threads()
        self._template()
        self._colleagues()
        self.settle()

    @staticmethod
    def _token(db: Session, user_id: int) -> str:
        token = new_token("drt")
        db.add(ApiToken(user_id=user_id, name="matrix", token_hash=digest(token)))
        return token

    def _tokens(self) -> None:
        revoked = self.ok(Caller.REP, "POST", "/api/tokens", json={"name": "revoked"}).json()
        self.ok(Caller.REP, "DELETE", f"/api/tokens/{revoked['id']}")
        self.tokens[Caller.REVOKED] = revoked["token"]
        spare = self.ok(Caller.REP, "POST", "/api/tokens", json={"name": "spare"}).json()
        self.ids["token_id"] = str(spare["id"])

    def _approved_request(self) -> None:
        """A discount over 20% in the room, submitted and approved by every step's approver, and exported."""
        asyncio.run(self._raise_discount())
        self.settle()
        submitted = self.call(Caller.REP, "POST", f"/api/rooms/{DEMO_ROOM_ID}/approvals")
        assert submitted.status_code == 201, submitted.text
        request = submitted.json()
        self.ids["request_id"] = request["request_id"]
        self.ids["fingerprint"] = request["fingerprint"]
        approvers = (Caller.SALES_MANAGER, Caller.VP_SALES, Caller.FINANCE, Caller.LEGAL)
        for step in request["steps"]:
            path = f"/api/approvals/{request['request_id']}/steps/{step['id']}/decision"
            body = {"decision": "approve", "fingerprint": request["fingerprint"]}
            decided = [c for c in approvers if self.call(c, "POST", path, json=body).status_code == 200]
            assert decided, f"nobody could approve step {step['id']}"
            if "step_id" not in self.ids:
                self.ids["step_id"], self.ids["step_approver"] = step["id"], decided[0].value
        self.settle()
        export = self.ok(Caller.REP, "POST", f"/api/rooms/{DEMO_ROOM_ID}/export", json={"format": "docx"})
        self.ids["export_id"] = export.headers["X-Export-Id"]
        # The export is kept as a version a customer may see and compare (workspace/record).
        versions = self.ok(Caller.REP, "GET", f"/api/rooms/{DEMO_ROOM_ID}/versions").json()["versions"]
        self.ids["version_number"] = str(next(v["number"] for v in versions if v["reason"] == "exported"))
        self.ids["current"] = "current"
        link = StepLink(self.ids["request_id"], self.ids["step_id"], self.user_ids[Caller(self.ids["step_approver"])])
        self.ids["link_token"] = self.server.services.links.make(link)

    async def _raise_discount(self) -> None:
        headers = {"Authorization": f"Bearer {self.tokens[Caller.REP]}"}
        async with YClient(self.server.ws_url(DEMO_ROOM_ID), headers) as rep:
            await rep.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("discountPct", 25))

            def stored() -> bool:
                shared = self.ok(Caller.REP, "GET", f"/api/rooms/{DEMO_ROOM_ID}/snapshot").json()["shared"]
                return bool(shared["lines"][0]["discountPct"] == 25)

            await wait_until(stored, 10, "the rep's discount to be stored")

    def _invitations(self) -> None:
        invite = f"/api/rooms/{DEMO_ROOM_ID}/invitations"
        opened = self.ok(Caller.REP, "POST", invite, json={"email": "ivy@acme.test", "name": "Ivy"}).json()
        used = self.ok(Caller.REP, "POST", invite, json={"email": "una@acme.test", "name": "Una"}).json()
        self.ok(Caller.OUTSIDER, "POST", f"/api/invitations/{used['token']}/accept", json={"password": "x" * 12})
        self.ids["invitation_token"], self.ids["used_invitation_token"] = opened["token"], used["token"]

    def _delegation(self) -> None:
        start = datetime.now(UTC) + timedelta(days=30)  # not in force: the sales manager alone decides the step
        ends = start + timedelta(days=1)
        body = {"to": "vp@demo.test", "starts_at": start.isoformat(), "ends_at": ends.isoformat()}
        created = self.ok(Caller.SALES_MANAGER, "POST", "/api/approvals/delegations", json=body).json()
        self.ids["delegation_id"] = str(created["id"])

    def _threads(self) -> None:
        """Two questions the customer asked about the room: one still open, one resolved."""
        threads = f"/api/rooms/{DEMO_ROOM_ID}/threads"
        body = {"kind": "question", "anchor": {"type": "room"}, "text": "When do we start?"}
        self.ids["open_thread_id"] = self.ok(Caller.CUSTOMER, "POST", threads, json=body).json()["id"]
        resolved = self.ok(Caller.CUSTOMER, "POST", threads, json=body).json()["id"]
        self.ok(Caller.CUSTOMER, "POST", f"{threads}/{resolved}/resolve")
        self.ids["resolved_thread_id"] = resolved

    def _clause(self) -> None:
        body = {"key": "matrix", "title": "Matrix clause", "category": "general", "text": "The parties agree."}
        clause_id = self.ok(Caller.LEGAL, "POST", "/api/clauses", json=body).json()["id"]
        self.ok(Caller.LEGAL, "POST", f"/api/clauses/{clause_id}/versions/1/publish")
        self.ok(Caller.LEGAL, "POST", f"/api/clauses/{clause_id}/versions", json={"text": "The parties agree again."})
        self.ids.update(clause_id=clause_id, published_version="1", draft_version="2")

    def _template(self) -> None:
        """A template of the admin's own beside the demo's: the one the matrix deletes."""
        body = {"name": "Matrix spare", "deal_type": "Matrix"}
        self.ids["spare_template_id"] = str(self.ok(Caller.ADMIN, "POST", "/api/templates", json=body).json()["id"])

    def _colleagues(self) -> None:
        """Two colleagues the admin added (reps of no room): one still to choose a password, one who has."""
        tokens = []
        for email in ("colin@demo.test", "cora@demo.test"):
            body = {"email": email, "name": email.split("@")[0].title(), "role": "rep"}
            added = self.ok(Caller.ADMIN, "POST", "/api/users", json=body).json()
            tokens.append(added["invitation_url"].rsplit("/", 1)[1])
        self.ok(Caller.OUTSIDER, "POST", f"/api/welcome/{tokens[1]}/accept", json={"password": "x" * 12})
        self.ids["colleague_token"], self.ids["used_colleague_token"] = tokens
