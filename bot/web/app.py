"""The Nachtlicht web app (port 8080): chat page and API, counsellor console and API.

Feature packages register their routes through a ``setup(app)`` function so this
module stays small and each feature owns its own URLs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re

import aiohttp
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot.settings import Settings, get_settings
from bot.web.chat import api as chat_api
from bot.web.chat import page as chat_page
from bot.web.common import SETTINGS_KEY
from bot.web.console import api as console_api
from bot.web.console import web as console_web

log = logging.getLogger(__name__)


async def health(request: web.Request) -> web.Response:
    """Each component with its status (issue 17): the web app itself, our database, every Rasa
    server, the action server and, in the production profile, Redis; plus what `python -m bot
    run` reports about its children (running, restarts; var/run-status.json). Always 200 while
    the web app lives; "status" is "degraded" when a component does not answer."""
    settings = request.app[SETTINGS_KEY]
    components: dict = {"web": "ok"}
    components.update(await _check_database(settings))
    components.update(await _check_rasa(request.app))
    components["actions"] = await _check_http(_action_health_url(settings))
    if settings.run_profile == "prod":
        components["redis"] = await asyncio.get_running_loop().run_in_executor(None, _check_redis, settings)
    body: dict = {
        "status": "ok" if all(v == "ok" for v in components.values()) else "degraded",
        "service": "nachtlicht-web",
        "components": components,
    }
    try:  # pids are for the operator on the machine, not for the world
        services = json.loads(settings.run_status_file.read_text(encoding="utf-8"))["services"]
        body["supervisor"] = {name: {k: v for k, v in info.items() if k != "pid"} for name, info in services.items()}
    except (OSError, ValueError, KeyError):
        pass
    return web.json_response(body)


def _action_health_url(settings) -> str:
    return settings.action_webhook_url.rsplit("/webhook", 1)[0] + "/health"


async def _check_http(url: str) -> str:
    try:
        timeout = aiohttp.ClientTimeout(total=3)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as resp:
            return "ok" if resp.status == 200 else f"error: HTTP {resp.status}"
    except (aiohttp.ClientError, OSError, asyncio.TimeoutError):
        return "unreachable"


async def _check_database(settings) -> dict:
    from sqlalchemy import text

    from bot.storage.db import get_engine

    def db_ok() -> None:
        with get_engine(settings.database_url).connect() as conn:
            conn.execute(text("SELECT 1"))

    try:
        await asyncio.get_running_loop().run_in_executor(None, db_ok)
        return {"database": "ok"}
    except Exception as exc:
        return {"database": f"error: {exc.__class__.__name__}"}


async def _check_rasa(app: web.Application) -> dict:
    """{url: "ok" | "unreachable"} for every Rasa server the web app uses."""
    from bot.web.rasa_client import install

    rasa = install(app)
    session = await rasa.session()
    out = {}
    for url in rasa.urls:
        try:
            async with session.get(url + "/", timeout=aiohttp.ClientTimeout(total=3)) as resp:
                out[url] = "ok" if resp.status == 200 else "unreachable"
        except (aiohttp.ClientError, asyncio.TimeoutError):
            out[url] = "unreachable"
    return out


def _check_redis(settings) -> str:
    try:
        import redis

        client = redis.Redis(
            host=settings.redis_host,
            port=settings.redis_port,
            db=settings.redis_db,
            password=settings.redis_password or None,
            socket_timeout=2,
            socket_connect_timeout=2,
        )
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"


async def ready(request: web.Request) -> web.Response:
    """Readiness for a load balancer: our database answers and at least one Rasa server does.
    200 {"ready": true, ...} or 503 with the component that is not ready."""
    checks: dict = {}
    checks.update(await _check_database(request.app[SETTINGS_KEY]))
    rasa = await _check_rasa(request.app)
    checks.update(rasa)
    is_ready = checks["database"] == "ok" and any(v == "ok" for v in rasa.values())
    return web.json_response({"ready": is_ready, "checks": checks}, status=200 if is_ready else 503)


_ID_IN_PATH = re.compile(r"/[0-9a-f]{32}(?=/|$)")


class PrivateAccessLogger(AbstractAccessLogger):
    """Access log without the client's address, user agent or conversation id: a log line must
    not tie a person to a conversation (issue 16, finding 8). Method, path (ids replaced),
    status and time are enough to operate the service."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s %.0fms", request.method, _ID_IN_PATH.sub("/<id>", request.path), response.status, time * 1000
        )


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Server"] = "nachtlicht"  # not "Python/3.10 aiohttp/3.x" (issue 16, finding 14)
    if request.app[SETTINGS_KEY].public_url.lower().startswith("https://"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or get_settings()
    app = web.Application(client_max_size=256 * 1024)
    app[SETTINGS_KEY] = settings
    app.on_response_prepare.append(_headers)
    app.router.add_get("/health", health)
    app.router.add_get("/health/ready", ready)
    chat_api.setup(app)  # /chat/api/
    console_web.setup(app)  # /console/
    console_api.setup(app)  # /api/
    chat_page.setup(app)  # / and /static/
    return app


def main() -> None:
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # Security events (bot/web/security_log.py) also go to var/security.log, for the operator.
    from bot.settings import ROOT

    (ROOT / "var").mkdir(mode=0o700, exist_ok=True)
    handler = logging.FileHandler(ROOT / "var" / "security.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("nachtlicht.security").addHandler(handler)
    web.run_app(
        create_app(settings),
        host=settings.web_host,
        port=settings.web_port,
        print=None,
        access_log_class=PrivateAccessLogger,
    )


if __name__ == "__main__":
    main()
