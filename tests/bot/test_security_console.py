"""Security of the counsellor console and API (issue 16, findings 5, 9, 10, 11)."""

from __future__ import annotations

import re

from console_helpers import PASSWORD, csrf_from


async def _try_login(client, name, password, address="192.0.2.1", totp=None):
    page = await client.get("/console/login", headers={"X-Forwarded-For": address})
    token = csrf_from(await page.text())
    data = {"csrf_token": token, "name": name, "password": password, "next": "/console/"}
    if totp is not None:
        data["totp"] = totp
    return await client.post("/console/login", data=data, allow_redirects=False, headers={"X-Forwarded-For": address})


def _events(caplog, kind):
    return [r.getMessage() for r in caplog.records if r.name == "nachtlicht.security" and f'"{kind}"' in r.getMessage()]


async def test_failed_logins_grow_delays_but_never_lock_the_counsellor_out(make_client, accounts, caplog):
    """Finding 5: 10 wrong passwords locked a name for everyone; now the delay is per (name, address)."""
    accounts.add("anna", PASSWORD)
    client = await make_client(trust_forwarded_for=True)
    with caplog.at_level("WARNING", logger="nachtlicht.security"):
        statuses = [(await _try_login(client, "anna", "fout-wachtwoord", "203.0.113.66")).status for _ in range(7)]
        assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
        # the counsellor, from her own address, logs in at once
        assert (await _try_login(client, "anna", PASSWORD, "192.0.2.10")).status == 303
    assert len(_events(caplog, "login_failed")) == 5 and _events(caplog, "login_delayed")
    assert _events(caplog, "login_ok")
    for line in _events(caplog, "login_failed"):
        assert "fout-wachtwoord" not in line and '"who": "anna"' in line and "203.0.113.66" in line


async def test_old_password_hashes_are_upgraded_at_login(client, accounts, database_url):
    """Finding 11: scrypt N=2^14 -> 2^17, transparently at the next login."""
    import base64
    import hashlib
    import os

    from sqlalchemy import select, update

    from bot.storage.db import get_engine
    from bot.storage.models import Counsellor

    accounts.add("bert", PASSWORD)
    salt = os.urandom(16)
    old = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    old_hash = f"scrypt$16384$8$1${base64.b64encode(salt).decode()}${base64.b64encode(old).decode()}"
    with get_engine(database_url).begin() as db:
        db.execute(update(Counsellor).where(Counsellor.name == "bert").values(password_hash=old_hash))
    assert (await _try_login(client, "bert", PASSWORD)).status == 303
    with get_engine(database_url).connect() as db:
        stored = db.execute(select(Counsellor.password_hash).where(Counsellor.name == "bert")).scalar_one()
    assert stored.startswith("scrypt$131072$8$1$")


async def test_optional_second_factor(client, accounts, caplog):
    import pyotp

    accounts.add("cees", PASSWORD)
    secret, uri = accounts.enable_totp("cees")
    assert uri.startswith("otpauth://totp/") and "Nachtlicht" in uri
    with caplog.at_level("WARNING", logger="nachtlicht.security"):
        assert (await _try_login(client, "cees", PASSWORD)).status == 401  # code missing
        assert (await _try_login(client, "cees", PASSWORD, totp="123456")).status == 401
        assert (await _try_login(client, "cees", PASSWORD, totp=pyotp.TOTP(secret).now())).status == 303
    assert len(_events(caplog, "totp_failed")) == 2
    accounts.disable_totp("cees")
    assert (await _try_login(client, "cees", PASSWORD)).status == 303


async def test_cookies_are_secure_by_the_public_url_not_by_a_client_header(make_client, accounts):
    """Finding 10: Secure depended on a client-sent X-Forwarded-Proto; no HSTS."""
    accounts.add("dina", PASSWORD)
    plain = await make_client()
    page = await plain.get("/console/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in page.headers.get("Set-Cookie", "") and "Strict-Transport-Security" not in page.headers
    https = await make_client(public_url="https://nachtlicht.example.nl")
    page = await https.get("/console/login")
    assert re.search(r"nachtlicht_login_csrf=[^;]+;.*Secure", page.headers.get("Set-Cookie", ""), re.I)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    # (over plain http the browser, like this test client, then keeps the Secure cookie to itself:
    # the login itself is refused, as it should be on a misconfigured http deployment)
    assert (await _try_login(https, "dina", PASSWORD)).status == 403


def test_sessions_end_after_the_idle_time(accounts, database_url):
    from datetime import timedelta

    from sqlalchemy import update

    from bot.storage.db import get_engine, utcnow
    from bot.storage.models import WebSession

    accounts.add("eva", PASSWORD)
    counsellor = accounts.check_password("eva", PASSWORD)
    cookie, _ = accounts.start_session(counsellor)
    session = accounts.session(cookie)
    assert session["expires_at"] <= utcnow() + timedelta(minutes=accounts.idle_minutes, seconds=5)
    with get_engine(database_url).begin() as db:  # nobody used it for longer than the idle time
        db.execute(update(WebSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert accounts.session(cookie) is None


async def test_a_wrong_api_token_is_a_security_event(client, caplog):
    with caplog.at_level("WARNING", logger="nachtlicht.security"):
        assert (await client.get("/api/cases", headers={"Authorization": "Bearer nlc_guess"})).status == 401
        assert (await client.get("/api/cases")).status == 401
    assert len(_events(caplog, "api_token_bad")) == 1


async def test_a_totp_code_works_once_and_a_wrong_code_does_not_confirm_the_password(client, accounts):
    import pyotp

    accounts.add("femke", PASSWORD)
    secret, _ = accounts.enable_totp("femke")
    wrong_password = await _try_login(client, "femke", "niet-het-wachtwoord", totp="000000")
    right_password = await _try_login(client, "femke", PASSWORD, totp="000000")
    assert wrong_password.status == right_password.status == 401
    error = lambda html: re.search(r'class="error"[^>]*>([^<]+)<', html)  # noqa: E731
    assert error(await wrong_password.text()).group(1) == error(await right_password.text()).group(1)
    code = pyotp.TOTP(secret).now()
    assert (await _try_login(client, "femke", PASSWORD, totp=code)).status == 303
    assert (await _try_login(client, "femke", PASSWORD, totp=code)).status == 401  # no replay


async def test_background_refreshes_do_not_keep_a_session_alive(client, accounts, database_url, login_as):
    from sqlalchemy import select

    from bot.storage.db import get_engine
    from bot.storage.models import WebSession

    accounts.add("gijs", PASSWORD)
    await login_as(client, "gijs")

    def expiry():
        with get_engine(database_url).connect() as db:
            return db.execute(select(WebSession.expires_at)).scalar_one()

    first = expiry()
    assert (await client.get("/console/?auto=1")).status == 200
    assert expiry() == first  # the queue's auto-refresh is not use
    assert (await client.get("/console/")).status == 200
    assert expiry() >= first
