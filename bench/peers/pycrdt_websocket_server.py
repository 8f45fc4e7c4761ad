"""pycrdt-websocket peer for the latency bench.

    .venv/bin/python bench/peers/pycrdt_websocket_server.py --port 1236 [--db FILE | --no-store]

pycrdt-websocket's WebsocketServer behind its ASGIServer, served by uvicorn (as in the
pycrdt-websocket docs). Each room (named by the URL path, e.g. "/bench-3") gets a
SQLiteYStore; all rooms share one SQLite file (default: a fresh temporary file).
Prints "ready PORT" once listening. Bench-only: pycrdt-websocket is not a Dealroom dependency.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import tempfile
from pathlib import Path

import uvicorn
from anyio import Event
from pycrdt.store import SQLiteYStore, YDocNotFound
from pycrdt.websocket import ASGIServer, WebsocketServer, YRoom
from uvicorn.protocols.utils import ClientDisconnected


def quiet_disconnects(exception: Exception, log: logging.Logger) -> bool:
    """Log a client vanishing mid-send as one line instead of a traceback; let others raise."""
    log.debug("websocket exception: %r", exception)
    if isinstance(exception, ExceptionGroup):
        return exception.split(ClientDisconnected)[1] is None
    return isinstance(exception, ClientDisconnected)


class StoredRoomsServer(WebsocketServer):
    """WebsocketServer whose rooms persist every update to a SQLiteYStore."""

    def __init__(self, db_path: str | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store_cls = type("BenchYStore", (SQLiteYStore,), {"db_path": db_path}) if db_path else None
        self.loaded: dict[str, Event] = {}

    async def get_room(self, name: str) -> YRoom:
        if name not in self.rooms:
            ystore = self.store_cls(path=name) if self.store_cls else None
            self.rooms[name] = room = YRoom(
                ready=False, ystore=ystore, log=self.log, exception_handler=self.exception_handler
            )
            self.loaded[name] = loaded = Event()
            await self.start_room(room)  # also starts the ystore
            if ystore:
                await ystore.started.wait()
                with contextlib.suppress(YDocNotFound):  # a new room
                    await ystore.apply_updates(room.ydoc)
            room.ready = True
            loaded.set()
            return room
        # concurrent joiners wait for the creator to start and load the room
        await self.loaded[name].wait()
        return self.rooms[name]

    async def delete_room(self, *, name: str | None = None, room: YRoom | None = None) -> None:
        name = name if name is not None else self.get_room_name(room)
        self.loaded.pop(name, None)
        await super().delete_room(name=name)


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=1236)
    ap.add_argument("--db", help="SQLite file (default: a new temporary file)")
    ap.add_argument("--no-store", action="store_true", help="no YStore: in-memory rooms only")
    args = ap.parse_args()
    db = args.db or str(Path(tempfile.mkdtemp(prefix="pycrdt-ws-")) / "ystore.db")
    db = None if args.no_store else db

    logging.basicConfig(level=logging.WARNING)
    websocket_server = StoredRoomsServer(db, exception_handler=quiet_disconnects)
    app = ASGIServer(websocket_server)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    if websocket_server.store_cls:
        # Create the schema once, up front: SQLiteYStore's own first-use initialisation races
        # (table exists / readonly / malformed db) when dozens of rooms open at once on a new file.
        async with websocket_server.store_cls(path="/") as store:
            await store.db_initialized.wait()
    async with websocket_server:
        serving = asyncio.create_task(server.serve())
        while not server.started and not serving.done():
            await asyncio.sleep(0.05)
        if serving.done():
            sys.exit(f"uvicorn failed to start: {serving.exception()}")
        print(f"ready {args.port}", flush=True)
        await serving


if __name__ == "__main__":
    asyncio.run(main())
