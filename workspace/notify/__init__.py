"""Telling people what waits for them: mail with signed links that open the step to decide."""
