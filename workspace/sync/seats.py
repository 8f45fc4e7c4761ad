"""Who may take a place in a room document: the room's limit, one person's share, the team's reserve.

A room document holds at most `max_connections_per_room` connections. Within that:

- one person (all their sessions and tokens together) holds at most `max_connections_per_person`, so one
  account cannot fill the room;
- customers together never take the last `team_reserved_connections` places, so the rep, legal and the
  approvers can always join a room customers have filled.

The check runs on the event loop between counting and attaching, with no await in between, so two
sockets opening at once cannot both take the last place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workspace.errors import ReservedForTeam, RoomFull, TooManyConnections
from workspace.settings import Settings


@dataclass(frozen=True)
class Seat:
    """One connection as the limits see it: whose it is, and whether they are on the room's own team."""

    user_id: int
    team: bool


def refusal(taken: Iterable[Seat], newcomer: Seat, settings: Settings) -> RoomFull | TooManyConnections | None:
    """Why `newcomer` may not have a place next to the `taken` ones; None when they may."""
    seats = list(taken)
    own = sum(1 for seat in seats if seat.user_id == newcomer.user_id)
    if own >= settings.max_connections_per_person:
        return TooManyConnections(
            f"you already have {own} connections to this room, the most one person may have; close one to open another"
        )
    limit = settings.max_connections_per_room
    if len(seats) >= limit:
        return RoomFull(f"this room already has {limit} connections")
    if not newcomer.team:
        reserve = settings.team_reserved_connections
        if len(seats) >= limit - reserve:
            return ReservedForTeam(
                f"this room's last {reserve} places are kept for the deal team; it already has {len(seats)} connections"
            )
    return None
