"""What changed since a member last looked: one kept look per member, the compare with now, and who changed it."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import PricedWorld
from tests.workspace.approval_policy.test_preview import _with_policy
from tests.workspace.approval_policy.test_requests import _approvers
from tests.workspace.record.conftest import change_deal, open_deal, versions_url
from tests.workspace.record.test_versions import _save
from workspace.record.models import RoomVersion


def _since(api: object, priced: PricedWorld) -> dict[str, object]:
    answer = api.http.get(f"/api/rooms/{priced.room_id}/since-last-seen")  # type: ignore[attr-defined]
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def _seen(api: object, priced: PricedWorld) -> None:
    answer = api.http.post(f"/api/rooms/{priced.room_id}/seen")  # type: ignore[attr-defined]
    assert answer.status_code == 204, answer.text


async def test_the_customer_sees_what_changed_since_they_last_looked_and_nothing_of_approvals(
    priced: PricedWorld,
) -> None:
    _with_policy(priced)
    _approvers(priced)
    await open_deal(priced, discount=10)
    first = _since(priced.customer, priced)
    assert first == {"first_visit": True, "since": None, "changes": 0, "who": [], "compare": None}
    _seen(priced.customer, priced)
    assert _since(priced.customer, priced)["changes"] == 0, "nothing changed since"

    await change_deal(priced, 25, "12 months", "24 months")
    assert priced.rep.http.post(f"/api/rooms/{priced.room_id}/approvals").status_code == 201
    _save(priced, "Counter-offer")
    shown = _since(priced.customer, priced)
    assert shown["first_visit"] is False and shown["since"]
    assert shown["changes"] == 2
    compared = shown["compare"]
    assert [line["changed"][:1] for line in compared["lines"]] == [["discount_pct"]]  # type: ignore[index]
    assert [b["clause_id"] for b in compared["terms"] if b["status"] == "changed"] == ["liability"]  # type: ignore[index]
    assert shown["who"] == [{"id": priced.rep.user_id, "name": "Rita Rep", "role": "rep"}]
    assert "approv" not in str(shown).lower() and "submitted" not in str(shown).lower()

    # The rep sees their own look, not the customer's.
    assert _since(priced.rep, priced)["first_visit"] is True
    _seen(priced.customer, priced)
    _seen(priced.customer, priced)
    assert _since(priced.customer, priced)["changes"] == 0
    with priced.server.services.sessions() as db:
        seen = db.execute(select(RoomVersion).where(RoomVersion.reason == "seen")).scalars().all()
        assert [(row.seen_by, row.number) for row in seen] == [(priced.customer.user_id, None)], "one row per member"
    assert [v["reason"] for v in priced.rep.http.get(versions_url(priced)).json()["versions"]] == [
        "submitted", "manual",
    ], "a look is no version"  # fmt: skip
    assert priced.outsider.http.get(f"/api/rooms/{priced.room_id}/since-last-seen").status_code == 404
    assert priced.outsider.http.post(f"/api/rooms/{priced.room_id}/seen").status_code == 404
