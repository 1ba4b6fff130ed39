"""Hostile and broken input: every entry point refuses it cleanly, quickly and within bounded memory."""
