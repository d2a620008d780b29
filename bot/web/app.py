"""The Nachtlicht web app (port 8080): chat page and API, counsellor console and API.

Feature packages register their routes through a ``setup(app)`` function so this
module stays small and each feature owns its own URLs.
"""
from __future__ import annotations

import logging
import re

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot.chat import api as chat_api, page as chat_page
from bot.console import api as console_api, web as console_web
from bot.settings import Settings, get_settings
from bot.web.common import SETTINGS_KEY

log = logging.getLogger(__name__)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "service": "nachtlicht-web"})


_ID_IN_PATH = re.compile(r"/[0-9a-f]{32}(?=/|$)")


class PrivateAccessLogger(AbstractAccessLogger):
    """Access log without the client's address, user agent or conversation id: a log line must
    not tie a person to a conversation (issue 16, finding 8). Method, path (ids replaced),
    status and time are enough to operate the service."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %.0fms", request.method, _ID_IN_PATH.sub("/<id>", request.path),
                         response.status, time * 1000)


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
    chat_api.setup(app)  # /chat/api/
    console_web.setup(app)  # /console/
    console_api.setup(app)  # /api/
    chat_page.setup(app)  # / and /static/
    return app


def main() -> None:
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # Security events (bot/security_log.py) also go to var/security.log, for the operator.
    from bot.settings import ROOT

    (ROOT / "var").mkdir(mode=0o700, exist_ok=True)
    handler = logging.FileHandler(ROOT / "var" / "security.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("nachtlicht.security").addHandler(handler)
    web.run_app(create_app(settings), host=settings.web_host, port=settings.web_port, print=None,
                access_log_class=PrivateAccessLogger)


if __name__ == "__main__":
    main()
