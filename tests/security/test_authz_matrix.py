"""The authorization matrix: every operation of `workspace/openapi.yaml` and every live document, asked by every
kind of caller (`matrix_world.Caller`). Each answer is the one `access_table.ACCESS` expects, and a refused call
changes nothing: not the room (its documents and its row, byte for byte) and not a row of any table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import yaml

from tests.security.access_table import ACCESS, Case, expected
from tests.security.matrix_world import Caller, MatrixWorld
from tests.support.yclient import YClient
from workspace import openapi
from workspace.sync import protocol
from workspace.sync.documents import DocName

C = Caller
DOCUMENT: dict[str, Any] = yaml.safe_load(openapi.SOURCE.read_text(encoding="utf-8"))
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
OPERATIONS = {
    operation["operationId"]: (path, method, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if method in HTTP_METHODS
}
# Operations whose document misses a status the code answers on purpose (none now): each is a strict xfail with
# the reason, so that fixing workspace/openapi.yaml turns it into a pass.
UNDOCUMENTED: dict[str, str] = {}


@pytest.fixture(scope="module")
def world(module_database_url: str) -> Iterator[MatrixWorld]:
    built = MatrixWorld(module_database_url)
    # The table's decision row names the sales manager: the demo policy routes a 25% discount to them.
    assert built.ids["step_approver"] == C.SALES_MANAGER
    yield built
    built.close()


def test_the_table_has_a_row_for_every_documented_operation_and_no_other() -> None:
    documented, rows = set(OPERATIONS), set(ACCESS)
    assert not documented - rows, f"add these operations to tests/security/access_table.py: {sorted(documented - rows)}"
    assert not rows - documented, f"rows for operations the document does not have: {sorted(rows - documented)}"


def _documented_cases() -> list[Any]:
    marks = {name: [pytest.mark.xfail(strict=True, reason=reason)] for name, reason in UNDOCUMENTED.items()}
    return [pytest.param(name, marks=marks.get(name, []), id=name) for name in OPERATIONS]


@pytest.mark.parametrize("operation_id", _documented_cases())
def test_the_document_lists_every_answer_the_table_expects(operation_id: str) -> None:
    path, method, operation = OPERATIONS[operation_id]
    documented = {int(status) for status in operation["responses"] if status.isdigit()}
    public = operation["security"] == []
    for case in ACCESS.get(operation_id, ()):
        missing = set(expected(public, case).values()) - documented
        assert not missing, f"{method.upper()} {path} answers {sorted(missing)}, which it does not document"


@pytest.mark.parametrize("operation_id", list(OPERATIONS))
def test_every_caller_gets_the_answer_the_table_expects(world: MatrixWorld, operation_id: str) -> None:
    path, method, operation = OPERATIONS[operation_id]
    cases = ACCESS.get(operation_id)
    if cases is None:
        pytest.fail(f"{method.upper()} {path} ({operation_id}) has no row in tests/security/access_table.py")
    problems = [problem for case in cases for problem in _ask_everyone(world, path, method, operation, case)]
    assert not problems, "\n".join(problems)


def _url(path: str, case: Case, ids: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda found: quote(ids[case.path.get(found[1], found[1])], safe=""), path)


def _ask_everyone(world: MatrixWorld, path: str, method: str, operation: dict[str, Any], case: Case) -> list[str]:
    url = _url(path, case, world.ids)
    kwargs: dict[str, Any] = {"params": {name: world.ids[key] for name, key in case.query.items()}}
    body = case.json(world.ids)
    if body is not None:
        kwargs["json"] = body
    want = expected(operation["security"] == [], case)
    label = f"{method.upper()} {url}"
    problems: list[str] = []
    world.settle()
    room, tables = world.room_state(), world.database()
    # Refusals (and other errors) first, each checked for leaving everything as it was; then the calls
    # that are allowed to change something.
    for caller in [c for c in Caller if want[c] >= 400]:
        response = world.call(caller, method.upper(), url, **kwargs)
        if response.status_code != want[caller]:
            problems.append(f"{label} as {caller}: {response.status_code} {response.text[:300]}, want {want[caller]}")
        elif not response.headers["content-type"].startswith("application/json") or "error" not in response.json():
            problems.append(f"{label} as {caller}: {response.status_code} without an error code")
        if world.room_state() != room:
            problems.append(f"{label} as {caller} answered {response.status_code} but changed the room")
            room = world.room_state()
    world.settle()  # a refusal that set off a derivation would show in the tables once it has run
    changed = [name for name, digest in world.database().items() if tables[name] != digest]
    if changed:
        problems.append(f"{label}: the refused calls changed the tables {changed}")
    for caller in [c for c in Caller if want[c] < 400]:
        response = world.call(caller, method.upper(), url, **kwargs)
        if response.status_code != want[caller]:
            problems.append(f"{label} as {caller}: {response.status_code} {response.text[:300]}, want {want[caller]}")
    return problems


# --- live documents ---------------------------------------------------------------------------------------

SOCKETS = [
    (path, doc)
    for path, socket in DOCUMENT["x-websockets"].items()
    for doc in socket["parameters"]["doc"]["schema"]["enum"]
]


def _socket_expected(doc: str) -> dict[Caller, int | None]:
    """The close code each caller gets (None: the document opens and syncs)."""
    refused: dict[Caller, int] = {C.OUTSIDER: 4401, C.REVOKED: 4401, C.OTHER_CUSTOMER: 4404, C.OTHER_REP: 4404}
    if doc == DocName.INTERNAL:
        refused[C.CUSTOMER] = 4403  # customers never open the internal document
    return {caller: refused.get(caller) for caller in Caller}


@pytest.mark.parametrize(("path", "doc"), SOCKETS, ids=[doc for _, doc in SOCKETS])
async def test_who_may_open_each_live_document(world: MatrixWorld, path: str, doc: str) -> None:
    url = world.server.url.replace("http", "ws", 1) + path.format(room_id=world.ids["room_id"], doc=doc)
    world.settle()
    room = world.room_state()
    problems: list[str] = []
    for caller, want in _socket_expected(doc).items():
        token = world.tokens[caller]
        client = YClient(url, {"Authorization": f"Bearer {token}"} if token else {}, doc=DocName(doc))
        await client.connect(handshake=want is None)
        if want is None:
            if not client.synced.is_set() or client.closed.is_set():
                problems.append(f"{caller} could not open {doc}: closed with {client.close_code} {client.close_reason}")
            await client.close()
            continue
        try:
            await client.wait_closed(timeout=5)
        except TimeoutError:
            problems.append(f"{caller} opened {doc}, want close code {want}")
            await client.close()
            continue
        if client.close_code != want:
            problems.append(f"{caller} on {doc}: closed with {client.close_code} {client.close_reason}, want {want}")
        if any(message[0] == protocol.MessageType.SYNC for message in client.received):
            problems.append(f"{caller} was refused {doc} but received some of it")
        if world.room_state() != room:
            problems.append(f"{caller} was refused {doc} but the room changed")
    assert not problems, "\n".join(problems)


# --- what a refused wall hides -------------------------------------------------------------------------------

INTERNAL_KEYS = {"cost_total", "margin", "margin_pct", "floor_unit", "below_floor", "max_line_discount_pct",
                 "commission", "approval", "approvals", "category", "competitor_notes", "internal"}  # fmt: skip


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for inner in value.values() for key in _keys(inner)}
    if isinstance(value, list):
        return {key for inner in value for key in _keys(inner)}
    return set()


def test_a_customer_sees_none_of_the_internal_figures(world: MatrixWorld) -> None:
    room = f"/api/rooms/{world.ids['room_id']}"
    reads = [f"{room}/snapshot", f"{room}/quote", f"{room}/deviations", room, "/api/pricebook/products/PLAT-ENT"]
    for path in reads:
        internal = _keys(world.ok(C.REP, "GET", path).json()) & INTERNAL_KEYS
        seen = _keys(world.ok(C.CUSTOMER, "GET", path).json()) & INTERNAL_KEYS
        assert not seen, f"a customer reads {sorted(seen)} in GET {path}"
        assert internal or path == room, f"the rep reads no internal figure in GET {path}: the check checks nothing"


def test_someone_who_may_not_decide_is_refused_whatever_version_they_name(world: MatrixWorld) -> None:
    path = f"/api/approvals/{world.ids['request_id']}/steps/{world.ids['step_id']}/decision"
    stale = {"decision": "reject", "fingerprint": "0" * 32}
    answers = {caller: world.call(caller, "POST", path, json=stale).status_code for caller in (C.CUSTOMER, C.LEGAL)}
    assert answers == {C.CUSTOMER: 403, C.LEGAL: 403}


# Last in the module: while the bug lasts, it adds a request to the room.
def test_resubmitting_the_approved_version_is_a_conflict(world: MatrixWorld) -> None:
    response = world.call(C.REP, "POST", f"/api/rooms/{world.ids['room_id']}/approvals")
    assert response.status_code == 409, response.text
