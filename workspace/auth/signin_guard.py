"""Slowing password guessing without handing an attacker the power to lock the owner out.

Three budgets of failed sign-ins, each a token bucket; only failures spend them:
- one account from one address: a person mistyping tries a few times; a guesser thousands;
- one address over all accounts: password spraying (one common password against many accounts);
- one account from everywhere: a guesser spread over many addresses.
The last would let anyone lock an account by failing on purpose, so a browser that has signed in to
that account before (it holds a signed "known device" cookie) is not held to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from itsdangerous import BadSignature, TimestampSigner

from workspace.auth.throttle import Throttle
from workspace.errors import RateLimited

DEVICE_COOKIE = "dealroom_device"
# A browser stays known this long after its last successful sign-in.
DEVICE_DAYS = 365
# Ten quick tries, then one every six seconds, for one account from one address.
ACCOUNT_ADDRESS_BURST, ACCOUNT_ADDRESS_RATE = 10, 1 / 6
# Twenty failures over any accounts from one address, then one every two seconds: spraying 1,000
# accounts takes half an hour instead of seconds; an office behind one address rarely fails 20 times.
ADDRESS_BURST, ADDRESS_RATE = 20, 1 / 2
# Fifty failures on one account from anywhere, then one a minute.
ACCOUNT_BURST, ACCOUNT_RATE = 50, 1 / 60


ThrottleFactory = Callable[[str, float, int], Throttle]
"""Makes a named budget: in memory for one process, in Redis for several workers (workspace.cluster.throttle)."""


def _local(name: str, rate: float, burst: int) -> Throttle:
    return Throttle(rate, burst)


class SignInGuard:
    def __init__(self, secret_key: str, throttle: ThrottleFactory = _local) -> None:
        self.account_address = throttle("account_address", ACCOUNT_ADDRESS_RATE, ACCOUNT_ADDRESS_BURST)
        self.address = throttle("address", ADDRESS_RATE, ADDRESS_BURST)
        self.account = throttle("account", ACCOUNT_RATE, ACCOUNT_BURST)
        self._devices = TimestampSigner(secret_key, salt="dealroom.known-device")

    def before(self, email: str, address: str, device_cookie: str | None) -> None:
        """Raise RateLimited when this attempt must wait; spend nothing."""
        if not self.account_address.ready(f"{email}|{address}"):
            raise RateLimited("too many wrong passwords for this account from here; wait a minute and try again")
        if not self.address.ready(address):
            raise RateLimited("too many failed sign-ins from this address; wait a minute and try again")
        if not self.known_device(email, device_cookie) and not self.account.ready(email):
            raise RateLimited(
                "this account is under attack and locked for new devices for a while; sign in from a browser "
                "you used before, or wait and try again"
            )

    def failed(self, email: str, address: str) -> None:
        self.account_address.spend(f"{email}|{address}")
        self.address.spend(address)
        self.account.spend(email)

    def device_cookie(self, email: str) -> str:
        """The cookie value that makes this browser known for `email` (only a digest of it is inside)."""
        return self._devices.sign(_digest(email)).decode()

    def known_device(self, email: str, cookie: str | None) -> bool:
        if not cookie:
            return False
        try:
            return self._devices.unsign(cookie, max_age=DEVICE_DAYS * 86400).decode() == _digest(email)
        except BadSignature:
            return False


def _digest(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:32]
