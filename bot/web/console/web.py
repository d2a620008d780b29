"""The counsellor console: Dutch HTML pages under /console/ (Jinja2, autoescape on).

Security: login with scrypt-hashed passwords, server-side sessions that expire
(settings.session_minutes), a CSRF token in every form (per session; the login form uses a
double-submit cookie), strict security headers and no third-party resources.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import jinja2
from aiohttp import web

from bot.cases.risk import RISK_LABELS
from bot.cases.service import OUTCOMES, CaseError
from bot.web.common import settings_of
from bot.web.console import operations as ops
from bot.web.console.state import ConsoleState, get_state
from bot.web.ratelimit import client_address, network_of
from bot.web.security_log import event as security_event
from bot.web_texts import section

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
COOKIE = "nachtlicht_console"
LOGIN_CSRF_COOKIE = "nachtlicht_login_csrf"
PUBLIC = ("/console/login", "/console/static/")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
FLASH = section("console")  # texts/web.yml
TZ_KEY = web.AppKey("console_tz", ZoneInfo)
JINJA_KEY = web.AppKey("console_jinja", jinja2.Environment)


def _local(app: web.Application):
    tz = app[TZ_KEY]

    def fmt(value, pattern: str = "%d-%m-%Y %H:%M") -> str:
        if not value:
            return ""
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(tz).strftime(pattern)

    return fmt


def render(request: web.Request, template: str, status: int = 200, **ctx) -> web.Response:
    session = request.get("console_session")
    ctx.setdefault("me", session["counsellor"] if session else None)
    ctx.setdefault("csrf_token", session["csrf_token"] if session else "")
    flash = request.query.get("msg")
    ctx.setdefault("flash", FLASH.get(flash) if flash else None)
    ctx.setdefault("error", None)
    html = request.app[JINJA_KEY].get_template(template).render(**ctx)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def _state(request: web.Request) -> ConsoleState:
    return get_state(request.app)


def _safe_next(value: str | None) -> str:
    if (
        value
        and value.startswith("/console/")
        and not value.startswith("//")
        and "\\" not in value
        and not value.startswith("/console/login")
    ):
        return value
    return "/console/"


def _secure(request: web.Request) -> bool:
    """Secure cookies when the configured public URL is https (or the connection itself is TLS);
    never because a client sent X-Forwarded-Proto (issue 16, finding 10)."""
    return request.secure or settings_of(request.app).public_url.lower().startswith("https://")


# ----------------------------------------------------------------------------- middleware
@web.middleware
async def console_guard(request: web.Request, handler):
    path = request.path
    if path != "/console" and not path.startswith("/console/"):
        return await handler(request)
    try:
        if not path.startswith(PUBLIC) and path != "/console":
            st = _state(request)
            cookie = request.cookies.get(COOKIE)
            # background refreshes (transcript poll, queue auto-refresh) do not count as use:
            # otherwise an open tab would never reach the idle timeout
            background = path.endswith("/transcript") or request.query.get("auto") == "1"
            session = st.accounts.session(cookie, touch=not background)
            if session is None:
                target = "/console/login?next=" + quote(_safe_next(request.path_qs), safe="")
                if cookie:
                    target += "&msg=expired"
                response = web.HTTPSeeOther(target) if request.method != "GET" else web.HTTPFound(target)
                if cookie:
                    response.del_cookie(COOKIE, path="/console")
                raise response
            request["console_session"] = session
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                form = await request.post()
                sent = form.get("csrf_token", "")
                if not isinstance(sent, str) or not hmac.compare_digest(sent, session["csrf_token"]):
                    log.warning("console CSRF check failed for %s %s", request.method, path)
                    security_event(
                        "csrf_failed",
                        who=session["counsellor"]["name"],
                        address=client_address(request, st.settings.trust_forwarded_for),
                    )
                    raise web.HTTPForbidden(text="Ongeldig formulier (CSRF-controle mislukt). Laad de pagina opnieuw.")
        response = await handler(request)
    except web.HTTPException as exc:
        for key, value in SECURITY_HEADERS.items():
            exc.headers.setdefault(key, value)
        raise
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    return response


# ----------------------------------------------------------------------------- login / logout
async def login_form(request: web.Request) -> web.Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = render(request, "login.html", login_csrf=token, next=_safe_next(request.query.get("next")), name="")
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        path="/console/login",
        httponly=True,
        samesite="Strict",
        secure=_secure(request),
        max_age=3600,
    )
    return response


async def login(request: web.Request) -> web.Response:
    st = _state(request)
    form = await request.post()
    cookie_token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    sent = form.get("csrf_token", "")
    if not cookie_token or not isinstance(sent, str) or not hmac.compare_digest(sent, cookie_token):
        security_event("csrf_failed", address=client_address(request, st.settings.trust_forwarded_for))
        raise web.HTTPForbidden(text="Ongeldig formulier (CSRF-controle mislukt). Laad de inlogpagina opnieuw.")
    name = str(form.get("name", ""))[:64].strip()
    password = str(form.get("password", ""))[:1024]
    nxt = _safe_next(str(form.get("next", "")))
    address = client_address(request, st.settings.trust_forwarded_for)
    # per host: an IPv4 address, or the /64 an IPv6 host can pick any address from
    key = (name.lower(), network_of(address, v4=32, v6=64))
    wait = st.login_delays.wait(key)
    if st.login_by_address.hit(key[1]) or wait:
        security_event("login_delayed", who=name, address=address, wait_seconds=int(wait) + 1 if wait else None)
        return render(
            request,
            "login.html",
            status=429,
            login_csrf=cookie_token,
            next=nxt,
            name=name,
            error=f"Te veel inlogpogingen. Wacht {int(wait) + 1 if wait else 60} seconden en probeer het opnieuw.",
        )
    counsellor = await st.check_password(name, password)
    if (
        counsellor is not None
        and counsellor.get("totp")
        and not st.check_totp_once(counsellor["id"], str(form.get("totp", ""))[:12])
    ):
        st.login_delays.failed(key)
        security_event("totp_failed", who=name, address=address)
        counsellor = None  # the same answer as a wrong password: it must not confirm the password
    if counsellor is None:
        failures = st.login_delays.failed(key)
        security_event("login_failed", who=name, address=address, failures=failures)
        return render(
            request,
            "login.html",
            status=401,
            login_csrf=cookie_token,
            next=nxt,
            name=name,
            error="Naam, wachtwoord of code klopt niet.",
        )
    st.login_delays.succeeded(key)
    security_event("login_ok", who=counsellor["name"], address=address)
    cookie, _csrf = st.accounts.start_session(counsellor)
    response = web.HTTPSeeOther(nxt)
    response.set_cookie(
        COOKIE,
        cookie,
        path="/console",
        httponly=True,
        samesite="Strict",
        secure=_secure(request),
        max_age=st.settings.session_minutes * 60,
    )
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/console/login")
    log.info("counsellor %s logged in", counsellor["name"])
    raise response


async def logout(request: web.Request) -> web.Response:
    _state(request).accounts.end_session(request.cookies.get(COOKIE))
    response = web.HTTPSeeOther("/console/login?msg=logged_out")
    response.del_cookie(COOKIE, path="/console")
    raise response


# ----------------------------------------------------------------------------- pages
async def root(request: web.Request) -> web.Response:
    raise web.HTTPFound("/console/")


async def queue(request: web.Request) -> web.Response:
    cases = _state(request).cases.queue()
    return render(request, "queue.html", cases=cases, title="Wachtrij")


def _case_id(request: web.Request) -> int:
    raw = request.match_info["case_id"]
    if not raw.isdigit() or len(raw) > 12:
        raise web.HTTPNotFound()
    return int(raw)


async def _case_page(
    request: web.Request, case_id: int, status: int = 200, error: str | None = None, reply_text: str = ""
) -> web.Response:
    st = _state(request)
    session = request["console_session"]
    reveal = case_id in session["revealed"]
    case = st.cases.get(case_id, reveal=reveal)
    if case is None:
        return render(request, "error.html", status=404, title="Niet gevonden", message="Deze casus bestaat niet.")
    transcript, source = await ops.transcript(st, case, reveal=reveal)
    return render(
        request,
        "case.html",
        status=status,
        case=case,
        transcript=transcript,
        source=source,
        audit=st.cases.audit(case_id),
        outcomes=OUTCOMES,
        error=error,
        reply_text=reply_text,
        title=f"Casus {case['code']}",
    )


async def case_page(request: web.Request) -> web.Response:
    return await _case_page(request, _case_id(request))


async def transcript_fragment(request: web.Request) -> web.Response:
    st = _state(request)
    case_id = _case_id(request)
    reveal = case_id in request["console_session"]["revealed"]
    case = st.cases.get(case_id, reveal=reveal)
    if case is None:
        raise web.HTTPNotFound()
    transcript, source = await ops.transcript(st, case, reveal=reveal)
    return render(request, "_transcript.html", case=case, transcript=transcript, source=source)


async def _action(request: web.Request, run, flash: str) -> web.Response:
    case_id = _case_id(request)
    form = await request.post()
    counsellor = request["console_session"]["counsellor"]
    try:
        result = await run(_state(request), case_id, counsellor, form)
    except CaseError as exc:
        if exc.status == 404:
            return render(request, "error.html", status=404, title="Niet gevonden", message=exc.message)
        return await _case_page(
            request, case_id, status=exc.status, error=exc.message, reply_text=str(form.get("text", ""))[:4000]
        )
    raise web.HTTPSeeOther(f"/console/cases/{case_id}?msg={result or flash}")


async def take_over(request: web.Request) -> web.Response:
    async def run(st, case_id, counsellor, form):
        await ops.take_over(st, case_id, counsellor)

    return await _action(request, run, "taken_over")


async def hand_back(request: web.Request) -> web.Response:
    async def run(st, case_id, counsellor, form):
        await ops.hand_back(st, case_id, counsellor)

    return await _action(request, run, "handed_back")


async def close(request: web.Request) -> web.Response:
    async def run(st, case_id, counsellor, form):
        await ops.close(st, case_id, counsellor, str(form.get("outcome", "")), str(form.get("note", "")))

    return await _action(request, run, "closed")


async def reply(request: web.Request) -> web.Response:
    async def run(st, case_id, counsellor, form):
        _message, warning = await ops.reply(st, case_id, counsellor, str(form.get("text", "")))
        return "sent_no_tracker" if warning else None

    return await _action(request, run, "sent")


async def reveal(request: web.Request) -> web.Response:
    async def run(st, case_id, counsellor, form):
        st.cases.reveal(case_id, counsellor)
        st.accounts.remember_reveal(request["console_session"]["id"], case_id)

    return await _action(request, run, "revealed")


async def handover(request: web.Request) -> web.Response:
    since, until, cases = ops.handover_cases(_state(request), request.query.get("hours", ""))
    groups = [(level, label, [c for c in cases if c["risk"] == level]) for level, label in RISK_LABELS.items()]
    return render(
        request, "handover.html", groups=groups, since=since, until=until, count=len(cases), title="Overdracht"
    )


def setup(app: web.Application) -> None:
    get_state(app)
    app[TZ_KEY] = ZoneInfo(settings_of(app).timezone)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local"] = _local(app)
    app[JINJA_KEY] = env
    app.middlewares.append(console_guard)
    r = app.router
    r.add_get("/console", root)
    r.add_get("/console/", queue)
    r.add_get("/console/login", login_form)
    r.add_post("/console/login", login)
    r.add_post("/console/logout", logout)
    r.add_get("/console/handover", handover)
    r.add_get("/console/cases/{case_id}", case_page)
    r.add_get("/console/cases/{case_id}/transcript", transcript_fragment)
    r.add_post("/console/cases/{case_id}/take-over", take_over)
    r.add_post("/console/cases/{case_id}/hand-back", hand_back)
    r.add_post("/console/cases/{case_id}/close", close)
    r.add_post("/console/cases/{case_id}/reply", reply)
    r.add_post("/console/cases/{case_id}/reveal", reveal)
    r.add_static("/console/static/", str(HERE / "static"))
