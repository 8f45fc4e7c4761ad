"""WebSocket close codes Dealroom uses. 4xxx mirror the HTTP status of the same reason."""

NORMAL = 1000
"""The connection did what it came for."""

GOING_AWAY = 1001
"""The server is shutting down; reconnect to another worker or later."""

UNSUPPORTED_DATA = 1003
"""A text frame: the y-websocket protocol is binary only."""

INTERNAL_ERROR = 1011
"""The server failed to store or apply an update; the client resyncs on reconnect."""

BAD_MESSAGE = 4400
"""A malformed, truncated or unknown message, or an update of a shape or content the room does not hold."""

UNAUTHENTICATED = 4401
"""No valid session cookie or bearer token on the upgrade."""

FORBIDDEN = 4403
"""Not allowed: not a member of the room, a bad Origin, or a write outside the role's sections."""

NOT_FOUND = 4404
"""No such room or document (or not yours)."""

HANDSHAKE_TIMEOUT = 4408
"""The client did not start the sync handshake in time."""

MESSAGE_TOO_LARGE = 4413
"""A message over the configured size limit, or a change past a section's size or the room's quota."""

RATE_LIMITED = 4429
"""More messages per second than the limit allows, or too slow to take the room's broadcasts."""

ROOM_FULL = 4503
"""The room already has the maximum number of connections, or (for a customer) all but the places kept
for the room's own team."""

TOO_MANY_CONNECTIONS = 4529
"""The person already has the most connections one person may hold in this room document. 429 by
meaning, but in the 45xx "try again later" range: y-websocket stops for good on 44xx and the app
would drop the local doc, while this clears by itself when the person closes a tab."""

MOVED = 1012
"""The room moved to another worker (its owner stopped, or this worker lost the room's lease); reconnect."""

TRY_AGAIN_LATER = 1013
"""The workers cannot coordinate right now (Redis is unreachable); reconnect in a moment."""
