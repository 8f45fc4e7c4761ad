"""Approval policy, routing, requests and inbox (plain data in, plain data out)."""
