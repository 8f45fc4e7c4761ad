"""`GET /api/insights` and its CSV on a real room's history: a customer's question, an approval the manager
gave, an export; who may read which rooms, and the refusals."""

from __future__ import annotations

import csv
import io
from typing import Any

from tests.conftest import PricedWorld
from tests.support.accounts import Api, add_user, sign_in
from tests.support.yclient import wait_until
from tests.workspace.approval_policy.test_preview import _with_policy
from tests.workspace.approval_policy.test_requests import _set_discount
from workspace.insights.report import CSV_HEADER


def _insights(api: Api, **params: str) -> Any:
    return api.http.get("/api/insights", params=params)


def _room(report: dict[str, Any], room_id: str) -> dict[str, Any]:
    [room] = [room for room in report["rooms"] if room["room_id"] == room_id]
    return room


async def test_a_manager_sees_where_the_deal_waited_and_a_rep_only_their_own_rooms(priced: PricedWorld) -> None:
    sessions = priced.server.services.sessions
    _with_policy(priced)
    add_user(sessions, "manager@example.test", "sales_manager", "Mo Manager")
    add_user(sessions, "rep2@example.test", "rep", "Ray Rival")
    add_user(sessions, "fin@example.test", "finance", "Fay Finance")
    manager, rival, finance = (sign_in(priced.server.url, email) for email in
                               ("manager@example.test", "rep2@example.test", "fin@example.test"))  # fmt: skip
    rival_room = rival.http.post("/api/rooms", json={"title": "Rival deal", "customer_name": "Else"}).json()["id"]
    threads = f"/api/rooms/{priced.room_id}/threads"
    said = priced.rep.http.post(threads, json={"kind": "note", "anchor": {"type": "room"}, "text": "Welcome"})
    assert said.status_code == 201, said.text
    asked = priced.customer.http.post(threads, json={"kind": "question", "anchor": {"type": "room"}, "text": "Net 60?"})
    assert asked.status_code == 201, asked.text
    await _set_discount(priced, 25, first=True)
    submitted = priced.rep.http.post(f"/api/rooms/{priced.room_id}/approvals").json()
    [step] = submitted["steps"]
    body = {"decision": "approve", "comment": "ok", "fingerprint": submitted["fingerprint"]}
    decision = manager.http.post(f"/api/approvals/{submitted['request_id']}/steps/{step['id']}/decision", json=body)
    assert decision.status_code == 200, decision.text
    exported = priced.rep.http.post(f"/api/rooms/{priced.room_id}/export", json={"format": "docx"})
    assert exported.status_code == 200, exported.text

    def told() -> dict[str, Any] | None:
        report = _insights(manager).json()
        room = _room(report, priced.room_id)
        return report if room["customer_replies"]["count"] == 1 else None  # thread events are written async

    await wait_until(lambda: told() is not None, 10, "the customer's question to be on record")
    report = told()
    assert report is not None
    room = _room(report, priced.room_id)
    assert room["stage"] == "exported" and room["rep"]["name"] == "Rita Rep"
    assert [span["stage"] for span in room["intervals"]] == [
        "draft",
        "negotiating",
        "in_approval",
        "approved",
        "exported",
    ]
    [wait] = room["approval_waits"]
    assert wait["outcome"] == "approved" and wait["decided_by"]["name"] == "Mo Manager"
    assert [p["name"] for p in wait["waited_on"]] == ["Mo Manager"]
    assert room["to_first_export_seconds"] > 0 and room["rounds"] == 0
    [approver] = report["approvers"]
    assert (approver["name"], approver["count"], approver["waiting_now"]) == ("Mo Manager", 1, 0)
    system = {item["kind"]: item for item in report["system"]}
    assert system["routing"]["count"] == 1 and system["export"]["count"] == 1 and system["pricing"]["count"] >= 1
    assert system["export"]["median"] > 0
    people = {item["kind"]: item["count"] for item in report["people"]}
    assert people == {"approval_wait": 1, "customer_reply": 1}
    assert {r["room_id"] for r in report["rooms"]} == {priced.room_id, priced.other_room_id, rival_room}
    assert {r["name"]: r["rooms"] for r in report["reps"]} == {"Rita Rep": 2, "Ray Rival": 1}

    # A rep sees their own rooms only, and may not ask for another's; finance sees all; one rep on request.
    own = _insights(priced.rep).json()
    assert {r["room_id"] for r in own["rooms"]} == {priced.room_id, priced.other_room_id}
    assert own["filters"]["rep"] is not None
    assert _insights(rival, rep=str(own["filters"]["rep"])).status_code == 403
    assert {r["room_id"] for r in _insights(finance).json()["rooms"]} == {r["room_id"] for r in report["rooms"]}
    only = _insights(manager, rep=str(own["filters"]["rep"])).json()
    assert {r["room_id"] for r in only["rooms"]} == {priced.room_id, priced.other_room_id}
    # Customers and legal are refused, and so is bad input; the period keeps rooms opened in it.
    for api in (priced.customer, priced.legal):
        refused = _insights(api)
        assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
        assert api.http.get("/api/insights.csv").status_code == 403
    for params in ({"from": "2026-13-01"}, {"to": "yesterday"}, {"from": "2026-12-05", "to": "2026-12-01"},
                   {"rep": "-1"}, {"colour": "blue"}, {"from": "2020-01-01", "to": "2026-01-01"}):  # fmt: skip
        assert _insights(manager, **params).status_code == 400, params
    assert _insights(manager, to="2020-01-01").json()["rooms"] == []
    opened = room["opened_at"][:10]
    assert len(_insights(manager, **{"from": opened, "to": opened}).json()["rooms"]) == 3

    # The CSV: a header, then one row per room, as a download.
    download = manager.http.get("/api/insights.csv")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert download.headers["content-disposition"].startswith('attachment; filename="dealroom-insights-')
    rows = list(csv.reader(io.StringIO(download.text)))
    assert tuple(rows[0]) == CSV_HEADER and len(rows) == 4
    mine = dict(zip(rows[0], next(row for row in rows if row[0] == priced.room_id), strict=True))
    assert mine["stage"] == "exported" and mine["longest_wait_on"] == "Mo Manager" and mine["approval_steps"] == "1"
    assert float(mine["to_first_export_seconds"]) == room["to_first_export_seconds"]
    for api in (manager, rival, finance):
        api.http.close()


async def test_a_title_a_spreadsheet_would_run_is_written_as_text(priced: PricedWorld) -> None:
    add_user(priced.server.services.sessions, "vp@example.test", "vp_sales", "Vi VP")
    vp = sign_in(priced.server.url, "vp@example.test")
    room = priced.rep.http.post("/api/rooms", json={"title": '=HYPERLINK("http://x")', "customer_name": "X"})
    assert room.status_code == 201, room.text
    rows = list(csv.reader(io.StringIO(vp.http.get("/api/insights.csv").text)))
    [title] = [row[1] for row in rows if row[0] == room.json()["id"]]
    assert title == '\'=HYPERLINK("http://x")'
    vp.http.close()
