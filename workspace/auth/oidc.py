"""OpenID Connect relying party: discovery, the authorization request (PKCE, state, nonce), the code exchange
and ID token verification.

The protocol pieces are authlib's (grant URI, token request, S256 challenge, the ID token claims rules) and
joserfc's (JWS and JWK, which authlib itself builds on). The three HTTP calls to the provider use the standard
library: authlib's HTTP clients need httpx or requests, which are not dependencies of the server.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry
from starlette.concurrency import run_in_threadpool

from workspace.auth.sso_errors import SsoError
from workspace.settings import Settings

CALLBACK_PATH = "/api/sso/callback"
# Provider metadata and keys are read again after an hour, so a key rotation is seen without a restart.
METADATA_TTL_SECONDS = 3600.0
# An ID token signed with a key id we do not know makes us re-read the keys, at most once a minute.
KEYS_REFRESH_SECONDS = 60.0
# Clock skew between us and the provider that exp/iat/nbf tolerate.
LEEWAY_SECONDS = 60
HTTP_TIMEOUT_SECONDS = 10.0
# Metadata, keys and token answers are a few KiB; anything far larger is not an answer we want in memory.
MAX_ANSWER_BYTES = 1024 * 1024
# Only public-key signatures: "none" proves nothing, and HMAC would make the client secret a signing key.
ASYMMETRIC_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")

# (method, url, form body, headers) -> (status, parsed JSON or None)
Fetch = Callable[[str, str, str | None, dict[str, str]], tuple[int, Any]]


@dataclass(frozen=True)
class RelyingParty:
    """Who we are to the identity provider (from the DEALROOM_OIDC_* settings)."""

    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    post_logout_redirect_uri: str
    scopes: str
    role_claim: str

    @classmethod
    def from_settings(cls, settings: Settings) -> RelyingParty | None:
        """None when single sign-on is not configured."""
        if not (settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret):
            return None
        base = settings.public_url.rstrip("/")
        return cls(settings.oidc_issuer.rstrip("/"), settings.oidc_client_id, settings.oidc_client_secret,
                   base + CALLBACK_PATH, base + "/signin", settings.oidc_scopes, settings.oidc_role_claim)  # fmt: skip


@dataclass(frozen=True)
class Metadata:
    """The parts of the provider's discovery document we use."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None
    algorithms: tuple[str, ...]
    basic_auth: bool  # client_secret_basic (the default) rather than client_secret_post


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str


def http_fetch(method: str, url: str, body: str | None, headers: dict[str, str]) -> tuple[int, Any]:
    """One HTTP call to the provider; a JSON answer is parsed, anything else is None."""
    data = body.encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Accept": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as answer:
            status, raw = answer.status, answer.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read(MAX_ANSWER_BYTES + 1)
    except (urllib.error.URLError, OSError) as error:
        raise SsoError("unavailable", f"the identity provider at {url} did not answer ({error})") from error
    if len(raw) > MAX_ANSWER_BYTES:
        raise SsoError("unavailable", f"the identity provider's answer from {url} is too large")
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, None


def _endpoint(document: dict[str, Any], name: str, required: bool = True) -> str | None:
    value = document.get(name)
    if isinstance(value, str) and urlsplit(value).scheme in {"https", "http"}:
        return value
    if required:
        raise SsoError("unavailable", f"the identity provider's discovery document has no valid {name}")
    return None


def parse_metadata(document: Any, issuer: str) -> Metadata:
    """Check a discovery document (OpenID Connect Discovery 1.0, section 4.3: its issuer must be ours)."""
    if not isinstance(document, dict):
        raise SsoError("unavailable", "the identity provider's discovery document is not a JSON object")
    declared = document.get("issuer")
    if not isinstance(declared, str) or declared.rstrip("/") != issuer:
        raise SsoError("unavailable", f"the discovery document names the issuer {declared!r}, not {issuer!r}")
    offered = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = tuple(alg for alg in ASYMMETRIC_ALGORITHMS if alg in offered)
    if not algorithms:
        raise SsoError("unavailable", f"the identity provider signs ID tokens only with {offered}")
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    return Metadata(
        issuer=declared,
        authorization_endpoint=_endpoint(document, "authorization_endpoint") or "",
        token_endpoint=_endpoint(document, "token_endpoint") or "",
        jwks_uri=_endpoint(document, "jwks_uri") or "",
        end_session_endpoint=_endpoint(document, "end_session_endpoint", required=False),
        algorithms=algorithms,
        basic_auth="client_secret_basic" in methods or "client_secret_post" not in methods,
    )


def verify_id_token(
    id_token: str, keys: KeySet, *, issuer: str, client_id: str, nonce: str, algorithms: tuple[str, ...],
    access_token: str | None = None, now: int | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The ID token's claims once its signature (the provider's keys), iss, aud, exp, iat and nonce hold.

    Raises SsoError("token") saying what did not hold; InvalidKeyIdError passes through (the caller
    re-reads the provider's keys once and tries again).
    """
    try:
        token = jwt.decode(id_token, keys, registry=JWSRegistry(algorithms=list(algorithms), strict_check_header=False))
    except InvalidKeyIdError:
        raise
    except BadSignatureError as error:
        raise SsoError("token", "the ID token's signature does not verify with the identity provider's keys") from error
    except JoseError as error:
        raise SsoError("token", f"the ID token could not be read or its algorithm is not accepted ({error})") from error
    options = {"iss": {"essential": True, "value": issuer}, "aud": {"essential": True, "value": client_id},
               "sub": {"essential": True}, "exp": {"essential": True}}  # fmt: skip
    params = {"nonce": nonce, "client_id": client_id, "access_token": access_token}
    claims = CodeIDToken(token.claims, token.header, options, params)  # type: ignore[arg-type]
    try:
        claims.validate(now=now, leeway=LEEWAY_SECONDS)
    except ExpiredTokenError as error:
        raise SsoError("token", "the ID token has expired") from error
    except MissingClaimError as error:
        raise SsoError("token", f"the ID token lacks the claim(s) {error.claim}") from error
    except ClaimError as error:
        problem = _CLAIM_PROBLEMS.get(error.claim, f"the ID token's claim {error.claim!r} is not valid")
        raise SsoError("token", problem) from error
    return dict(claims)


_CLAIM_PROBLEMS = {
    "aud": "the ID token was issued for another application (its audience is not this client)",
    "azp": "the ID token was issued for another application (its authorized party is not this client)",
    "iss": "the ID token was issued by another identity provider",
    "nonce": "the ID token does not belong to this sign-in (its nonce differs)",
    "iat": "the ID token's issue time is in the future",
    "nbf": "the ID token is not valid yet",
    "at_hash": "the ID token does not match the access token issued with it",
}


class OidcClient:
    """Talks to one identity provider; caches its metadata and keys."""

    def __init__(self, rp: RelyingParty, fetch: Fetch = http_fetch) -> None:
        self.rp = rp
        self._fetch = fetch
        self._metadata: tuple[float, Metadata] | None = None
        self._keys: tuple[float, KeySet] | None = None

    async def _get(self, url: str) -> Any:
        status, document = await run_in_threadpool(self._fetch, "GET", url, None, {})
        if status != 200 or document is None:
            raise SsoError("unavailable", f"the identity provider answered {status} for {url}")
        return document

    async def metadata(self) -> Metadata:
        if self._metadata is None or time.monotonic() - self._metadata[0] > METADATA_TTL_SECONDS:
            document = await self._get(self.rp.issuer + "/.well-known/openid-configuration")
            self._metadata = (time.monotonic(), parse_metadata(document, self.rp.issuer))
        return self._metadata[1]

    async def _key_set(self, refresh: bool = False) -> KeySet:
        age = time.monotonic() - self._keys[0] if self._keys else None
        if age is None or age > METADATA_TTL_SECONDS or (refresh and age > KEYS_REFRESH_SECONDS):
            document = await self._get((await self.metadata()).jwks_uri)
            try:
                self._keys = (time.monotonic(), KeySet.import_key_set(document))
            except (JoseError, ValueError, TypeError, KeyError) as error:
                raise SsoError("unavailable", f"the identity provider's keys could not be read ({error})") from error
        assert self._keys is not None
        return self._keys[1]

    async def authorization_request(self) -> AuthorizationRequest:
        """Where to send the browser: the authorization code flow with PKCE (S256), a fresh state and nonce."""
        meta = await self.metadata()
        state, nonce, verifier = generate_token(43), generate_token(43), generate_token(64)
        url = prepare_grant_uri(meta.authorization_endpoint, self.rp.client_id, "code", self.rp.redirect_uri,
                                self.rp.scopes, state, nonce=nonce, code_challenge=create_s256_code_challenge(verifier),
                                code_challenge_method="S256")  # fmt: skip
        return AuthorizationRequest(url, state, nonce, verifier)

    async def exchange(self, code: str, code_verifier: str) -> dict[str, Any]:
        """Trade the authorization code for tokens at the token endpoint (authenticating with the client secret)."""
        meta = await self.metadata()
        body = prepare_token_request("authorization_code", redirect_uri=self.rp.redirect_uri, code=code,
                                     code_verifier=code_verifier)  # fmt: skip
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if meta.basic_auth:
            # RFC 6749 2.3.1: id and secret are form-encoded before Basic (authlib's helper skips that step).
            pair = f"{quote(self.rp.client_id, safe='')}:{quote(self.rp.client_secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            body += "&" + urlencode({"client_id": self.rp.client_id, "client_secret": self.rp.client_secret})
        status, answer = await run_in_threadpool(self._fetch, "POST", meta.token_endpoint, body, headers)
        if status != 200 or not isinstance(answer, dict):
            error = answer.get("error") if isinstance(answer, dict) else None
            raise SsoError("token", f"the identity provider refused the authorization code ({status} {error or ''})")
        if not isinstance(answer.get("id_token"), str):
            raise SsoError("token", "the identity provider's token answer has no ID token (is 'openid' in the scopes?)")
        return answer

    async def verify(self, id_token: str, nonce: str, access_token: str | None) -> dict[str, Any]:
        """verify_id_token with the provider's published keys (re-read once for an unknown key id)."""
        meta = await self.metadata()
        for refresh in (False, True):
            try:
                return verify_id_token(id_token, await self._key_set(refresh), issuer=meta.issuer,
                                       client_id=self.rp.client_id, nonce=nonce, algorithms=meta.algorithms,
                                       access_token=access_token)  # fmt: skip
            except InvalidKeyIdError:
                continue
        raise SsoError("token", "the ID token is signed with a key the identity provider does not publish")

    async def logout_url(self, id_token_hint: str | None) -> str | None:
        """RP-initiated logout at the provider's end_session_endpoint, back to our sign-in page; None without one."""
        try:
            endpoint = (await self.metadata()).end_session_endpoint
        except SsoError:
            return None  # the local session has ended; the provider's own can wait for its next answer
        if endpoint is None:
            return None
        params = [("client_id", self.rp.client_id), ("post_logout_redirect_uri", self.rp.post_logout_redirect_uri)]
        if id_token_hint:
            params.insert(0, ("id_token_hint", id_token_hint))
        return str(add_params_to_uri(endpoint, params))
