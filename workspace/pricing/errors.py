"""Errors of the pricing core. They are plain `ValueError`s: the core does no I/O and knows nothing of HTTP;
the web layer maps them to a 422 answer carrying `errors`."""

from __future__ import annotations

from collections.abc import Sequence


class PricingDataInvalid(ValueError):
    """Data handed to the pricing core (a price book, an incentive plan) is invalid; `errors` lists every
    problem found, each starting with the path of the offending field."""

    what = "pricing data"

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors: list[str] = list(errors)
        shown = "; ".join(self.errors[:10])
        more = f" (and {len(self.errors) - 10} more)" if len(self.errors) > 10 else ""
        super().__init__(f"invalid {self.what}: {shown}{more}")


class PriceBookInvalid(PricingDataInvalid):
    """A price book failed validation."""

    what = "price book"


class IncentivePlanInvalid(PricingDataInvalid):
    """An incentive plan failed validation."""

    what = "incentive plan"
