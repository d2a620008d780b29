"""Counsellor accounts: password hashing (scrypt), API tokens, server-side console sessions.

Only hashes are stored: scrypt for passwords, SHA-256 for API tokens and session cookies
(both are 256-bit random values, so a fast hash is enough).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from bot.storage.db import get_engine, session_scope, utcnow
from bot.storage.models import Counsellor, WebSession

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
MIN_PASSWORD = 12  # plus: not the account name, not one character repeated (issue 16, finding 11)
TOKEN_PREFIX = "nlc_"
# OWASP's current advice (N=2^17, r=8, p=1; ~0.5 s and 128 MiB here). Older hashes (N=2^14)
# still verify and are rehashed with these parameters at the next successful login (issue 16).
_SCRYPT = {"n": 2**17, "r": 8, "p": 1}
_MAXMEM = 256 * 1024 * 1024


class AccountError(Exception):
    pass


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, maxmem=_MAXMEM, **_SCRYPT)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt)}${b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=_MAXMEM,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str) -> bool:
    """Was this hash made with weaker parameters than today's?"""
    parts = stored.split("$")
    return len(parts) != 6 or parts[0] != "scrypt" or parts[1:4] != [str(_SCRYPT[k]) for k in ("n", "r", "p")]


# A hash to compare against when the name does not exist (same timing as a real check).
_DUMMY_HASH = None


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


class Accounts:
    def __init__(self, engine: Engine, session_minutes: int = 480, idle_minutes: int = 30):
        self.engine = engine
        self.session_minutes = session_minutes
        self.idle_minutes = idle_minutes

    @classmethod
    def from_settings(cls, settings=None) -> "Accounts":
        from bot.settings import get_settings

        settings = settings or get_settings()
        return cls(get_engine(settings.database_url), settings.session_minutes, settings.session_idle_minutes)

    # ---------------------------------------------------------------- management (CLI)
    def add(self, name: str, password: str) -> None:
        if not NAME_RE.match(name or ""):
            raise AccountError("Naam mag alleen letters, cijfers, punt, streepje en underscore bevatten (2-64 tekens).")
        self._check_password(password, name)
        with session_scope(self.engine) as s:
            if s.execute(select(Counsellor.id).where(Counsellor.name == name)).first():
                raise AccountError(f"Er bestaat al een account '{name}'.")
            s.add(Counsellor(name=name, password_hash=hash_password(password), active=True))

    @staticmethod
    def _check_password(password: str, name: str = "") -> None:
        if len(password or "") < MIN_PASSWORD:
            raise AccountError(f"Het wachtwoord moet minstens {MIN_PASSWORD} tekens lang zijn.")
        low = password.lower()
        if len(set(low)) < 5 or (name and name.lower() in low):
            raise AccountError("Kies een sterker wachtwoord: niet je naam en niet steeds dezelfde tekens.")

    def set_password(self, name: str, password: str) -> None:
        self._check_password(password, name)
        with session_scope(self.engine) as s:
            c = self._get(s, name)
            c.password_hash = hash_password(password)
            s.execute(delete(WebSession).where(WebSession.counsellor_id == c.id))

    def issue_token(self, name: str) -> str:
        """A new API token (replaces the previous one); shown once, only its hash is kept."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with session_scope(self.engine) as s:
            self._get(s, name).api_token_hash = sha256(token)
        return token

    def remove(self, name: str) -> None:
        with session_scope(self.engine) as s:
            s.delete(self._get(s, name))

    def list(self) -> list:
        with session_scope(self.engine) as s:
            rows = s.execute(select(Counsellor).order_by(Counsellor.name)).scalars()
            return [
                {"name": c.name, "active": c.active, "has_token": bool(c.api_token_hash), "created_at": c.created_at}
                for c in rows
            ]

    @staticmethod
    def _get(s, name: str) -> Counsellor:
        c = s.execute(select(Counsellor).where(Counsellor.name == name)).scalar_one_or_none()
        if c is None:
            raise AccountError(f"Geen account met de naam '{name}'.")
        return c

    # ---------------------------------------------------------------- authentication
    def check_password(self, name: str, password: str) -> dict | None:
        global _DUMMY_HASH
        with session_scope(self.engine) as s:
            c = s.execute(select(Counsellor).where(Counsellor.name == (name or ""))).scalar_one_or_none()
            if c is None or not c.active:
                _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
                verify_password(password or "", _DUMMY_HASH)
                return None
            if not verify_password(password or "", c.password_hash):
                return None
            if needs_rehash(c.password_hash):  # transparent upgrade to today's scrypt parameters
                c.password_hash = hash_password(password)
            return {"id": c.id, "name": c.name, "totp": bool(c.totp_secret)}

    # ---------------------------------------------------------------- second factor (optional)
    def enable_totp(self, name: str) -> tuple:
        """(secret, otpauth:// URI) of a new TOTP second factor; from now on login asks for a code."""
        import pyotp

        secret = pyotp.random_base32()
        with session_scope(self.engine) as s:
            c = self._get(s, name)
            c.totp_secret = secret
            s.execute(delete(WebSession).where(WebSession.counsellor_id == c.id))
        return secret, pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name="Nachtlicht")

    def disable_totp(self, name: str) -> None:
        with session_scope(self.engine) as s:
            self._get(s, name).totp_secret = None

    def check_totp(self, counsellor_id: int, code: str) -> bool:
        import pyotp

        code = (code or "").replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            return False
        with session_scope(self.engine) as s:
            c = s.get(Counsellor, counsellor_id)
            return bool(c and c.totp_secret and pyotp.TOTP(c.totp_secret).verify(code, valid_window=1))

    def by_token(self, token: str) -> dict | None:
        if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        with session_scope(self.engine) as s:
            c = s.execute(select(Counsellor).where(Counsellor.api_token_hash == sha256(token))).scalar_one_or_none()
            return {"id": c.id, "name": c.name} if c and c.active else None

    def start_session(self, counsellor: dict) -> tuple:
        """(cookie value, csrf token) of a new console session."""
        cookie = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = utcnow()
        with session_scope(self.engine) as s:
            s.add(
                WebSession(
                    id=sha256(cookie),
                    counsellor_id=counsellor["id"],
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=self._expiry(now, now),
                    revealed=[],
                )
            )
            s.execute(delete(WebSession).where(WebSession.expires_at < now))
        return cookie, csrf

    def session(self, cookie: str | None, touch: bool = True) -> dict | None:
        """The live session for a cookie value, or None (unknown, expired or account gone)."""
        if not cookie or len(cookie) > 200:
            return None
        with session_scope(self.engine) as s:
            ws = s.get(WebSession, sha256(cookie))
            if ws is None:
                return None
            now = utcnow()
            if ws.expires_at <= now or not ws.counsellor.active:
                s.delete(ws)
                return None
            if touch:  # idle timeout: each use by the counsellor extends it
                ws.expires_at = self._expiry(ws.created_at, now)
            return {
                "id": ws.id,
                "csrf_token": ws.csrf_token,
                "revealed": list(ws.revealed or []),
                "counsellor": {"id": ws.counsellor.id, "name": ws.counsellor.name},
                "expires_at": ws.expires_at,
            }

    def _expiry(self, created_at, now):
        """A session ends after ``idle_minutes`` without use, and ``session_minutes`` after login at the latest."""
        return min(created_at + timedelta(minutes=self.session_minutes), now + timedelta(minutes=self.idle_minutes))

    def end_session(self, cookie: str | None) -> None:
        if cookie:
            with session_scope(self.engine) as s:
                s.execute(delete(WebSession).where(WebSession.id == sha256(cookie)))

    def remember_reveal(self, session_id: str, case_id: int) -> None:
        with session_scope(self.engine) as s:
            ws = s.get(WebSession, session_id)
            if ws is not None and case_id not in (ws.revealed or []):
                ws.revealed = list(ws.revealed or []) + [case_id]
