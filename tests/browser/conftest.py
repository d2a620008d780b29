"""Fixtures for browser tests: Debian's Chromium driven by Playwright (never a downloaded browser).

Without /usr/bin/chromium the browser tests are skipped with a clear message; with CI=true
they fail instead, so CI can never pass without actually running them.
Screenshots go to reports/screenshots/<name>.png on every run.

Run:  .venv/bin/python -m pytest tests/browser            (all; the live ones need models/nachtlicht.tar.gz)
      .venv/bin/python -m pytest tests/browser -m "browser and not e2e"   (page only, fake chat API, fast)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, IN_CI, NEUTRAL_HTML

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# A phone at night: 360 px wide, touch, Dutch, dark mode.
MOBILE = dict(
    viewport={"width": 360, "height": 740},
    device_scale_factor=2,
    is_mobile=True,
    has_touch=True,
    locale="nl-NL",
    timezone_id="Europe/Amsterdam",
    color_scheme="dark",
)


def _unavailable(reason: str) -> None:
    msg = f"browser tests need {reason}"
    if IN_CI:
        pytest.fail(msg + " (CI=true: browser tests must run, not skip)", pytrace=False)
    pytest.skip(msg)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (Debian's, via Playwright's executable_path)."""
    if not Path(CHROMIUM).exists():
        _unavailable(f"Debian's Chromium at {CHROMIUM} (apt-get install chromium, or 'make setup-test')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        _unavailable("the 'playwright' Python package (pip install -r requirements.txt)")
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # 2 shared cores in CI: be patient, never flaky
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    except Exception as exc:  # pragma: no cover - a broken browser install
        pw.stop()
        _unavailable(f"a working Chromium at {CHROMIUM}: {exc}")
    yield browser
    browser.close()
    pw.stop()


class ExternalTraffic:
    """Stands in for the internet: neutral pages for navigations, nothing else gets out."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []  # (resource type, url)

    def handle(self, route) -> None:
        req = route.request
        self.requests.append((req.resource_type, req.url))
        if req.resource_type == "document":
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=NEUTRAL_HTML)
        else:
            route.abort()

    def subresources(self) -> list[str]:
        return [url for kind, url in self.requests if kind != "document"]


@pytest.fixture
def external() -> ExternalTraffic:
    return ExternalTraffic()


@pytest.fixture
def new_context(browser, external):
    """Factory for isolated browser contexts (each is like a separate device)."""
    contexts = []

    def make(**overrides):
        ctx = browser.new_context(**{**MOBILE, **overrides})
        ctx.set_default_timeout(30_000)
        ctx.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])"), external.handle)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page_errors():
    """Collects console errors and uncaught page errors; attach with watch(page)."""
    errors: list[str] = []

    def watch(page):
        page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
        return page

    watch.errors = errors
    return watch
