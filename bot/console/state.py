"""State shared by the console pages and the JSON API: services, Rasa client, limits."""
from __future__ import annotations

import logging

from aiohttp import web

from bot.auth import Accounts
from bot.cases.service import CaseService
from bot.db import get_engine
from bot.rasa_client import RasaClient, install
from bot.settings import Settings
from bot.web.common import settings_of
from bot.web.ratelimit import SlidingWindow

log = logging.getLogger(__name__)


class ConsoleState:
    def __init__(self, settings: Settings, rasa: RasaClient):
        self.settings = settings
        self.rasa = rasa
        self.login_by_address = SlidingWindow(20, 300)
        self.login_by_name = SlidingWindow(10, 300)
        self._cases: CaseService | None = None
        self._accounts: Accounts | None = None

    @property
    def cases(self) -> CaseService:
        if self._cases is None:
            self._cases = CaseService(get_engine(self.settings.database_url), self.settings)
        return self._cases

    @property
    def accounts(self) -> Accounts:
        if self._accounts is None:
            self._accounts = Accounts(get_engine(self.settings.database_url), self.settings.session_minutes)
        return self._accounts


CONSOLE_KEY = web.AppKey("console_state", ConsoleState)


def get_state(app: web.Application) -> ConsoleState:
    """The shared console state (created on first call, while the app is being set up)."""
    if CONSOLE_KEY not in app:
        state = ConsoleState(settings_of(app), install(app))
        app[CONSOLE_KEY] = state

        async def _warm(_app: web.Application) -> None:
            get_engine(state.settings.database_url)  # migrate at startup, not on the first request

        app.on_startup.append(_warm)
    return app[CONSOLE_KEY]
