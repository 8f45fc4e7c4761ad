"""Medians and 90th percentiles as a manager reads them."""

from __future__ import annotations

from workspace.insights.stats import summary, weighted_summary


def test_median_and_p90_of_a_distribution() -> None:
    assert summary([]) == {"median": None, "p90": None, "count": 0}
    assert summary([7200]) == {"median": 7200, "p90": 7200, "count": 1}
    assert summary(list(range(1, 11))) == {"median": 5.5, "p90": 9.1, "count": 10}
    assert summary([1, 100, 3]) == {"median": 3, "p90": 80.6, "count": 3}


def test_a_sampled_run_counts_as_often_as_the_runs_it_stands_for() -> None:
    assert weighted_summary([], []) == {"median": None, "p90": None, "count": 0}
    # Nine fast runs sampled as one row, one slow run: the median is fast, the p90 is fast, the 100th slow.
    assert weighted_summary([2.0, 50.0], [9, 1]) == {"median": 2.0, "p90": 2.0, "count": 10}
    assert weighted_summary([2.0, 50.0], [1, 9]) == {"median": 50.0, "p90": 50.0, "count": 10}
