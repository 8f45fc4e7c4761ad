"""Dealroom workspace: deal rooms, realtime sync and the web app."""
