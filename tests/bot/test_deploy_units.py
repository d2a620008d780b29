"""The systemd units in deploy/systemd/ (issue 17): hardened, restarting, and accepted by
`systemd-analyze verify` where systemd is installed (skipped elsewhere)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import ROOT

UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
REQUIRED = {"Restart": "always", "NoNewPrivileges": "yes", "ProtectSystem": "strict", "UMask": "0077"}


def _service(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(path)
    return parser["Service"]


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_units_restart_always_run_unprivileged_and_are_hardened(unit):
    service = _service(unit)
    for key, value in REQUIRED.items():
        assert service.get(key) == value, (unit.name, key)
    assert service.get("User") == "nachtlicht" and service.get("EnvironmentFile") == "/etc/nachtlicht/nachtlicht.env"
    assert service.get("ReadWritePaths") == "/opt/nachtlicht/var"
    assert "--auth-token" not in service.get("ExecStart", "")  # the token never on a command line


def test_every_service_has_a_unit():
    names = {u.name for u in UNITS}
    assert names == {"nachtlicht-actions.service", "nachtlicht-rasa@.service", "nachtlicht-web.service"}


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verify_accepts_the_units(tmp_path):
    root = tmp_path / "opt"
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "python").symlink_to(sys.executable)
    (root / "var").mkdir()
    paths = []
    for unit in UNITS:
        name = unit.name.replace("@.service", "@5005.service")  # an instance of the template
        text = unit.read_text().replace("/opt/nachtlicht", str(root))
        (tmp_path / name).write_text(text)
        paths.append(str(tmp_path / name))
    result = subprocess.run(["systemd-analyze", "verify", *paths], capture_output=True, text=True, timeout=60)
    problems = [
        line for line in (result.stdout + result.stderr).splitlines() if line.strip() and "nachtlicht" in line.lower()
    ]
    assert result.returncode == 0 and not problems, result.stdout + result.stderr
