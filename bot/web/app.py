"""The Nachtlicht web app (port 8080): health page now; chat and console mount here.

Feature packages register their routes through a ``setup(app)`` function so this
module stays small and each feature owns its own URLs.
"""
from __future__ import annotations

import logging

from aiohttp import web

from bot.settings import Settings, get_settings

log = logging.getLogger(__name__)

SETTINGS_KEY = web.AppKey("settings", Settings)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "service": "nachtlicht-web"})


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or get_settings()
    app = web.Application(client_max_size=256 * 1024)
    app[SETTINGS_KEY] = settings
    app.router.add_get("/health", health)
    from bot.chat.api import setup as setup_chat_api; setup_chat_api(app)  # noqa: E702  chat JSON API: /chat/api/
    from bot.console.web import setup as setup_console; setup_console(app)  # noqa: E702  counsellor console: /console/
    from bot.console.api import setup as setup_console_api; setup_console_api(app)  # noqa: E702  counsellor API: /api/
    from bot.chat.page import setup as setup_chat_page; setup_chat_page(app)  # noqa: E702  chat page: / and /static/
    return app


def main() -> None:
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    web.run_app(create_app(settings), host=settings.web_host, port=settings.web_port, print=None)
    

if __name__ == "__main__":
    main()
