"""JSON API for counsellors under /api/ (mirrors the console). Auth: ``Authorization: Bearer <token>``
(tokens from ``python -m bot users token NAME``). Every answer is JSON; without a valid
token: 401.

    GET  /api/me                       -> {"name"}
    GET  /api/outcomes                 -> {"outcomes": {code: Dutch label}}
    GET  /api/cases?status=open        -> {"cases": [case, ...]}   (queue order; open|closed|all|new|in_progress|handed_back)
    GET  /api/cases/{id}               -> case + {"transcript": [...], "transcript_source": "rasa"|"chat", "audit": [...]}
    POST /api/cases/{id}/take-over     -> case
    POST /api/cases/{id}/reply         {"text"} -> case + {"message": chat message, "warning": str|null}
    POST /api/cases/{id}/hand-back     -> case
    POST /api/cases/{id}/close         {"outcome", "note"} -> case
    POST /api/cases/{id}/reveal        -> case + transcript, unmasked (written to the audit log)
    GET  /api/handover[?hours=N]       -> {"since", "until", "cases": [...]}

A case: id, conversation_id, code, status, status_label, outcome, outcome_label, outcome_note,
risk, risk_label, risk_reason, facts (all summary fields, masked), summary (Dutch paragraph,
masked), fields ([label, value] rows), created_at, updated_at, closed_at, waiting_seconds,
waiting, assigned_to, assigned_to_id, paused, last_seen_at, revealed.
"""

from __future__ import annotations

import json
import logging

from aiohttp import web

from bot.cases.service import OUTCOMES, CaseError
from bot.web.console import operations as ops
from bot.web.console.state import ConsoleState, get_state
from bot.web.ratelimit import client_address
from bot.web.security_log import event as security_event

log = logging.getLogger(__name__)
PREFIX = "/api"


def _error(status: int, code: str, message: str, headers: dict | None = None) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status, headers=headers)


@web.middleware
async def api_guard(request: web.Request, handler):
    if request.path != PREFIX and not request.path.startswith(PREFIX + "/"):
        return await handler(request)
    try:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        counsellor = get_state(request.app).accounts.by_token(token.strip()) if scheme.lower() == "bearer" else None
        if counsellor is None:
            if header:  # a token was tried (no header at all is just "not logged in")
                st = get_state(request.app)
                security_event("api_token_bad", address=client_address(request, st.settings.trust_forwarded_for))
            response = _error(
                401,
                "unauthorized",
                "Geen of een ongeldig API-token (Authorization: Bearer ...).",
                {"WWW-Authenticate": 'Bearer realm="nachtlicht"'},
            )
        else:
            request["counsellor"] = counsellor
            response = await handler(request)
    except CaseError as exc:
        response = _error(exc.status, "case_error", exc.message)
    except web.HTTPRequestEntityTooLarge:
        response = _error(413, "too_large", "Het verzoek is te groot.")
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status, "bad_request")
        response = _error(
            exc.status,
            code,
            exc.text
            if exc.status == 400 and exc.text
            else {404: "Niet gevonden.", 405: "Dat kan hier niet."}.get(exc.status, "Ongeldig verzoek."),
        )
    except Exception:
        log.exception("API error on %s %s", request.method, request.path)
        response = _error(500, "server_error", "Er ging iets mis op de server.")
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def _st(request: web.Request) -> ConsoleState:
    return get_state(request.app)


def _case_id(request: web.Request) -> int:
    raw = request.match_info["case_id"]
    if not raw.isdigit() or len(raw) > 12:
        raise CaseError("Deze casus bestaat niet.", 404)
    return int(raw)


async def _body(request: web.Request) -> dict:
    if not request.can_read_body:
        return {}
    if request.content_type != "application/json":
        raise web.HTTPBadRequest(text="Stuur JSON (Content-Type: application/json).")
    try:
        data = json.loads((await request.read()).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: [[[[... nested very deep
        raise web.HTTPBadRequest(text="Ongeldige JSON.") from None
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(text="Verwacht een JSON-object.")
    return data


async def me(request: web.Request) -> web.Response:
    return web.json_response({"name": request["counsellor"]["name"]})


async def outcomes(request: web.Request) -> web.Response:
    return web.json_response({"outcomes": OUTCOMES})


async def list_cases(request: web.Request) -> web.Response:
    return web.json_response({"cases": _st(request).cases.list_cases(request.query.get("status", "open"))})


async def get_case(request: web.Request) -> web.Response:
    st = _st(request)
    case = st.cases.get(_case_id(request))
    if case is None:
        raise CaseError("Deze casus bestaat niet.", 404)
    transcript, source = await ops.transcript(st, case)
    return web.json_response(
        dict(case, transcript=transcript, transcript_source=source, audit=st.cases.audit(case["id"]))
    )


async def take_over(request: web.Request) -> web.Response:
    return web.json_response(await ops.take_over(_st(request), _case_id(request), request["counsellor"]))


async def hand_back(request: web.Request) -> web.Response:
    return web.json_response(await ops.hand_back(_st(request), _case_id(request), request["counsellor"]))


async def close(request: web.Request) -> web.Response:
    data = await _body(request)
    outcome, note = data.get("outcome"), data.get("note") or ""
    if not isinstance(outcome, str) or not isinstance(note, str):
        raise CaseError("Kies een uitkomst om de casus te sluiten.", 400)
    return web.json_response(await ops.close(_st(request), _case_id(request), request["counsellor"], outcome, note))


async def reply(request: web.Request) -> web.Response:
    st = _st(request)
    case_id = _case_id(request)
    data = await _body(request)
    text = data.get("text")
    if not isinstance(text, str):
        raise CaseError("Je bericht is leeg.", 400)
    message, warning = await ops.reply(st, case_id, request["counsellor"], text)
    return web.json_response(dict(st.cases.get(case_id), message=message, warning=warning))


async def reveal(request: web.Request) -> web.Response:
    st = _st(request)
    case = st.cases.reveal(_case_id(request), request["counsellor"])
    transcript, source = await ops.transcript(st, case, reveal=True)
    return web.json_response(dict(case, transcript=transcript, transcript_source=source))


async def handover(request: web.Request) -> web.Response:
    since, until, cases = ops.handover_cases(_st(request), request.query.get("hours", ""))
    return web.json_response({"since": since.isoformat(), "until": until.isoformat(), "cases": cases})


def setup(app: web.Application) -> None:
    get_state(app)
    app.middlewares.append(api_guard)
    r = app.router
    r.add_get(f"{PREFIX}/me", me)
    r.add_get(f"{PREFIX}/outcomes", outcomes)
    r.add_get(f"{PREFIX}/cases", list_cases)
    r.add_get(PREFIX + "/cases/{case_id}", get_case)
    r.add_post(PREFIX + "/cases/{case_id}/take-over", take_over)
    r.add_post(PREFIX + "/cases/{case_id}/reply", reply)
    r.add_post(PREFIX + "/cases/{case_id}/hand-back", hand_back)
    r.add_post(PREFIX + "/cases/{case_id}/close", close)
    r.add_post(PREFIX + "/cases/{case_id}/reveal", reveal)
    r.add_get(f"{PREFIX}/handover", handover)
