"""Mail to approvers through a real SMTP server, with signed links that decide one step in two taps."""

from __future__ import annotations

import re
from collections.abc import Callable
from email.header import decode_header, make_header
from email.message import Message

import httpx

from tests.conftest import World
from tests.support.accounts import add_user, sign_in
from tests.support.smtp import Inbox, smtp_server
from tests.support.yclient import YClient
from tests.workspace.approval_policy.test_preview import _line, _with_policy
from tests.workspace.approval_policy.test_requests import _set_discount, _submit
from tests.workspace.exports.test_export import _add_clauses, _edit_word, _library, _statuses
from workspace.pricing.samples import SAMPLE_PRICE_BOOK


def _body(message: object) -> str:
    return message.get_payload(decode=True).decode()  # type: ignore[attr-defined,no-any-return]


def _asking(inbox: Inbox, count: int) -> list[Message]:
    """The first `count` mails asking an approver to decide (the rep hears of decisions too, in the room's
    mail digest, at its own moment)."""

    def asking() -> list[Message]:
        return [m for m in inbox.messages if str(m["Subject"]).startswith("Approval needed")]

    with inbox.arrived:
        inbox.arrived.wait_for(lambda: len(asking()) >= count, timeout=10)
        found = asking()
    assert len(found) >= count, [m["Subject"] for m in inbox.messages]
    return found


def _link(message: object) -> str:
    body = _body(message)
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

        mails = _asking(inbox, 1)
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

        vp_mail = _asking(inbox, 2)[-1]
        assert vp_mail["To"] == "vp@example.test"
        assert anonymous.get(f"/api/approvals/link/{token[:-2]}xx").status_code == 404  # tampered
        done = anonymous.post(f"/api/approvals/link/{_link(vp_mail)}/decision", json=body).json()
        assert done["state"] == "approved" and done["request_id"] == request["request_id"]
        assert len(_asking(inbox, 2)) == 2, "no mail for steps that did not open"
        anonymous.close()
        admin.http.close()


async def test_legal_reads_clause_names_in_the_mail_not_library_keys(make_server: Callable[..., object]) -> None:
    with smtp_server() as (smtp_url, inbox):
        world = World(make_server(smtp_url=smtp_url))  # type: ignore[arg-type]
        add_user(world.server.services.sessions, "admin@example.test", "admin")
        admin = sign_in(world.server.url, "admin@example.test")
        admin.http.put("/api/pricebook", json=SAMPLE_PRICE_BOOK).raise_for_status()
        world.admin = admin  # type: ignore[attr-defined]
        _library(world)  # type: ignore[arg-type]
        _with_policy(world)  # type: ignore[arg-type]
        async with YClient(world.ws(), world.rep.bearer) as rep:
            await rep.edit(_line(10))
            await rep.edit(_add_clauses("data_protection", "confidentiality"))
            await rep.wait_for(lambda: _statuses(rep) == ["standard", "standard"], what="the clause check")
            await rep.edit(_edit_word(0, "72 hours", "96 hours"))
            await rep.edit(_edit_word(1, "5 years", "2 years"))
            await rep.wait_for(lambda: _statuses(rep) == ["non_standard", "non_standard"], what="the deviations")
        submitted = _submit(world)  # type: ignore[arg-type]
        assert submitted.status_code == 201, submitted.text
        [step] = submitted.json()["steps"]
        assert step["id"] == "legal-clauses"
        assert step["tested"]["non_standard_clauses"] == ["confidentiality", "data_protection"], "keys stay in data"

        [mail] = inbox.wait_for(1)
        assert mail["To"] == "legal@example.test"
        assert str(make_header(decode_header(mail["Subject"]))) == "Approval needed: Deal — Legal"
        body = _body(mail)
        assert "Non-standard clause: non-standard clauses: Confidentiality, Data protection" in body, body
        for key in ("data_protection", "non_standard", "legal-clauses", "deal."):
            assert key not in body, (key, body)
        opened = httpx.get(f"{world.server.url}/api/approvals/link/{_link(mail)}").json()
        assert (
            opened["reason"]
            == step["reason"]
            == "Non-standard clause: non-standard clauses: Confidentiality, Data protection"
        )
        admin.http.close()
