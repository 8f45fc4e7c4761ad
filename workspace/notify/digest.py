"""The mail digest: a person gets at most one mail per room per `DEALROOM_DIGEST_MINUTES` (15); whatever
comes up meanwhile waits and goes out together in the next one.

`enqueue` adds a line to a person's next mail about a room (in the caller's transaction). `Digest` is the
flusher, started and stopped in the app's lifespan: woken when something is queued, it mails every person
whose window has passed, then sleeps until the next window ends. The first line for a quiet room goes out
at once; a busy room's lines are batched. Anything may queue lines (thread mentions now; the activity
feed's notifications later) through `enqueue`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from workspace.auth.models import User
from workspace.notify.mail import Mail, Mailer
from workspace.notify.models import DigestItem
from workspace.rooms.models import Room
from workspace.storage.base import utcnow

log = logging.getLogger(__name__)

MAX_LINE = 600
"""A line quotes the start of a message; the link opens the rest."""
MAX_SUBJECT = 100
"""A one-line mail's subject is its line, cut here (mail clients show about this much)."""
MAX_SLEEP_SECONDS = 60.0
"""Even with nothing due, look again this often (a line queued by another process, a clock step)."""


def enqueue(db: Session, user_id: int, room_id: str, line: str, link: str, now: datetime | None = None) -> None:
    """Queue one line of `user_id`'s next mail about `room_id`."""
    text = line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"
    db.add(DigestItem(user_id=user_id, room_id=room_id, line=text, link=link[:2000], created_at=now or utcnow()))


@dataclass(frozen=True)
class _Batch:
    user_id: int
    room_id: str
    to: str
    room_title: str
    items: list[tuple[int, str, str]]  # (id, line, link)


class Digest:
    def __init__(self, sessions: sessionmaker[Session], mailer: Mailer, minutes: float,
                 clock: Callable[[], datetime] = utcnow) -> None:  # fmt: skip
        self.sessions = sessions
        self.mailer = mailer
        self.window = timedelta(minutes=minutes)
        self.clock = clock
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="dealroom-mail-digest")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def wake(self) -> None:
        """Something was queued: look now (its person may be due)."""
        self._wake.set()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                due = await self.flush()
            except Exception:
                log.exception("the mail digest could not be sent; trying again later")
                due = None
            now = self.clock()
            sleep = MAX_SLEEP_SECONDS if due is None else max(0.0, min(MAX_SLEEP_SECONDS, (due - now).total_seconds()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), sleep)

    async def flush(self) -> datetime | None:
        """Mail everyone whose window has passed; return when the next waiting person's window ends (None
        when nobody waits)."""
        async with self._lock:
            now = self.clock()
            batches, due = await run_in_threadpool(self._due, now)
            batches = await run_in_threadpool(self._claim, batches, now)
            try:
                await self.mailer.send([self._mail(batch) for batch in batches])
            except BaseException:
                await run_in_threadpool(self._unclaim, [item for b in batches for item, _, _ in b.items])
                raise
            return due

    def _due(self, now: datetime) -> tuple[list[_Batch], datetime | None]:
        with self.sessions.begin() as db:
            waiting = db.execute(
                select(DigestItem.id, DigestItem.user_id, DigestItem.room_id, DigestItem.line, DigestItem.link)
                .where(DigestItem.sent_at.is_(None)).order_by(DigestItem.id)
            ).all()  # fmt: skip
            if not waiting:
                return [], None
            groups: dict[tuple[int, str], list[tuple[int, str, str]]] = {}
            for row in waiting:
                groups.setdefault((row.user_id, row.room_id), []).append((row.id, row.line, row.link))
            users = {user_id for user_id, _ in groups}
            rooms = {room_id for _, room_id in groups}
            last = {
                (row.user_id, row.room_id): row.last
                for row in db.execute(
                    select(DigestItem.user_id, DigestItem.room_id, func.max(DigestItem.sent_at).label("last"))
                    .where(DigestItem.user_id.in_(users), DigestItem.room_id.in_(rooms))
                    .where(DigestItem.sent_at.is_not(None))
                    .group_by(DigestItem.user_id, DigestItem.room_id)
                )
            }  # fmt: skip
            emails = dict(db.execute(select(User.id, User.email).where(User.id.in_(users))).all())
            titles = dict(db.execute(select(Room.id, Room.title).where(Room.id.in_(rooms))).all())
        batches: list[_Batch] = []
        next_due: datetime | None = None
        for (user_id, room_id), items in groups.items():
            sent = last.get((user_id, room_id))
            opens = sent + self.window if sent is not None else now
            if opens <= now:
                batches.append(_Batch(user_id, room_id, emails.get(user_id, ""), titles.get(room_id, ""), items))
            elif next_due is None or opens < next_due:
                next_due = opens
        return batches, next_due

    def _claim(self, batches: list[_Batch], now: datetime) -> list[_Batch]:
        """Mark the batches' items sent, keeping only those no other worker claimed first (several workers
        flush the same table: each item is mailed by exactly one of them)."""
        ids = [item for batch in batches for item, _, _ in batch.items]
        if not ids:
            return []
        with self.sessions.begin() as db:
            claimed = set(
                db.execute(
                    update(DigestItem)
                    .where(DigestItem.id.in_(ids), DigestItem.sent_at.is_(None))
                    .values(sent_at=now)
                    .returning(DigestItem.id)
                ).scalars()
            )
        kept = [replace(b, items=[i for i in b.items if i[0] in claimed]) for b in batches]
        return [batch for batch in kept if batch.items]

    def _unclaim(self, ids: list[int]) -> None:
        """The mails could not be sent: their items wait for the next flush."""
        with self.sessions.begin() as db:
            db.execute(update(DigestItem).where(DigestItem.id.in_(ids)).values(sent_at=None))

    @staticmethod
    def _mail(batch: _Batch) -> Mail:
        count = len(batch.items)
        # One line says what happened in the subject itself; a batch says how many things did.
        first = " ".join(batch.items[0][1].split()) if count == 1 else ""
        headline = first if len(first) <= MAX_SUBJECT else first[: MAX_SUBJECT - 1] + "…"
        subject = f"{batch.room_title}: {headline}" if count == 1 else f"{batch.room_title}: {count} new updates"
        parts = [f"{line}\nOpen it: {link}" for _, line, link in batch.items]
        body = f"In the deal room {batch.room_title}:\n\n" + "\n\n".join(parts) + "\n"
        return Mail(batch.to, subject, body)
