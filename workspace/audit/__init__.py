"""The audit log: an append-only, hash-chained record of submissions, decisions, recalls and policy changes."""
