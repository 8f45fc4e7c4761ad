"""Mentions are mailed through a real SMTP server: the first at once, then at most one mail per person per room
per DEALROOM_DIGEST_MINUTES, the rest batched into it; never a customer for an internal thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import Message

from tests.conftest import World
from tests.support.smtp import Inbox, smtp_server
from tests.workspace.threads.helpers import furnish, threads_url
from workspace.storage.base import utcnow


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


class Clock:
    """The digest's clock, moved by the test (the windows are a quarter hour long)."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


async def _flush(world: World) -> None:
    await world.server.acall(world.server.services.digest.flush())


def _mention(world: World, who: int, name: str, text: str, **body: object) -> dict[str, object]:
    payload = {"kind": "question", "anchor": {"type": "room"}, "text": f"@[{name}]({who}) {text}", **body}
    opened = world.rep.http.post(threads_url(world), json=payload)
    assert opened.status_code == 201, opened.text
    return opened.json()  # type: ignore[no-any-return]


def _quiet(inbox: Inbox, count: int) -> None:
    """Still `count` mails, after a flush (which delivers what it sends before it returns) chose to send none."""
    assert len(inbox.messages) == count, [m["Subject"] for m in inbox.messages]


async def test_mentions_are_mailed_at_most_once_a_quarter_hour_per_room(make_server: Callable[..., object]) -> None:
    with smtp_server() as (smtp_url, inbox):
        world = World(make_server(smtp_url=smtp_url))  # type: ignore[arg-type]
        clock = Clock()
        world.server.services.digest.clock = clock
        await furnish(world)
        buyer = world.customer.user_id

        first = _mention(world, buyer, "Bo Buyer", "can you confirm the start date?")
        [mail] = inbox.wait_for(1)
        assert mail["To"] == "buyer@customer.test"
        assert mail["Subject"].startswith("Deal: Rita Rep mentioned you in a question: @Bo Buyer can you confirm")
        body = _body(mail)
        assert "Rita Rep mentioned you in a question: @Bo Buyer can you confirm the start date?" in body
        assert f"http://testserver.local/rooms/{world.room_id}?thread={first['id']}" in body

        # Two more within the quarter hour: nothing is sent yet.
        second = _mention(world, buyer, "Bo Buyer", "and the billing contact?")
        reply = world.rep.http.post(threads_url(world, str(first["id"]), "messages"),
                                    json={"text": f"@[Bo Buyer]({buyer}) ping"})  # fmt: skip
        assert reply.status_code == 201
        clock.now += timedelta(minutes=14)
        await _flush(world)
        _quiet(inbox, 1)

        # The window ends: one mail with both.
        clock.now += timedelta(minutes=1, seconds=1)
        await _flush(world)
        mails = inbox.wait_for(2)
        assert mails[1]["Subject"] == "Deal: 2 new updates"
        batched = _body(mails[1])
        assert "and the billing contact?" in batched and "ping" in batched
        assert f"?thread={second['id']}" in batched and f"?thread={first['id']}" in batched
        await _flush(world)
        _quiet(inbox, 2)


async def test_a_customer_mentioned_in_an_internal_thread_is_never_mailed(make_server: Callable[..., object]) -> None:
    with smtp_server() as (smtp_url, inbox):
        world = World(make_server(smtp_url=smtp_url))  # type: ignore[arg-type]
        await furnish(world)
        legal_id = world.legal.user_id
        text = f"@[Bo Buyer]({world.customer.user_id}) and @[Lou Legal]({legal_id}): floor is 18%"
        opened = world.rep.http.post(threads_url(world), json={"kind": "note", "visibility": "internal",
                                                               "anchor": {"type": "room"}, "text": text})  # fmt: skip
        assert opened.status_code == 201, opened.text
        [mail] = inbox.wait_for(1)
        assert mail["To"] == "legal@example.test" and "floor is 18%" in _body(mail)
        await _flush(world)
        _quiet(inbox, 1)
        assert inbox.to("buyer@customer.test") == []


async def test_two_workers_flushing_at_once_mail_each_waiting_line_once(make_server: Callable[..., object]) -> None:
    import asyncio

    from workspace.notify.digest import Digest
    from workspace.notify.models import DigestItem

    with smtp_server() as (smtp_url, inbox):
        world = World(make_server(smtp_url=smtp_url))  # type: ignore[arg-type]
        services = world.server.services
        with services.sessions.begin() as db:
            for i in range(3):
                db.add(DigestItem(user_id=world.customer.user_id, room_id=world.room_id, line=f"line {i}",
                                  link=f"http://testserver.local/rooms/{world.room_id}"))  # fmt: skip
        workers = [Digest(services.sessions, services.mailer, 15) for _ in range(2)]

        async def both() -> None:
            await asyncio.gather(*(worker.flush() for worker in workers))

        await world.server.acall(both())
        [mail] = inbox.wait_for(1)
        assert mail["Subject"] == "Deal: 3 new updates"
        await world.server.acall(both())
        _quiet(inbox, 1)
