"""Deal velocity: how long rooms spend in each stage, where approvals wait and on whom, rounds of changes,
time to the first export, and how long the system itself took beside how long people took (issue 14)."""
