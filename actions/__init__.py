"""Nachtlicht custom actions (run by ``rasa run actions``)."""
