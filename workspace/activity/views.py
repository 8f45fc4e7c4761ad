"""An event as the API sends it: who, when, what (with its label), and for the vendor's people its audience."""

from __future__ import annotations

from typing import Any

from workspace.activity.labels import label
from workspace.activity.models import RoomEvent


def actor_view(row: RoomEvent) -> dict[str, Any] | None:
    if row.actor_id is None and row.actor_name is None:
        return None  # the server's own event
    return {"id": row.actor_id, "name": row.actor_name}


def event_view(row: RoomEvent, *, internal: bool) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": row.id,
        "at": row.at.isoformat(),
        "until": row.last_at.isoformat(),
        "kind": row.kind,
        "actor": actor_view(row),
        "role": row.actor_role,
        "what": row.subject,
        "label": label(row.kind, row.subject) if row.kind.startswith("change.") else row.summary,
        "summary": row.summary,
        "edits": row.edits,
    }
    if internal:  # a customer only ever gets events for everyone: the word would tell them nothing
        view["audience"] = row.audience
    return view
