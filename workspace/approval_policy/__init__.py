"""The stored, versioned approval policy and the room's live approval preview (the `approvals/` core wired in)."""
