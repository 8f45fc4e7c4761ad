"""Accounts, sessions, API tokens, invitations and role checks."""
