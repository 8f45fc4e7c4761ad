"""A database per test module (SQLite, and PostgreSQL when the test command provides one): the matrix builds
one world and asks it hundreds of questions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES, _migrate, _postgres_schema_url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for the whole module, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('security') / 'dealroom.sqlite3'}"
        _migrate(url)
        yield url
        return
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("DEALROOM_TEST_POSTGRES_URL is not set but PostgreSQL tests are required")
        pytest.skip("no PostgreSQL: run the README's test command, which starts one")
    for url in _postgres_schema_url(POSTGRES_URL):
        _migrate(url)
        yield url
