"""The Nachtlicht web app (port 8080): chat page and API, counsellor console and API.

Feature packages register their routes through a ``setup(app)`` function so this
module stays small and each feature owns its own URLs.
"""
from __future__ import annotations

import logging

from aiohttp import web

from bot.chat import api as chat_api, page as chat_page
from bot.console import api as console_api, web as console_web
from bot.settings import Settings, get_settings
from bot.web.common import SETTINGS_KEY

log = logging.getLogger(__name__)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "service": "nachtlicht-web"})


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or get_settings()
    app = web.Application(client_max_size=256 * 1024)
    app[SETTINGS_KEY] = settings
    app.router.add_get("/health", health)
    chat_api.setup(app)  # /chat/api/
    console_web.setup(app)  # /console/
    console_api.setup(app)  # /api/
    chat_page.setup(app)  # / and /static/
    return app


def main() -> None:
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    web.run_app(create_app(settings), host=settings.web_host, port=settings.web_port, print=None)


if __name__ == "__main__":
    main()
