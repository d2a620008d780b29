"""Start a Rasa server with our performance fixes: ``python -m bot.rasa_server run ...``.

Takes the same arguments as ``python -m rasa``. ``python -m bot run`` starts every Rasa
server this way. Both fixes keep Rasa's behaviour and only remove repeated work that
profiling (py-spy on a loaded server, docs/performance.md) showed:

1. Rasa 3.6 checks every action-server response with ``jsonschema.validate(result, schema)``,
   which first validates the large events schema itself against the JSON Schema meta-schema,
   on every call: about 60 % of the Rasa server's CPU time. We check the schema once, build
   the validator once, and validate each response against it (same checks, same error).
2. ``Event.resolve_by_type`` walks the whole Event class tree for every event it
   deserialises (every event of the tracker on every message): ~5 %. We remember the answer
   per type name.
"""
from __future__ import annotations

import sys
from typing import Any

_validator: Any = None


def _validator_for_action_responses():
    global _validator
    if _validator is None:
        from jsonschema.validators import validator_for
        from rasa.core.actions.action import RemoteAction

        schema = RemoteAction.action_response_format_spec()
        cls = validator_for(schema)
        cls.check_schema(schema)
        _validator = cls(schema)
    return _validator


def validate_action_result(self, result: dict) -> bool:
    """RemoteAction._validate_action_result with a validator built once."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_validator_for_action_responses().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


_original_resolve_by_type: Any = None
_event_classes: dict = {}


def resolve_by_type(type_name: str, default: Any = None) -> Any:
    """Event.resolve_by_type, remembering each class found (unknown names: Rasa's answer)."""
    cls = _event_classes.get(type_name)
    if cls is None:
        cls = _original_resolve_by_type(type_name, default)
        if cls is not None and getattr(cls, "type_name", None) == type_name:
            _event_classes[type_name] = cls
    return cls


def apply() -> None:
    global _original_resolve_by_type
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    RemoteAction._validate_action_result = validate_action_result
    if _original_resolve_by_type is None:
        _original_resolve_by_type = Event.resolve_by_type
        Event.resolve_by_type = staticmethod(resolve_by_type)


def main(argv: list | None = None) -> None:
    apply()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
