"""``python -m bot users ...`` and ``python -m bot purge``."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main as bot_main
from bot.auth import Accounts

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, input=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})),
    )


def test_users_add_and_token_as_subprocesses(database_url):
    added = _run("users", "add", "anna", input="nachtwacht-2026!\n")
    assert added.returncode == 0, added.stderr
    assert "aangemaakt" in added.stderr and added.stdout == ""
    issued = _run("users", "token", "anna")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip().splitlines()[-1]
    accounts = Accounts.from_settings()
    assert accounts.by_token(token) == {"id": 1, "name": "anna"}
    assert accounts.check_password("anna", "nachtwacht-2026!")["name"] == "anna"
    duplicate = _run("users", "add", "anna", input="nachtwacht-2026!\n")
    assert duplicate.returncode == 1 and "bestaat al" in duplicate.stderr


def test_passwords_are_stored_hashed(database_url):
    from sqlalchemy import select

    from bot.storage.db import get_engine, session_scope
    from bot.storage.models import Counsellor

    accounts = Accounts.from_settings()
    accounts.add("bram", "een-lang-wachtwoord")
    token = accounts.issue_token("bram")
    with session_scope(get_engine(database_url)) as s:
        row = s.execute(select(Counsellor)).scalar_one()
        assert row.password_hash.startswith("scrypt$") and "een-lang-wachtwoord" not in row.password_hash
        assert token not in row.api_token_hash and len(row.api_token_hash) == 64


def test_users_commands_through_main(database_url, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("kort\n"))
    assert bot_main(["users", "add", "cas"]) == 1
    assert "minstens 12 tekens" in capsys.readouterr().err
    for weak in ("aaaaaaaaaaaaaaaa", "cas-cas-cas-2026"):  # one character repeated; the name itself
        monkeypatch.setattr(sys, "stdin", io.StringIO(weak + "\n"))
        assert bot_main(["users", "add", "cas"]) == 1
    monkeypatch.setattr(sys, "stdin", io.StringIO("nachtwacht-2026!\n"))
    assert bot_main(["users", "add", "bad name!"]) == 1
    monkeypatch.setattr(sys, "stdin", io.StringIO("nachtwacht-2026!\n"))
    assert bot_main(["users", "add", "cas"]) == 0
    capsys.readouterr()
    assert bot_main(["users", "token", "cas"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("nlc_") and len(token) > 40
    assert bot_main(["users", "list"]) == 0
    listing = capsys.readouterr().out
    assert listing.startswith("cas\tactief, API-token")
    monkeypatch.setattr(sys, "stdin", io.StringIO("nog-een-wachtwoord\n"))
    assert bot_main(["users", "passwd", "cas"]) == 0
    assert Accounts.from_settings().check_password("cas", "nog-een-wachtwoord")
    assert bot_main(["users", "token", "nobody"]) == 1
    assert "Geen account" in capsys.readouterr().err
    assert bot_main(["users", "remove", "cas"]) == 0
    assert Accounts.from_settings().by_token(token) is None
    with pytest.raises(SystemExit):
        bot_main(["users"])


def test_password_prompt_on_a_terminal_asks_twice(database_url, monkeypatch):
    import getpass

    class Tty(io.StringIO):
        def isatty(self):
            return True

    answers = iter(["nachtwacht-2026!", "anders-getypt!!"])
    monkeypatch.setattr(sys, "stdin", Tty())
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    assert bot_main(["users", "add", "dirk"]) == 1
    answers = iter(["nachtwacht-2026!", "nachtwacht-2026!"])
    assert bot_main(["users", "add", "dirk"]) == 0


def test_purge_command(database_url, capsys):
    from bot.cases.service import CaseService

    CaseService.from_settings().open_case("conv-p", {})
    assert bot_main(["purge", "--days", "30", "--dry-run"]) == 0
    assert "Zou verwijderen: 0 casussen" in capsys.readouterr().out
    assert bot_main(["purge"]) == 0
    assert "ouder dan 90 dagen" in capsys.readouterr().out
