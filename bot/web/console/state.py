"""State shared by the console pages and the JSON API: services, Rasa client, limits."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.auth import Accounts
from bot.cases.service import CaseService
from bot.settings import Settings
from bot.storage.db import get_engine
from bot.web.common import settings_of
from bot.web.rasa_client import RasaClient, install
from bot.web.ratelimit import GrowingDelay, SlidingWindow

log = logging.getLogger(__name__)


class ConsoleState:
    def __init__(self, settings: Settings, rasa: RasaClient):
        self.settings = settings
        self.rasa = rasa
        self.login_by_address = SlidingWindow(20, 300)
        # Failed logins per (name, address): growing delays, not a lockout anyone can trigger.
        self.login_delays = GrowingDelay(free=5, cap=300)
        self._cases: CaseService | None = None
        self._accounts: Accounts | None = None
        self._password_checks: asyncio.Semaphore | None = None
        self._used_totp: dict = {}

    def check_totp_once(self, counsellor_id: int, code: str) -> bool:
        """A valid TOTP code that was not used in the last two minutes (no replay)."""
        import time

        now = time.monotonic()
        self._used_totp = {k: t for k, t in self._used_totp.items() if now - t < 120}
        key = (counsellor_id, (code or "").replace(" ", ""))
        if key in self._used_totp or not self.accounts.check_totp(counsellor_id, code):
            return False
        self._used_totp[key] = now
        return True

    async def check_password(self, name: str, password: str) -> dict | None:
        """scrypt in a worker thread, at most two at a time: a burst of logins must not stall
        the event loop that also serves every chat (issue 16, finding 4)."""
        if self._password_checks is None:
            self._password_checks = asyncio.Semaphore(2)
        async with self._password_checks:
            return await asyncio.get_running_loop().run_in_executor(None, self.accounts.check_password, name, password)

    @property
    def cases(self) -> CaseService:
        if self._cases is None:
            self._cases = CaseService(get_engine(self.settings.database_url), self.settings)
        return self._cases

    @property
    def accounts(self) -> Accounts:
        if self._accounts is None:
            self._accounts = Accounts(
                get_engine(self.settings.database_url),
                self.settings.session_minutes,
                self.settings.session_idle_minutes,
            )
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
