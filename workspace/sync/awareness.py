"""Who is in a room and where: the awareness states the room relays between its connections.

Each Yjs client id belongs to the first connection that announces it. y-websocket clients echo
other clients' states and time them out locally; those entries are dropped here rather than refused,
so one client cannot overwrite or remove another's presence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workspace.sync.protocol import AwarenessEntry


@dataclass
class _State:
    clock: int
    state: Any
    owner: object


class AwarenessRegistry:
    def __init__(self) -> None:
        self._states: dict[int, _State] = {}

    def apply(
        self, owner: object, entries: tuple[AwarenessEntry, ...], identity: dict[str, Any]
    ) -> list[AwarenessEntry]:
        """Apply the entries `owner` may set; return what changed, for relaying."""
        accepted: list[AwarenessEntry] = []
        for entry in entries:
            current = self._states.get(entry.client_id)
            if current is not None and current.owner is not owner:
                continue
            if current is not None and entry.clock < current.clock:
                continue
            state = entry.state
            if isinstance(state, dict):
                given = state.get("user")
                user: dict[str, Any] = given if isinstance(given, dict) else {}
                # The server, not the client, says who this is.
                state = {**state, "user": {**user, **identity}}
            self._states[entry.client_id] = _State(entry.clock, state, owner)
            accepted.append(AwarenessEntry(entry.client_id, entry.clock, state))
        return accepted

    def remove_owner(self, owner: object) -> list[AwarenessEntry]:
        """Forget a closed connection's clients; return their removal entries for relaying."""
        gone = [cid for cid, st in self._states.items() if st.owner is owner]
        removals = []
        for client_id in gone:
            state = self._states.pop(client_id)
            if state.state is not None:
                removals.append(AwarenessEntry(client_id, state.clock + 1, None))
        return removals

    def present(self) -> list[AwarenessEntry]:
        return [AwarenessEntry(cid, st.clock, st.state) for cid, st in self._states.items() if st.state is not None]

    def __len__(self) -> int:
        return sum(1 for st in self._states.values() if st.state is not None)
