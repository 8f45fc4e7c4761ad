"""Realtime sync: the y-websocket protocol, rooms, the write guard, the update store."""
