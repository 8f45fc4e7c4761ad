"""A real OpenID Connect provider for the tests (npm `oidc-provider`, run by tests/idp/idp.mjs), a Dealroom
server whose public URL is known before it starts (the provider must know its redirect URI), and a
browser-like walk through the sign-in (httpx, one redirect at a time)."""

from __future__ import annotations

import asyncio
import json
import os
import select
import shutil
import socket
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest

from tests.conftest import test_settings
from tests.support.server import LiveServer
from workspace.settings import Settings

IDP_DIR = Path(__file__).resolve().parents[1] / "idp"
REGISTRATION_TOKEN = "dealroom-test-registration"


def require_idp() -> None:
    """Skip without node; with node, fail when the tests must run (CI, the README's test command) but the
    npm packages are missing, else skip."""
    if shutil.which("node") is None:
        pytest.skip("needs node for the identity provider (npm oidc-provider in tests/idp)")
    if not (IDP_DIR / "node_modules" / "oidc-provider").is_dir():
        reason = "tests/idp has no node_modules: run `scripts/setup --test` (or `npm ci` in tests/idp)"
        if os.environ.get("CI") or os.environ.get("DEALROOM_TEST_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@dataclass(frozen=True)
class Client:
    client_id: str
    client_secret: str


class IdentityProvider:
    """oidc-provider in a node process of its own, on a free loopback port, with the given accounts."""

    def __init__(
        self, accounts: dict[str, dict[str, Any]], role_claim: str = "dealroom_role", *, dev_pages: bool = False
    ) -> None:
        """`dev_pages`: the provider's own HTML login and consent pages (for a browser), instead of the small
        JSON interface `to_callback` walks."""
        self.accounts = accounts
        self.role_claim = role_claim
        self.dev_pages = dev_pages
        self.issuer = ""
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20) -> IdentityProvider:
        config = {"accounts": self.accounts, "role_claim": self.role_claim, "registration_token": REGISTRATION_TOKEN,
                  "dev_interactions": self.dev_pages}  # fmt: skip
        self._process = subprocess.Popen(
            ["node", str(IDP_DIR / "idp.mjs"), json.dumps(config)],
            stdin=subprocess.PIPE,  # the provider exits when this closes, should the test process die
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert self._process.stdout is not None
        ready, _, _ = select.select([self._process.stdout], [], [], timeout)
        line = self._process.stdout.readline() if ready else b""
        if not line:
            self.stop()
            raise RuntimeError("the identity provider (tests/idp/idp.mjs) did not start")
        self.issuer = json.loads(line)["issuer"]
        return self

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)

    def register(self, base_url: str) -> Client:
        """A client of Dealroom at `base_url` (dynamic client registration, as an admin would set it up)."""
        answer = httpx.post(
            self.issuer + "/reg",
            headers={"Authorization": f"Bearer {REGISTRATION_TOKEN}"},
            json={
                "redirect_uris": [base_url + "/api/sso/callback"],
                "post_logout_redirect_uris": [base_url + "/signin"],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "token_endpoint_auth_method": "client_secret_basic",
            },
            timeout=10,
        )
        answer.raise_for_status()
        return Client(answer.json()["client_id"], answer.json()["client_secret"])


class BoundServer(LiveServer):
    """A LiveServer on a socket bound before the app is made, so that its settings can name its own URL."""

    def __init__(self, settings_for: Callable[[str], Settings]) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        super().__init__(settings_for(self.base_url))

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        await self._server.serve(sockets=[self._socket])


def sso_server(database_url: str, idp: IdentityProvider, **overrides: object) -> BoundServer:
    """A started Dealroom server with single sign-on at `idp`: its own client there, registered for its own URL."""

    def settings_for(base_url: str) -> Settings:
        client = idp.register(base_url)
        settings = test_settings(database_url, oidc_issuer=idp.issuer, oidc_client_id=client.client_id,
                                 oidc_client_secret=client.client_secret, **overrides)  # fmt: skip
        return replace(settings, public_url=base_url)

    return BoundServer(settings_for).start()


def location(response: httpx.Response) -> str:
    assert response.is_redirect, f"{response.status_code} {response.request.url}: {response.text[:300]}"
    return urljoin(str(response.request.url), response.headers["location"])


def to_callback(http: httpx.Client, dealroom: str, account: str | None, *, next_path: str = "/") -> str:
    """Start single sign-on as a browser would and sign in at the provider as `account` (None: cancel there);
    stop at the redirect back to Dealroom and return that callback URL (not yet visited)."""
    url = location(http.get(dealroom + "/api/sso/login", params={"next": next_path}))
    for _ in range(10):
        if url.startswith(dealroom):
            return url
        path = urlsplit(url).path
        if path.startswith("/interaction/"):
            assert http.get(url).json()["prompt"] == "login"
            if account is None:
                url = location(http.post(url + "/abort"))
            else:
                url = location(http.post(url + "/login", data={"account": account}))
        else:
            url = location(http.get(url))
    raise AssertionError("the sign-in did not come back to Dealroom")


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
