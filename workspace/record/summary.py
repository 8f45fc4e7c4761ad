"""What the export's negotiation summary page lists: the room's versions and every approval decision."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workspace.record import store
from workspace.record.approvals import decisions


def summary_rows(db: Session, room_id: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(versions: number, label, when, by whom; approvals: step, approver, decision, when), oldest first."""
    versions = [
        {"number": str(row.number), "label": row.label, "at": row.created_at.strftime("%Y-%m-%d %H:%M UTC"),
         "by": row.created_by_name}
        for row in store.listed(db, room_id)
    ]  # fmt: skip
    return versions, decisions(db, room_id)
