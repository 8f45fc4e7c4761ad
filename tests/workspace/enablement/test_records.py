"""A room's stage and a rep's sales history, read from the records that say them (on SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workspace.activity.models import RoomEvent
from workspace.approval_policy.models import ApprovalRequestRow
from workspace.auth.models import User
from workspace.enablement.history import room_reps, sold_before
from workspace.enablement.stage import room_stage
from workspace.exports.models import ExportRow
from workspace.record.models import RoomVersion
from workspace.rooms.models import Invitation, Membership, Room
from workspace.settings import Settings
from workspace.storage.base import utcnow
from workspace.storage.engine import make_engine, make_sessionmaker


def _sessions(url: str):  # type: ignore[no-untyped-def]
    return make_sessionmaker(make_engine(Settings(database_url=url)))


def _room(db: Session, room_id: str, rep: User) -> Room:
    room = Room(id=room_id, title=room_id, customer_name="Acme", created_by=rep.id, customer_deal_fields=[])
    db.add(room)
    db.flush()
    db.add(Membership(room_id=room_id, user_id=rep.id, role="rep"))
    return room


def _version(db: Session, room_id: str, number: int, fingerprint: str, skus: list[str]) -> None:
    db.add(RoomVersion(room_id=room_id, number=number, label="", reason="submitted", fingerprint=fingerprint,
                       state=b"", plain={"lines": [{"sku": sku} for sku in skus]}))  # fmt: skip


def _request(db: Session, room_id: str, request_id: str, state: str, fingerprint: str) -> None:
    db.add(ApprovalRequestRow(id=request_id, room_id=room_id, state=state, fingerprint=fingerprint, data={}))
    db.flush()


def test_the_stage_follows_the_records(database_url: str) -> None:
    with _sessions(database_url).begin() as db:
        rep = User(email="r@x.test", name="Rita", role="rep", password_hash="x")
        db.add(rep)
        db.flush()
        _room(db, "r1", rep)
        db.flush()
        assert room_stage(db, "r1") == "draft"
        db.add(RoomEvent(room_id="r1", at=utcnow(), last_at=utcnow(), actor_name="Rita", actor_role="rep",
                         kind="edited", audience="everyone", subject={}, summary=""))  # fmt: skip
        db.flush()
        assert room_stage(db, "r1") == "draft", "the rep's own edits are not a customer acting"
        invitation = Invitation(room_id="r1", email="bo@acme.test", name="Bo", token_hash="h" * 64,
                                created_by=rep.id, expires_at=utcnow())  # fmt: skip
        db.add(invitation)
        db.flush()
        assert room_stage(db, "r1") == "draft", "an invitation not yet accepted is not a customer acting"
        invitation.accepted_at = utcnow()
        db.flush()
        assert room_stage(db, "r1") == "negotiating", "a customer who accepted the invitation has joined"
        db.add(RoomEvent(room_id="r1", at=utcnow(), last_at=utcnow(), actor_name="Bo", actor_role="customer",
                         kind="edited", audience="everyone", subject={}, summary=""))  # fmt: skip
        db.flush()
        assert room_stage(db, "r1") == "negotiating"
        _request(db, "r1", "q1", "pending", "f1")
        assert room_stage(db, "r1") == "in_approval"
        db.get(ApprovalRequestRow, "q1").state = "approved"  # type: ignore[union-attr]
        db.flush()
        assert room_stage(db, "r1") == "approved"
        db.add(ExportRow(id="e1", room_id="r1", fingerprint="f1", sha256="0" * 64, format="docx", size=1,
                         filename="c.docx", content=b"x"))  # fmt: skip
        db.flush()
        assert room_stage(db, "r1") == "exported"


def test_a_rep_has_sold_what_was_in_their_approved_or_exported_versions_only(database_url: str) -> None:
    with _sessions(database_url).begin() as db:
        rep = User(email="r@x.test", name="Rita", role="rep", password_hash="x")
        other = User(email="o@x.test", name="Otto", role="rep", password_hash="x")
        db.add_all([rep, other])
        db.flush()
        here = _room(db, "here", rep)
        for room_id in ("won", "pending", "exported", "theirs"):
            _room(db, room_id, other if room_id == "theirs" else rep)
        db.flush()
        _version(db, "won", 1, "old", ["ADD-AI"])  # an earlier version of an approved room: not what was approved
        _version(db, "won", 2, "fw", ["PLAT-ENT"])
        _request(db, "won", "q1", "approved", "fw")
        _version(db, "pending", 1, "fp", ["SUP-PREM"])
        _request(db, "pending", "q2", "pending", "fp")
        _version(db, "exported", 1, "fe", ["ADD-SSO"])
        db.add(ExportRow(id="e1", room_id="exported", fingerprint="fe", sha256="0" * 64, format="docx", size=1,
                         filename="c.docx", content=b"x"))  # fmt: skip
        _version(db, "theirs", 1, "ft", ["PS-ONBOARD"])
        _request(db, "theirs", "q3", "approved", "ft")
        _version(db, "here", 1, "fh", ["SUP-ENT"])
        _request(db, "here", "q4", "approved", "fh")
        db.flush()
        assert room_reps(db, here) == [rep.id]
        assert sold_before(db, [rep.id], "here") == {"PLAT-ENT", "ADD-SSO"}
        assert sold_before(db, [other.id], "here") == {"PS-ONBOARD"}
