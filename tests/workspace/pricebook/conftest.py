"""A world with an admin who has uploaded the sample price book and incentive plan."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import World
from tests.support.accounts import Api, add_user, sign_in
from workspace.pricing.samples import SAMPLE_INCENTIVE_PLAN, SAMPLE_PRICE_BOOK


class PricedWorld(World):
    admin: Api


@pytest.fixture
def priced(world: World) -> Iterator[PricedWorld]:
    add_user(world.server.services.sessions, "admin@example.test", "admin", "Ada Admin")
    admin = sign_in(world.server.url, "admin@example.test")
    admin.http.put("/api/pricebook", json=SAMPLE_PRICE_BOOK).raise_for_status()
    admin.http.put("/api/incentives/plan", json=SAMPLE_INCENTIVE_PLAN).raise_for_status()
    world.admin = admin  # type: ignore[attr-defined]
    yield world  # type: ignore[misc]
    admin.http.close()
