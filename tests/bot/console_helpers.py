"""Helpers for the console tests (a module with a unique name: test folders are not packages)."""

from __future__ import annotations

import re

PASSWORD = "nachtwacht-2026!"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no csrf_token in page"
    return match.group(1)


async def login(client, name: str = "anna", password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token."""
    page = await client.get("/console/login")
    token = csrf_from(await page.text())
    resp = await client.post(
        "/console/login",
        data={"csrf_token": token, "name": name, "password": password, "next": "/console/"},
        allow_redirects=False,
    )
    assert resp.status == 303, await resp.text()
    queue = await client.get("/console/")
    assert queue.status == 200
    return csrf_from(await queue.text())
