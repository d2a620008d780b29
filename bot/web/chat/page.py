"""The chat page for people who need help: GET ``/`` and its static files under ``/static/``.

The page is plain HTML + vanilla JS + CSS (no build step, no external assets) and talks only
to the JSON chat API of this web app (``/chat/api/...``, see docs/contracts.md).

Configuration (bot/settings.py):
  QUICK_EXIT_URL   where the "Snel weg" button sends the person (default: a neutral search
                   page about the weather). ``location.replace`` is used, so the chat does not
                   stay in the back history.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot import helplines
from bot import web_texts as webtexts
from bot.settings import Settings, get_settings
from bot.web.common import settings_of

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATE_DIR = HERE / "templates"

DEFAULT_QUICK_EXIT_URL = "https://www.google.com/search?q=weer"
API_BASE = "/chat/api"

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store, max-age=0",
    "Pragma": "no-cache",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

PAGE_KEY = web.AppKey("chat_page_html", bytes)


def _settings_of(app: web.Application) -> Settings:
    try:
        return settings_of(app)
    except RuntimeError:  # a bare app (tests): settings from the environment
        return get_settings()


def quick_exit_url(value: str | None = None) -> str:
    """The quick-exit target: ``value``, else QUICK_EXIT_URL (settings); only absolute http(s)
    URLs or local paths are accepted, anything else gives the default."""
    url = (value if value is not None else get_settings().quick_exit_url).strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    return DEFAULT_QUICK_EXIT_URL


def _asset_version() -> str:
    digest = hashlib.sha256()
    for name in sorted(p.name for p in STATIC_DIR.iterdir() if p.is_file()):
        digest.update((STATIC_DIR / name).read_bytes())
    return digest.hexdigest()[:10]


def render_page(settings: Settings, exit_url: str) -> bytes:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = env.get_template("chat.html").render(
        max_chars=settings.max_message_chars,
        exit_url=exit_url,
        api_base=API_BASE,
        v=_asset_version(),
        h=helplines.facts(),  # numbers from texts/helplines.yml, never written in the template
        page_texts=webtexts.section("page"),  # chat.js's texts (texts/web.yml)
        tel=lambda number: "".join(ch for ch in number if ch.isdigit()),
    )
    return html.encode("utf-8")


async def chat_page(request: web.Request) -> web.Response:
    return web.Response(
        body=request.app[PAGE_KEY],
        content_type="text/html",
        charset="utf-8",
        headers=PAGE_HEADERS,
    )


async def _static_headers(request: web.Request, response: web.StreamResponse) -> None:
    if request.path.startswith("/static/"):
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-cache"
        response.headers["Referrer-Policy"] = "no-referrer"


def setup(app: web.Application, *, exit_url: str | None = None) -> None:
    """Register GET / (the chat page) and /static/ on ``app``."""
    settings = _settings_of(app)
    app[PAGE_KEY] = render_page(settings, quick_exit_url(settings.quick_exit_url if exit_url is None else exit_url))
    app.router.add_get("/", chat_page, name="chat_page")
    app.router.add_static("/static/", STATIC_DIR, name="chat_static", append_version=False)
    app.on_response_prepare.append(_static_headers)
