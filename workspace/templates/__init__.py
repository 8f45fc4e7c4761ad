"""Templates for new rooms: per deal type, a default clause set from the library and default lines from the
price book, written into a new room's documents so that it starts as a usable draft."""
