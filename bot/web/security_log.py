"""Security events (issue 16, finding 9): who, what, when, from where — never message text,
never a conversation id, never a password or code.

One line per event on the logger ``nachtlicht.security``, as JSON, e.g.
``{"event": "login_failed", "who": "anna", "from": "203.0.113.7", "at": "2026-12-03T01:02:03Z"}``.
The web app also writes them to ``var/security.log`` (bot.web.app); an operator can ship that
file to a SIEM. Events: login_ok, login_failed, login_delayed, totp_failed, api_token_bad,
csrf_failed, resume_failed, resume_limited, safety... (see docs/security.md).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

log = logging.getLogger("nachtlicht.security")


def event(kind: str, who: str | None = None, address: str | None = None, **detail) -> dict:
    record = {"event": kind, "at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    if who:
        record["who"] = str(who)[:64]
    if address:
        record["from"] = str(address)[:64]
    record.update({k: v for k, v in detail.items() if v is not None})
    log.warning(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return record
