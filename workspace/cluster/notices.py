"""Notices every worker must act on: what one worker learnt that changes the others' rooms or sockets.

A notice is a kind and a small JSON payload, published on one channel; each worker acts on the
ones of the others (the sender has acted already). Kinds and their handlers are registered by the
services (`workspace/services.py`): a session signed out closes its sockets wherever they are, a new
approval policy or clause library re-derives the rooms each worker holds, and so on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from workspace.cluster.link import NOTICES, Link

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]


class Notices:
    def __init__(self, link: Link) -> None:
        self.link = link
        self.handlers: dict[str, Handler] = {}

    def publish(self, kind: str, data: dict[str, Any]) -> None:
        self.link.publish(NOTICES, json.dumps({"from": self.link.worker_id, "kind": kind, "data": data}).encode())

    def handle(self, raw: bytes) -> None:
        notice = json.loads(raw)
        if notice.get("from") == self.link.worker_id:
            return
        handler = self.handlers.get(notice.get("kind"))
        if handler is None:
            log.warning("a notice of unknown kind %r", notice.get("kind"))
            return
        try:
            handler(notice["data"])
        except Exception:
            log.exception("acting on a %s notice failed", notice.get("kind"))
