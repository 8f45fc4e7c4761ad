"""The audit log: an append-only, hash-chained record of submissions, decisions, recalls, policy changes and
API tokens created and revoked (`chain`); refused calls counted for monitoring and throttled sign-ins on record
(`security`)."""
