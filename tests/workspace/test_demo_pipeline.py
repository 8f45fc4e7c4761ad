"""The demo fills the rep's pipeline: a second deal further along, and quotas, also in a database seeded before."""

from __future__ import annotations

import copy

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from workspace.activity.models import RoomEvent
from workspace.demo import seed_demo
from workspace.demo_pipeline import SECOND_ROOM_ID
from workspace.pipeline.stage import Stage, read_progress
from workspace.pricebook.service import Catalog
from workspace.pricing.samples import SAMPLE_INCENTIVE_PLAN


def test_the_demo_has_two_deals_at_different_stages_and_the_reps_quota(sqlite_url: str) -> None:
    sessions = sessionmaker(create_engine(sqlite_url))
    with sessions.begin() as db:
        # A database seeded before quotas existed: its plan has none.
        old = copy.deepcopy(SAMPLE_INCENTIVE_PLAN)
        del old["quotas"], old["tiers"]
        from workspace.auth.models import User

        db.add(User(email="someone@demo.test", name="Someone", role="admin", password_hash=None))
        db.flush()
        Catalog().save_plan(db, old, None)
    with sessions.begin() as db:
        created = seed_demo(db)
    assert "quotas and tiers in the incentive plan" in created and "room Globex — Platform Professional" in created
    with sessions.begin() as db:
        assert seed_demo(db) == [], "seeding again creates nothing"
        plan = Catalog().plan(db)
        assert plan is not None and plan.quota_of("rep@demo.test") is not None and len(plan.tiers) == 3
        progress = read_progress(db, ["demo-acme-renewal", SECOND_ROOM_ID])
        assert progress["demo-acme-renewal"].stage is Stage.DRAFT
        assert progress[SECOND_ROOM_ID].stage is Stage.NEGOTIATING
        assert db.scalar(select(func.count()).select_from(RoomEvent).where(RoomEvent.room_id == SECOND_ROOM_ID)) == 1
