"""The clause library as the workspace stores and serves it (the rules live in the `clauses` core)."""
