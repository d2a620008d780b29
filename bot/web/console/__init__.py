"""Counsellor console (HTML under /console/) and its JSON mirror (under /api/)."""
