"""Nothing acknowledged is ever lost: the server is SIGKILLed while clients edit; after a restart,
every update that any other client had received is there."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.support.accounts import seed_room
from tests.support.marks import marks
from tests.support.process import ServerProcess
from tests.support.yclient import YClient, edit_until_closed
from workspace.settings import Settings
from workspace.storage.engine import make_engine, make_sessionmaker

pytestmark = pytest.mark.database


def _seen_from_others(client: YClient, name: str) -> set[str]:
    return {key for key in marks(client.doc) if not key.startswith(f"{name}-")}


async def test_sigkill_while_editing_loses_nothing_anyone_saw(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(Settings(database_url=database_url))
    room_id, rep_token, customer_token = seed_room(make_sessionmaker(engine))
    engine.dispose()
    server = ServerProcess(database_url, tmp_path).start()
    try:
        names = ["rep", "buyer", "rep2"]
        tokens = [rep_token, customer_token, rep_token]
        clients = [YClient(server.ws_url(room_id), {"Authorization": f"Bearer {t}"}) for t in tokens]
        observer = YClient(server.ws_url(room_id), {"Authorization": f"Bearer {rep_token}"})
        for client in [*clients, observer]:
            await client.connect()
        editors = [asyncio.create_task(edit_until_closed(c, n)) for c, n in zip(clients, names, strict=True)]
        await observer.wait_for(lambda: len(marks(observer.doc)) >= 300, timeout=30)
        server.kill()
        await asyncio.gather(*editors)
        for client in [*clients, observer]:
            await client.wait_closed()
        seen = marks(observer.doc)
        for client, name in zip(clients, names, strict=True):
            seen |= _seen_from_others(client, name)
        assert len(seen) >= 300

        server.start()
        async with YClient(server.ws_url(room_id), {"Authorization": f"Bearer {rep_token}"}) as after:
            stored = marks(after.doc)
        lost = seen - stored
        assert lost == set(), f"{len(lost)} updates that clients had received were lost, e.g. {sorted(lost)[:5]}"
    finally:
        server.stop()
