"""The rep's cockpit: every deal they own with its stage, value and commission, against quota; the team's for a
manager; and the what-if of a room's deal at another discount or term."""
