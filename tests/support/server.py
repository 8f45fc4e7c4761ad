"""A real Dealroom server on an ephemeral loopback port, in a thread of the test process."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import uvicorn

from workspace.app import create_app
from workspace.server import uvicorn_config
from workspace.services import Services
from workspace.settings import Settings

T = TypeVar("T")


class LiveServer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = create_app(settings)
        self._server = uvicorn.Server(uvicorn_config(self.app, settings, "127.0.0.1", 0, log_level="warning"))
        self._server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self._thread = threading.Thread(target=self._run, name="dealroom-test-server", daemon=True)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.port = 0

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        await self._server.serve()

    def start(self, timeout: float = 20) -> LiveServer:
        self._thread.start()
        deadline = threading.Event()
        for _ in range(int(timeout * 100)):
            if self._server.started:
                break
            if not self._thread.is_alive():
                raise RuntimeError("the test server failed to start")
            deadline.wait(0.01)
        else:
            raise RuntimeError("the test server did not start in time")
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws_url(self, room_id: str, doc: str = "shared") -> str:
        return f"ws://127.0.0.1:{self.port}/ws/rooms/{room_id}/{doc}"

    @property
    def services(self) -> Services:
        return self.app.state.services  # type: ignore[no-any-return]

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 10) -> T:
        """Run a coroutine on the server's own loop (room documents belong to that thread)."""
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def acall(self, coro: Coroutine[Any, Any, T], timeout: float = 10) -> T:
        assert self.loop is not None
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return await asyncio.wait_for(asyncio.wrap_future(future), timeout)

    async def doc_state(self, room_id: str, doc: str = "shared") -> bytes | None:
        """The server's in-memory document, encoded (None when not loaded)."""
        from workspace.sync.documents import DocName

        async def read() -> bytes | None:
            room = self.services.rooms.loaded(room_id, DocName(doc))
            return None if room is None else room.doc.get_update()

        return await self.acall(read())
