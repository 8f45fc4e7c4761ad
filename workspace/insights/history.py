"""What the insights read of one room, as plain data (read from the records by `workspace.insights.read`;
built by hand in tests). Times are aware UTC datetimes; every tuple is in time order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from approvals import Request


@dataclass(frozen=True)
class RoomHistory:
    """One room's moments.

    `customer_acts`: a customer (or guest) edited, wrote, proposed or answered in the room, or accepted an
    invitation to it (their first sign-in). `vendor_says`: the vendor's people did something the customer sees
    (an edit of the shared document, a thread message, an answer to a proposal). `deal_changes`: the shared
    deal changed (lines, deal fields, terms; a proposal accepted), whoever changed it. `counters`: the rep
    countered a customer's proposal. `requests`: the room's approval requests, oldest first."""

    room_id: str
    title: str
    rep_id: int | None
    opened_at: datetime
    customer_acts: tuple[datetime, ...] = ()
    vendor_says: tuple[datetime, ...] = ()
    deal_changes: tuple[datetime, ...] = ()
    counters: tuple[datetime, ...] = ()
    requests: tuple[Request, ...] = ()
    exports: tuple[datetime, ...] = ()
