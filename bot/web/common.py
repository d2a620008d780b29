"""Helpers shared by the web app's feature modules."""
from __future__ import annotations

from aiohttp import web

from bot.settings import Settings


def settings_of(app: web.Application) -> Settings:
    """The app's Settings. Looked up by type, not by ``bot.web.app.SETTINGS_KEY``: when the app
    runs as ``python -m bot.web.app`` that module is ``__main__`` and its AppKey is a different
    object from the one ``import bot.web.app`` would give."""
    for key in app:
        value = app[key]
        if isinstance(value, Settings):
            return value
    raise RuntimeError("create_app must store the Settings in the application before feature setup")
