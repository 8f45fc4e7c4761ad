"""Enablement cards: short guidance (positioning, objections, price defense, clause fallbacks) kept by admins
and legal, offered to the vendor's people in a room when one of its triggers happens. Internal only."""
