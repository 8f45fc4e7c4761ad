"""Clause library, deviation checks and contract export (plain data in, plain data out)."""
