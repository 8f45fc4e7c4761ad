"""The record of a room's negotiation: named versions (snapshots of the shared document with a plain view),
comparing any two of them, what changed since a member last looked, restoring an earlier version's terms or
pricing as a new change, and the negotiation summary an export may carry."""
