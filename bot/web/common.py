"""Helpers shared by the web app's feature modules."""

from __future__ import annotations

from aiohttp import web

from bot.settings import Settings

# Defined here rather than in bot/web/app.py: when the app runs as ``python -m bot.web.app``
# that module is ``__main__``, and a key defined there would be a different object.
SETTINGS_KEY = web.AppKey("settings", Settings)


def settings_of(app: web.Application) -> Settings:
    """The app's Settings (stored by create_app before any feature is set up)."""
    try:
        return app[SETTINGS_KEY]
    except KeyError:
        raise RuntimeError("create_app must store the Settings in the application before feature setup") from None
