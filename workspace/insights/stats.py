"""Median, 90th percentile and count of a distribution.

Plain lists use Python's `statistics` (median; inclusive quantiles, which interpolate). Weighted lists (sampled
pricing runs, each standing for `runs` runs) take the nearest rank on the cumulative weights: expanding
a month of keystrokes into a list would cost more than the figure is worth."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any


def summary(values: Sequence[float], digits: int = 1) -> dict[str, Any]:
    """{"median", "p90", "count"}; None for both figures of an empty list."""
    data = list(values)
    if not data:
        return {"median": None, "p90": None, "count": 0}
    p90 = statistics.quantiles(data, n=10, method="inclusive")[8] if len(data) > 1 else data[0]
    return {"median": round(statistics.median(data), digits), "p90": round(p90, digits), "count": len(data)}


def weighted_summary(values: Sequence[float], weights: Sequence[int], digits: int = 1) -> dict[str, Any]:
    """Like `summary`, each value counting `weight` times (nearest rank)."""
    pairs = sorted((value, max(1, weight)) for value, weight in zip(values, weights, strict=True))
    total = sum(weight for _, weight in pairs)
    if not total:
        return {"median": None, "p90": None, "count": 0}

    def rank(share: float) -> float:
        target, seen = share * total, 0
        for value, weight in pairs:
            seen += weight
            if seen >= target:
                return value
        return pairs[-1][0]

    return {"median": round(rank(0.5), digits), "p90": round(rank(0.9), digits), "count": total}
