"""The room's record: who changed what and when (`room_events`), the timeline, the feed and the bell."""
