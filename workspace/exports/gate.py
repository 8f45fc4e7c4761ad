"""The export gate: may this exact version of a room's deal leave the room as a contract?

`missing_for` answers with the list of missing approvals (empty: covered). It binds to the version's
fingerprint: a live request for exactly this version decides; without one, a step is approved only when
approvals given on earlier versions still cover its facts as they are now (`approvals.standing`, the rule a
resubmit would carry them over by), never because the deal looks close.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pycrdt import Doc
from sqlalchemy.orm import Session

import approvals
from approvals import Request, RequestState, RequiredStep
from clauses.deviation import Deviation
from clauses.free_text import FREE_TEXT, FREE_TEXT_TITLE
from clauses.library import ClauseLibrary
from workspace.approval_policy.requests import room_requests
from workspace.errors import Conflict
from workspace.threads.disputes import unsettled_disputes

_CLOSED = (RequestState.RECALLED, RequestState.SUPERSEDED)
_CLAUSE_FACTS = frozenset({"non_standard_clauses", "non_standard_clause_texts", "clause_approvals"})


class DisputesOpen(Conflict):
    """The customer (or anyone in the room) still disputes a term or a price; `disputes` lists each."""

    code = "disputes_open"


def check_disputes(shared: Doc) -> None:
    """A contract does not leave the room while an external dispute is open or answered: 409 `disputes_open`
    listing each (kind, what it is about, who opened it, when), whatever the approvals say."""
    found = unsettled_disputes(shared)
    if found:
        count = len(found)
        raise DisputesOpen(
            f"{count} dispute{'s are' if count != 1 else ' is'} not resolved; resolve {'them' if count != 1 else 'it'} "
            "before exporting the contract",
            disputes=[{key: dispute[key] for key in ("id", "kind", "state", "about", "opened_by", "opened_at", "text")}
                      for dispute in found],
        )  # fmt: skip


def request_for(db: Session, room_id: str, fingerprint: str) -> Request | None:
    """The room's live request for exactly this version; else its newest approved one (a version earlier
    approvals cover is exported on their record, not on a later request that was rejected or recalled);
    else its newest request (for the reason)."""
    return _pick([request for _, request in room_requests(db, room_id)], fingerprint)


def _pick(found: Sequence[Request], fingerprint: str) -> Request | None:
    exact = next((r for r in found if r.fingerprint == fingerprint and r.state not in _CLOSED), None)
    approved = next((r for r in found if r.state is RequestState.APPROVED), None)
    return exact or approved or (found[0] if found else None)


def missing_for(db: Session, room_id: str, required: Sequence[RequiredStep], fingerprint: str) -> list[dict[str, Any]]:
    """Each required approval that does not cover `fingerprint`, with why; empty when export may go ahead."""
    found = [request for _, request in room_requests(db, room_id)]
    return [
        {"rule_id": m.rule_id, "name": m.name, "reason": m.reason, "why": m.why}
        for m in approvals.missing_approvals(required, _pick(found, fingerprint), fingerprint, history=found)
    ]


def unrouted_deviations(
    required: Sequence[RequiredStep], deviations: Sequence[Deviation], library: ClauseLibrary
) -> list[dict[str, Any]]:
    """A contract whose clauses differ from the library must not leave the room unreviewed just because no
    policy rule routes clause deviations (or there is no policy): then export waits for one."""
    needing = [d for d in deviations if d.approval is not None]
    if not needing or any(_CLAUSE_FACTS & set(step.tested) for step in required):
        return []
    titles = ", ".join(sorted({_title(library, d) for d in needing}))
    return [{"rule_id": "clause-deviations", "name": "Clause deviations",
             "reason": f"clauses differ from the library ({titles}) and no approval policy rule routes them",
             "why": "not routed: an admin adds an approval policy rule on non-standard clauses"}]  # fmt: skip


def _title(library: ClauseLibrary, deviation: Deviation) -> str:
    if deviation.kind == FREE_TEXT:
        return FREE_TEXT_TITLE
    clause = library.get(deviation.clause_id)
    return clause.title if clause is not None else deviation.clause_id or "a clause not in the library"
