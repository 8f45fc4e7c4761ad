"""Rooms with the sample price book and incentive plan (shared with the pricing tests)."""

from tests.workspace.pricebook.conftest import priced

__all__ = ["priced"]
