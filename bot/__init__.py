"""Nachtlicht: web app, handoff/cases, counsellor console and settings."""
