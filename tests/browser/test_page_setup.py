"""The chat page's server side, without a browser: routes, headers, quick-exit configuration."""

from __future__ import annotations

import pytest
from aiohttp import web

from bot.settings import Settings
from bot.web.chat import page
from bot.web.common import SETTINGS_KEY


@pytest.mark.parametrize(
    "value,expected",
    [
        ("https://nos.nl/", "https://nos.nl/"),
        ("/neutraal", "/neutraal"),
        ("", page.DEFAULT_QUICK_EXIT_URL),
        ("javascript:alert(1)", page.DEFAULT_QUICK_EXIT_URL),
        ("//evil.example/", page.DEFAULT_QUICK_EXIT_URL),
        ("data:text/html,hoi", page.DEFAULT_QUICK_EXIT_URL),
    ],
)
def test_quick_exit_url_only_http_or_local(value, expected):
    assert page.quick_exit_url(value) == expected


def test_quick_exit_url_from_environment(monkeypatch):
    monkeypatch.setenv("QUICK_EXIT_URL", "https://www.buienradar.nl/")
    assert page.quick_exit_url() == "https://www.buienradar.nl/"


def _app(**settings) -> web.Application:
    app = web.Application()
    app[SETTINGS_KEY] = Settings(**settings)
    page.setup(app, exit_url='https://example.org/?a=1&b="x"')
    return app


async def test_page_headers_config_and_escaping(aiohttp_client):
    client = await aiohttp_client(_app(max_message_chars=1234))
    resp = await client.get("/")
    assert resp.status == 200
    assert resp.content_type == "text/html"
    html = await resp.text()
    assert 'data-max-chars="1234"' in html
    assert 'data-exit-url="https://example.org/?a=1&amp;b=&#34;x&#34;"' in html  # attribute-escaped
    h = resp.headers
    assert (
        "script-src 'self'" in h["Content-Security-Policy"] and "frame-ancestors 'none'" in h["Content-Security-Policy"]
    )
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["X-Frame-Options"] == "DENY"
    assert h["Referrer-Policy"] == "no-referrer"
    assert "no-store" in h["Cache-Control"]
    for name, ctype in (("chat.js", "javascript"), ("chat.css", "text/css"), ("icon.svg", "image/svg+xml")):
        asset = await client.get(f"/static/{name}")
        assert asset.status == 200 and ctype in asset.headers["Content-Type"]
        assert asset.headers["X-Content-Type-Options"] == "nosniff"
    assert (await client.get("/static/../page.py")).status in (403, 404)


async def test_create_app_serves_the_page(aiohttp_client, tmp_path, monkeypatch):
    from bot.web.app import create_app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'n.db'}")
    client = await aiohttp_client(
        create_app(Settings(database_url=f"sqlite:///{tmp_path / 'n.db'}", secret_key="s" * 32))
    )
    resp = await client.get("/")
    assert resp.status == 200
    assert "Snel weg" in await resp.text()
    assert "Content-Security-Policy" in resp.headers
