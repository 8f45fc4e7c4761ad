"""Contract export: the gate, the Word document, and the record of every export of a room."""
