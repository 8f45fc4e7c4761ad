"""Mail to approvers through a real SMTP server, with signed links that decide one step in two taps."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx

from tests.conftest import World
from tests.support.accounts import add_user, sign_in
from tests.support.smtp import smtp_server
from tests.workspace.approval_policy.test_preview import _with_policy
from tests.workspace.approval_policy.test_requests import _set_discount, _submit
from workspace.pricing.samples import SAMPLE_PRICE_BOOK


def _link(message: object) -> str:
    body = message.get_payload(decode=True).decode()  # type: ignore[attr-defined]
    found = re.search(r"/approve/(\S+)", body)
    assert found, body
    return found.group(1)


async def test_approvers_get_mail_in_turn_and_decide_from_the_link(make_server: Callable[..., object]) -> None:
    with smtp_server() as (smtp_url, inbox):
        world = World(make_server(smtp_url=smtp_url))  # type: ignore[arg-type]
        sessions = world.server.services.sessions
        for email, role in (("admin@example.test", "admin"), ("manager@example.test", "sales_manager"),
                            ("vp@example.test", "vp_sales")):  # fmt: skip
            add_user(sessions, email, role)
        admin = sign_in(world.server.url, "admin@example.test")
        admin.http.put("/api/pricebook", json=SAMPLE_PRICE_BOOK).raise_for_status()
        world.admin = admin  # type: ignore[attr-defined]
        _with_policy(world)  # type: ignore[arg-type]
        await _set_discount(world, 32, first=True)  # type: ignore[arg-type]
        request = _submit(world).json()  # type: ignore[arg-type]

        mails = inbox.wait_for(1)
        assert [m["To"] for m in mails] == ["manager@example.test"], "only the first order's approver, for now"
        assert "Approval needed: Deal" in mails[0]["Subject"]
        token = _link(mails[0])
        anonymous = httpx.Client(base_url=world.server.url)
        opened = anonymous.get(f"/api/approvals/link/{token}").json()
        assert (opened["step_id"], opened["room_title"]) == ("discount-over-20", "Deal")
        assert "32%" in opened["reason"]

        # A cross-site form cannot use the link: JSON only.
        form = anonymous.post(f"/api/approvals/link/{token}/decision", content="decision=approve",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        assert form.status_code == 400
        # Tap "Approve": no sign-in, the link is the credential for this one step.
        body = {"decision": "approve", "fingerprint": opened["fingerprint"]}
        decided = anonymous.post(f"/api/approvals/link/{token}/decision", json=body)
        assert decided.status_code == 200 and decided.json()["steps"][0]["state"] == "approved"

        vp_mail = inbox.wait_for(2)[-1]
        assert vp_mail["To"] == "vp@example.test"
        assert anonymous.get(f"/api/approvals/link/{token[:-2]}xx").status_code == 404  # tampered
        done = anonymous.post(f"/api/approvals/link/{_link(vp_mail)}/decision", json=body).json()
        assert done["state"] == "approved" and done["request_id"] == request["request_id"]
        assert len(inbox.messages) == 2, "no mail for steps that did not open"
        anonymous.close()
        admin.http.close()
