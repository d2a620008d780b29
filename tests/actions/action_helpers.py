"""Small helpers for the action tests."""

from __future__ import annotations

from rasa_sdk.events import SlotSet


def texts_of(dispatcher) -> list:
    return [m.get("text") or m.get("response") for m in dispatcher.messages]


def joined(dispatcher) -> str:
    return "\n".join(t for t in texts_of(dispatcher) if t)


def slots_of(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def user_event(text, intent, entities=(), metadata=None):
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.95},
        "entities": list(entities),
        "intent_ranking": [{"name": intent, "confidence": 0.95}],
    }
    event = {"event": "user", "text": text, "parse_data": parse}
    if metadata:
        event["metadata"] = metadata
    return event, parse


def with_message(tracker_from, name, text, intent, entities=(), slots=None, **kw):
    """Fixture tracker `name` with its latest user message replaced."""

    base = tracker_from(name)
    event, parse = user_event(text, intent, entities)
    events = list(base.events)
    idx = max(i for i, e in enumerate(events) if e.get("event") == "user")
    events[idx] = event
    merged = dict(base.slots)
    merged.update(slots or {})
    return tracker_from(name, events=events, latest_message=parse, slots=merged, **kw)


__all__ = ["SlotSet", "texts_of", "joined", "slots_of", "user_event", "with_message"]


def extracted(tracker):
    """Run action_extract_facts' logic on the tracker as Rasa would: slot events + slot values."""
    from actions.extract import extract_updates

    updates = extract_updates(tracker)
    tracker.events.extend({"event": "slot", "name": k, "value": v} for k, v in updates.items())
    tracker.slots.update(updates)
    return tracker
