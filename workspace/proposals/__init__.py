"""A customer's change to pricing or to a clause as a proposal the rep accepts, counters or declines (issue 12).

`subjects` reads what can be proposed (a line's quantity or discount, a clause block's text), `tracker`
attributes each committed change to its writer and keeps the room's pending proposals, `accepted` gives the
room as accepted (what approvals, the fingerprint and export read), `decide` carries out the rep's decision
and `routes` serves it.
"""
