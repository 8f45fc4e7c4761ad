"""Who may call which operation of the HTTP API: the expected answer per operation and kind of caller.

`workspace/openapi.yaml` says which operations are public (`security: []`); every other one refuses a caller
without credentials and a revoked token with 401 (derived in `expected`, not written here). The rest is this
table, one row per `operationId`, written from each route's code: the status an allowed caller gets with the
row's body, and which callers are refused and how (403: not your role; 404: not yours, or not there). A route
added to the document without a row here fails the matrix, so the table stays complete.

Bodies are chosen so that a refusal can only come from the access check: where a route checks the caller
before the body, an invalid body keeps allowed calls from changing anything (they answer 400/409/422); where
it reads the body first, the body is valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.security.matrix_world import Caller
from workspace.demo import DEMO_PASSWORD

C = Caller
SIGNED_IN = tuple(c for c in Caller if c not in (C.OUTSIDER, C.REVOKED))


def only(*allowed: Caller, status: int = 403) -> dict[Caller, int]:
    """Everyone signed in but `allowed` is refused with `status`."""
    return {c: status for c in SIGNED_IN if c not in allowed}


CUSTOMERS = {C.CUSTOMER: 403, C.OTHER_CUSTOMER: 403}  # internal roles only
OUTSIDE_ROOM = {C.OTHER_CUSTOMER: 404, C.OTHER_REP: 404}  # the room is not theirs (staff see every room)
ROOM_INTERNAL = {**OUTSIDE_ROOM, C.CUSTOMER: 403}  # the room's internal roles
# The room's rep; an admin acts as the rep in every room (workspace/rooms/access.py).
ROOM_REP = {**ROOM_INTERNAL, **{c: 403 for c in (C.SALES_MANAGER, C.VP_SALES, C.FINANCE, C.LEGAL)}}
# The same for the other room, whose rep is OTHER_REP.
OTHER_ROOM_REP = {**ROOM_REP, C.CUSTOMER: 404, C.REP: 404, C.OTHER_CUSTOMER: 403}
del OTHER_ROOM_REP[C.OTHER_REP]
# Who may decide on a customer's proposal: the room's rep (an admin acts as one) and legal (on clauses).
DECIDERS = {**ROOM_INTERNAL, **{c: 403 for c in (C.SALES_MANAGER, C.VP_SALES, C.FINANCE)}}
ADMIN_ONLY = only(C.ADMIN)
# A thread the room's customer opened: they and the room's rep (or an admin) may resolve or reopen it.
THREAD_OPENER_OR_REP = {**OUTSIDE_ROOM, **{c: 403 for c in (C.SALES_MANAGER, C.VP_SALES, C.FINANCE, C.LEGAL)}}
LIBRARY_WRITERS = only(C.LEGAL, C.ADMIN)
# Deal velocity: reps (their own rooms), sales managers, VPs of sales, finance and admins (workspace/insights).
INSIGHT_READERS = only(C.REP, C.OTHER_REP, C.SALES_MANAGER, C.VP_SALES, C.FINANCE, C.ADMIN)

Ids = Mapping[str, str]


@dataclass(frozen=True)
class Case:
    """One call of an operation and the answers it must get."""

    ok: int  # what an allowed caller gets with this body
    refused: Mapping[Caller, int] = field(default_factory=dict)  # refused callers and their status
    body: Any = None  # JSON body, or a function of the world's ids giving it; None sends no body
    query: Mapping[str, str] = field(default_factory=dict)  # query parameter -> key in the world's ids
    path: Mapping[str, str] = field(default_factory=dict)  # path parameter -> key in the world's ids

    def json(self, ids: Ids) -> Any:
        return self.body(ids) if callable(self.body) else self.body


def _decision(ids: Ids) -> dict[str, str]:
    return {"decision": "approve", "fingerprint": ids["fingerprint"]}


def _delegation_for_someone_else(ids: Ids) -> dict[str, str]:
    start = datetime.now(UTC) + timedelta(days=60)
    return {"to": "vp@demo.test", "from": "finance@demo.test", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(days=1)).isoformat()}  # fmt: skip


ROOM_QUERY = {"room": "room_id"}

ACCESS: dict[str, tuple[Case, ...]] = {
    # ops and meta (public)
    "healthz": (Case(200),),
    "readyz": (Case(200),),
    "metrics": (Case(401),),  # only the metrics token opens it; no user's API token does
    "openapi": (Case(200),),
    # auth
    "sign_in": (Case(200, body={"email": "buyer@acme.test", "password": DEMO_PASSWORD}),),
    "sign_out": (Case(204),),
    "me": (Case(200),),
    "create_token": (Case(201, body={"name": "matrix"}),),
    "list_tokens": (Case(200),),
    "revoke_token": (Case(204, only(C.REP, status=404)),),  # the rep's spare token: only its owner
    "sso_status": (Case(200),),
    "sso_login": (Case(303),),
    "sso_callback": (Case(303),),
    "sso_logout": (Case(200),),
    "get_sso_settings": (Case(200, ADMIN_ONLY),),
    "put_sso_settings": (Case(409, ADMIN_ONLY, body={"required_for_internal": True}),),  # no provider: 409
    # colleagues: admins add them (an empty body answers 400) and mail a new link (the rep has a password: 409);
    # the link is the credential (the used one answers 409 to a valid password).
    "add_colleague": (Case(400, ADMIN_ONLY, body={}),),
    "reinvite_colleague": (Case(409, ADMIN_ONLY),),
    "show_colleague_invitation": (Case(200, path={"token": "colleague_token"}),),
    "accept_colleague_invitation": (
        Case(409, path={"token": "used_colleague_token"}, body={"password": "a-long-password"}),
    ),
    # rooms
    "create_room": (Case(201, only(C.REP, C.OTHER_REP, C.ADMIN), body={"title": "Matrix", "customer_name": "M"}),),
    "list_rooms": (Case(200),),
    "get_room": (Case(200, OUTSIDE_ROOM),),
    "patch_room": (Case(200, ROOM_REP, body={"title": "Renamed by the matrix"}),),
    "create_invitation": (Case(201, ROOM_REP, body={"email": "matrix@acme.test", "name": "Matrix"}),),
    "show_invitation": (Case(200, path={"token": "invitation_token"}),),
    "accept_invitation": (Case(409, path={"token": "used_invitation_token"}, body={"password": "a-long-password"}),),
    "snapshot": (Case(200, OUTSIDE_ROOM),),
    # templates for new rooms: internal people read them; admins keep them (an empty body answers 422) and
    # delete the spare one.
    "list_templates": (Case(200, CUSTOMERS),),
    "get_template": (Case(200, CUSTOMERS),),
    "create_template": (Case(422, ADMIN_ONLY, body={}),),
    "change_template": (Case(422, ADMIN_ONLY, body={}),),
    "delete_template": (Case(204, ADMIN_ONLY, path={"template_id": "spare_template_id"}),),
    # cockpit: internal people see their pipeline, managers and VPs their team's; the room's internal roles its
    # what-if (read-only).
    "get_pipeline": (
        Case(200, CUSTOMERS),
        Case(200, only(C.SALES_MANAGER, C.VP_SALES), query={"scope": "team"}),
    ),
    "room_whatif": (Case(200, ROOM_INTERNAL, query={"discount_pct": "whatif_discount"}),),
    # insights: a rep sees their own rooms only (asking for another rep's is refused).
    "get_insights": (
        Case(200, INSIGHT_READERS),
        Case(200, {**INSIGHT_READERS, C.OTHER_REP: 403}, query={"rep": "user_id"}),
    ),
    "get_insights_csv": (
        Case(200, INSIGHT_READERS),
        Case(200, {**INSIGHT_READERS, C.OTHER_REP: 403}, query={"rep": "user_id"}),
    ),
    "audit_events": (Case(200, ADMIN_ONLY),),
    # activity (everyone in the room; what each role gets is filtered, see tests/workspace/activity)
    "room_timeline": (Case(200, OUTSIDE_ROOM),),
    "room_activity": (Case(200, OUTSIDE_ROOM),),
    "get_notifications": (Case(200),),
    "mark_notifications_read": (Case(200, OUTSIDE_ROOM, body=lambda ids: {"room_id": ids["room_id"], "up_to": 0}),),
    # pricing
    "room_quote": (Case(200, OUTSIDE_ROOM),),
    "upgrade_room_pricebook": (Case(200, ROOM_REP),),
    "get_pricebook": (Case(200, CUSTOMERS),),
    "put_pricebook": (Case(422, ADMIN_ONLY, body={}),),
    "check_pricebook": (Case(200, ADMIN_ONLY, body={}),),  # a draft checked, never saved
    "list_pricebook_versions": (Case(200, ADMIN_ONLY),),
    "pricebook_version_diff": (Case(200, ADMIN_ONLY),),
    "list_products": (Case(200, OUTSIDE_ROOM, query=ROOM_QUERY),),
    "product_facts": (Case(200, OUTSIDE_ROOM, query=ROOM_QUERY),),
    "get_plan": (Case(200, CUSTOMERS),),
    "put_plan": (Case(422, ADMIN_ONLY, body={}),),
    # approvals
    "get_approval_policy": (Case(200, CUSTOMERS),),
    "put_approval_policy": (Case(422, ADMIN_ONLY, body={"rules": "none"}),),
    "approval_preview": (Case(200, ROOM_INTERNAL),),
    # Drafts of the policy, checked and previewed without saving: admins only (an admin sees every room).
    "validate_approval_policy": (Case(200, ADMIN_ONLY, body={"rules": "none"}),),
    "approval_preview_of_draft": (Case(422, ADMIN_ONLY, body={"rules": "none"}),),
    # In the other room, whose empty deal needs no approval (400 once past the access checks): resubmitting the
    # approved version of this room would add a request (see test_security_events).
    "submit_for_approval": (Case(400, OTHER_ROOM_REP, path={"room_id": "other_room_id"}),),
    "approvals_inbox": (Case(200),),
    "recall_approval_request": (Case(409, ROOM_REP),),  # an approved request cannot be recalled
    # The step is the sales manager's (approved already: deciding again changes nothing); its submitter is refused.
    "decide_approval_step": (Case(200, {**only(C.SALES_MANAGER), **OUTSIDE_ROOM}, body=_decision),),
    "approval_link_view": (Case(200, path={"token": "link_token"}),),
    "approval_link_decide": (Case(200, path={"token": "link_token"}, body=_decision),),  # the link is the credential
    "list_delegations": (Case(200, CUSTOMERS),),
    "create_delegation": (
        Case(400, CUSTOMERS, body={}),
        Case(201, ADMIN_ONLY, body=_delegation_for_someone_else),  # only admins delegate for someone else
    ),
    "revoke_delegation": (Case(204, only(C.SALES_MANAGER, C.ADMIN, status=404)),),  # its giver, or an admin
    "list_people": (Case(200, ADMIN_ONLY),),
    "update_person": (Case(200, ADMIN_ONLY, body={"manager": "vp@demo.test"}),),
    # clauses
    "list_clauses": (Case(200, CUSTOMERS),),
    "create_clause": (Case(422, LIBRARY_WRITERS, body={}),),
    "clause_variables": (Case(200, CUSTOMERS),),
    "export_clause_library": (Case(200, CUSTOMERS),),
    "import_clause_library": (Case(422, LIBRARY_WRITERS, body={}),),
    "get_clause": (Case(200, CUSTOMERS),),
    "add_clause_version": (Case(422, LIBRARY_WRITERS, body={}),),
    "publish_clause_version": (Case(409, LIBRARY_WRITERS, path={"number": "published_version"}),),
    "retire_clause_version": (Case(409, LIBRARY_WRITERS, path={"number": "draft_version"}),),
    "room_deviations": (Case(200, OUTSIDE_ROOM),),
    # proposals: every member sees them; the rep (and legal, on clauses) decides. The world has none pending,
    # so an allowed decider learns it is not there (404) and changes nothing.
    "list_room_proposals": (Case(200, OUTSIDE_ROOM),),
    **{
        f"{decision}_proposal": (Case(404, DECIDERS, body={"revision": 0, **extra}),)
        for decision, extra in (("accept", {}), ("decline", {}), ("counter", {"value": 5}))
    },
    # export
    "export_contract": (Case(200, ROOM_INTERNAL, body={"format": "docx"}),),
    "list_room_exports": (Case(200, ROOM_INTERNAL),),
    "get_room_export": (
        Case(200, ROOM_INTERNAL),
        # The room's export asked for through another room: not found for everyone who may see that room.
        Case(404, {C.OTHER_CUSTOMER: 403}, path={"room_id": "other_room_id"}),
    ),
    # threads: everyone in the room reads and writes them (an empty body answers 400 once past the access check);
    # the customer opened both threads, so they and the rep (an admin acts as the rep) resolve and reopen them.
    # The resolved one cannot be resolved again, the open one not reopened: allowed callers get 409.
    "list_threads": (Case(200, OUTSIDE_ROOM),),
    "open_thread": (Case(400, OUTSIDE_ROOM, body={}),),
    "reply_to_thread": (Case(400, OUTSIDE_ROOM, body={}, path={"thread_id": "open_thread_id"}),),
    "resolve_thread": (Case(409, THREAD_OPENER_OR_REP, path={"thread_id": "resolved_thread_id"}),),
    "reopen_thread": (Case(409, THREAD_OPENER_OR_REP, path={"thread_id": "open_thread_id"}),),
    # enablement cards: internal people read them and a room's triggered cards; admins and legal keep them. Bodies
    # refused past the access check (400: no version / no room_id; 422: an unknown kind) change nothing.
    "list_enablement_cards": (Case(200, CUSTOMERS),),
    "get_enablement_card": (Case(200, CUSTOMERS, path={"card_id": "card_id"}),),
    "create_enablement_card": (Case(422, LIBRARY_WRITERS, body={"title": "t", "body": "b", "kind": "nope"}),),
    "update_enablement_card": (Case(400, LIBRARY_WRITERS, body={}, path={"card_id": "card_id"}),),
    "mark_enablement_card_helpful": (Case(400, CUSTOMERS, body={}, path={"card_id": "card_id"}),),
    "enablement_usage": (Case(200, LIBRARY_WRITERS),),
    "room_cards": (Case(200, {**ROOM_INTERNAL, **CUSTOMERS}),),
    # record
    "list_room_versions": (Case(200, OUTSIDE_ROOM),),
    "create_room_version": (Case(400, ROOM_INTERNAL, body={}),),  # no label: nothing is saved
    "compare_room_versions": (Case(200, OUTSIDE_ROOM, query={"from": "version_number", "to": "current"}),),
    # The room's rep only; an invalid part changes nothing once past the access check.
    "restore_room_version": (Case(400, ROOM_REP, body={"part": "neither"}, path={"number": "version_number"}),),
    "since_last_seen": (Case(200, OUTSIDE_ROOM),),
    "mark_room_seen": (Case(204, OUTSIDE_ROOM),),
}


def expected(public: bool, case: Case) -> dict[Caller, int]:
    """The status every kind of caller must get."""
    if public:
        assert not case.refused, "a public operation refuses nobody by role"
        return dict.fromkeys(Caller, case.ok)
    return {C.OUTSIDER: 401, C.REVOKED: 401, **{c: case.refused.get(c, case.ok) for c in SIGNED_IN}}
