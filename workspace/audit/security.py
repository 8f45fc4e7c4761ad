"""Refused HTTP calls, counted for monitoring; throttled sign-ins also go into the audit log.

Every 401, 403 and 429 answer counts in `dealroom_http_refused_total` by its error code and the route's
handler: failed sign-ins (`sign_in`, `not_signed_in`), probing of routes that are not the caller's
(`forbidden`), throttled password guessing (`sign_in`, `rate_limited`). Past a sign-in budget
(`workspace/auth/signin_guard.py`) the first refusal per address and window is an `auth.signin_throttled`
event: an attack is on record without writing a row per guess.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict

from prometheus_client import CollectorRegistry, Counter
from starlette.requests import Request

from workspace.audit import chain
from workspace.storage.base import utcnow
from workspace.web import in_db

log = logging.getLogger(__name__)

REFUSALS = frozenset({401, 403, 429})
THROTTLED_EVENT = "auth.signin_throttled"
# One event per address per window: a guesser held back for an hour leaves six rows, not thousands.
WINDOW_SECONDS = 600.0
# Addresses remembered for the window; the oldest are forgotten (then recorded again, which is harmless).
MAX_ADDRESSES = 10_000


class SecurityEvents:
    """One per app, in the app's own registry (tests run several apps in one process)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.refused = Counter(
            "dealroom_http_refused",
            "HTTP calls answered 401, 403 or 429, by error code and route handler",
            ["reason", "endpoint"],
            registry=registry,
        )
        self._recorded: OrderedDict[str, float] = OrderedDict()

    async def observe(self, request: Request, status: int, code: str, detail: str) -> None:
        """Count a refusal; audit a throttled sign-in. Never raises: the refusal is answered either way."""
        if status not in REFUSALS or request.scope.get("type") != "http":
            return
        endpoint = getattr(request.scope.get("endpoint"), "__name__", "none")
        self.refused.labels(reason=code, endpoint=endpoint).inc()
        if status == 429 and endpoint == "sign_in":
            address = request.client.host if request.client else "unknown"
            if self._first_in_window(address):
                await self._audit(request, address, detail)

    def _first_in_window(self, address: str) -> bool:
        now = time.monotonic()
        last = self._recorded.pop(address, None)
        if last is not None and now - last < WINDOW_SECONDS:
            self._recorded[address] = last
            return False
        self._recorded[address] = now
        while len(self._recorded) > MAX_ADDRESSES:
            self._recorded.popitem(last=False)
        return True

    async def _audit(self, request: Request, address: str, detail: str) -> None:
        data = {"address": address, "detail": detail}
        try:
            await in_db(request, lambda db: chain.append(db, THROTTLED_EVENT, actor_id=None, room_id=None,
                                                         data=data, at=utcnow()))  # fmt: skip
        except Exception:  # the 429 still goes out; the log says why the event is missing
            self._recorded.pop(address, None)
            log.exception("could not audit a throttled sign-in from %s", address)
