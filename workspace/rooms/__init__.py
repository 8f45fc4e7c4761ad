"""Deal rooms, their members and invitations."""
