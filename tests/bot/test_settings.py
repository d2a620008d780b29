"""bot/settings.py is the only door to the environment (issue 18, item 3): every setting is a
typed, checked field of Settings, documented in the README's settings table; a bad value stops
with the variable's name; no other module under bot/ or actions/ reads the environment; the
endpoints files get their values from the settings."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import time
from dataclasses import fields

import pytest

from bot.settings import ROOT, Settings, SettingsError, endpoint_env, get_settings

ALL_NAMES = {name for f in fields(Settings) for name in f.metadata["env"]}


@pytest.fixture
def clean_env(monkeypatch):
    """No setting from the developer's shell: every variable Settings reads is unset."""
    for name in ALL_NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _default(f):
    return f.metadata["read"]({})


# --- the README's table and Settings agree --------------------------------------------------------


def readme_table_variables() -> dict:
    """Variable -> row of README.md's settings table (the one with the header | variable | what |)."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    headers = [i for i, line in enumerate(lines) if line.strip() == "| variable | what |"]
    assert len(headers) == 1, "README.md must have exactly one settings table (| variable | what |)"
    out = {}
    for line in lines[headers[0] + 2 :]:
        if not line.startswith("|"):
            break
        first = line.split("|")[1]
        names = re.findall(r"`([A-Z][A-Z0-9_]+)`", first)
        assert names, f"a row of the settings table names no variable: {line}"
        for name in names:
            assert name not in out, f"{name} has two rows in the README's settings table"
            out[name] = line
    return out


def test_every_setting_has_a_row_in_the_readme_and_every_row_is_a_setting():
    documented = set(readme_table_variables())
    missing = sorted(ALL_NAMES - documented)
    unknown = sorted(documented - ALL_NAMES)
    assert not missing, f"settings without a row in README.md's settings table: {missing}"
    assert not unknown, f"README.md's settings table names variables Settings does not read: {unknown}"


def test_every_field_reads_its_own_variables():
    seen: dict = {}
    for f in fields(Settings):
        names = f.metadata.get("env")
        assert names, f"Settings.{f.name} is not read from the environment (use _setting)"
        for name in names:
            assert re.fullmatch(r"[A-Z][A-Z0-9_]+", name), name
            assert name not in seen, f"{name} is read by Settings.{seen[name]} and Settings.{f.name}"
            seen[name] = f.name


# --- typed and checked: a bad value stops with the variable's name --------------------------------

BAD = [
    ("WEB_PORT", "abc"),
    ("WEB_PORT", "0"),
    ("WEB_PORT", "65536"),
    ("WEB_PORT", "80 80"),
    ("ACTION_PORT", "-1"),
    ("REDIS_PORT", "6379x"),
    ("RASA_PORTS", "5005,abc"),
    ("RASA_PORT", "99999"),
    ("REDIS_DB", "-1"),
    ("SESSION_MINUTES", "0"),
    ("SESSION_IDLE_MINUTES", "-5"),
    ("RETENTION_DAYS", "1.5"),
    ("CHAT_RATE_ADDRESS", "sixty"),
    ("PENDING_MAX_MINUTES", "0"),
    ("MAX_MESSAGE_CHARS", "2k"),
    ("TRUST_FORWARDED_FOR", "maybe"),
    ("TRUST_FORWARDED_FOR", "2"),
    ("NACHTLICHT_RASA_FIXES", "uit"),
    ("LOG_LEVEL", "LOUD"),
    ("NACHTLICHT_PROFILE", "production"),
    ("RUN_PROFILE", "test"),
    ("PUBLIC_URL", "nachtlicht.example.nl"),
    ("QUICK_EXIT_URL", "javascript:alert(1)"),
    ("QUICK_EXIT_URL", "//evil.example/"),
    ("TIMEZONE", "Mars/Olympus"),
    ("CLOSED_DAYS", "25-12-2026"),
    ("OFFICE_HOURS", "maandag tot vrijdag"),
    ("OFFICE_HOURS", "xyz 09:00-17:00"),
    ("DATABASE_URL", "var/nachtlicht.db"),
    ("TRACKER_STORE_URL", "rasa_tracker.db"),
    ("RASA_URLS", "localhost:5005"),
    ("ACTION_ENDPOINT_URL", "127.0.0.1:5055/webhook"),
    ("SANIC_KEEP_ALIVE_TIMEOUT", "0"),
    ("TF_INTRA_OP_PARALLELISM_THREADS", "one"),
]


@pytest.mark.parametrize("name,value", BAD)
def test_a_bad_value_raises_with_the_variables_name(clean_env, name, value):
    clean_env.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        get_settings()
    assert caught.value.variable == name
    message = str(caught.value)
    assert message.startswith(f"{name} must be ") and repr(value) in message
    assert "unset it" in message  # says what to do
    with pytest.raises(SettingsError):
        Settings(web_host="x")  # the fields not given are read (and checked) too


def test_every_number_and_yes_no_setting_rejects_garbage(clean_env):
    """Also the settings added later: each int field refuses a word, each bool field a non-answer."""
    checked = 0
    for f in fields(Settings):
        default = _default(f)
        if isinstance(default, bool):
            bad = ["maybe", "ja"]
        elif isinstance(default, (int, tuple)) and f.name not in ("rasa_urls",):
            bad = ["abc", "1.5"]
        else:
            continue
        for name in f.metadata["env"]:
            for value in bad:
                with pytest.raises(SettingsError, match=f"^{name} must be"):
                    f.metadata["read"]({name: value})
                checked += 1
    assert checked > 30


def test_a_password_in_a_bad_url_is_not_shown(clean_env):
    clean_env.setenv("DATABASE_URL", "postgres:/nachtlicht:hunter2@db.internal/nachtlicht")
    with pytest.raises(SettingsError, match="DATABASE_URL must be") as caught:
        get_settings()
    assert "hunter2" not in str(caught.value) and ":***@db.internal" in str(caught.value)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        ("TRUE", True),
        ("0", False),
        ("false", False),
        ("no", False),
        (" No ", False),
    ],
)
def test_yes_no_words(clean_env, value, expected):
    clean_env.setenv("TRUST_FORWARDED_FOR", value)
    clean_env.setenv("NACHTLICHT_RASA_FIXES", value)
    settings = get_settings()
    assert settings.trust_forwarded_for is expected and settings.rasa_fixes is expected


def test_good_values_are_typed_and_empty_means_unset(clean_env):
    clean_env.setenv("WEB_PORT", " 8181 ")
    clean_env.setenv("LOG_LEVEL", "warning")
    clean_env.setenv("RASA_PORTS", "6005, 6006")
    clean_env.setenv("ACTION_PORT", "")
    clean_env.setenv("RUN_STATUS_FILE", "var/elsewhere.json")
    clean_env.setenv("CLOSED_DAYS", "2026-12-25, 2026-12-26")
    settings = get_settings()
    assert settings.web_port == 8181 and settings.log_level == "WARNING"
    assert settings.rasa_ports == (6005, 6006)
    assert settings.rasa_urls == ("http://127.0.0.1:6005", "http://127.0.0.1:6006")
    assert settings.action_port == 5055
    assert settings.run_status_file == ROOT / "var" / "elsewhere.json"


def test_defaults_follow_the_profile(clean_env):
    embedded = get_settings()
    assert embedded.run_profile == "embedded"
    assert embedded.database_url == f"sqlite:///{ROOT / 'var' / 'nachtlicht.db'}"
    assert embedded.tracker_store_url == f"sqlite:///{ROOT / 'var' / 'rasa_tracker.db'}"
    assert embedded.rasa_ports == (5005,) and embedded.rasa_urls == ("http://127.0.0.1:5005",)
    clean_env.setenv("RUN_PROFILE", "prod")  # the older name still works
    prod = get_settings()
    assert prod.run_profile == "prod" and prod.database_url.startswith("postgresql://")
    assert prod.tracker_store_url.endswith("/nachtlicht_tracker") and prod.rasa_ports == (5005, 5006)
    clean_env.setenv("NACHTLICHT_PROFILE", "embedded")  # the new name wins
    clean_env.setenv("DATABASE_URL", "sqlite:////tmp/x.db")
    assert get_settings().run_profile == "embedded"
    assert get_settings({"NACHTLICHT_PROFILE": "prod"}).database_url == "sqlite:////tmp/x.db"  # set wins
    clean_env.setenv("RASA_URL", "http://rasa.internal:5005/")
    assert get_settings().rasa_urls == ("http://rasa.internal:5005",)


def test_secrets_stay_out_of_repr(clean_env):
    clean_env.setenv("SECRET_KEY", "very-secret-key-value")
    clean_env.setenv("RASA_TOKEN", "very-secret-rasa-token")
    clean_env.setenv("REDIS_PASSWORD", "very-secret-redis")
    text = repr(get_settings())
    assert "very-secret" not in text and "web_port=8080" in text


def test_get_settings_is_cheap_and_has_no_side_effects(clean_env, tmp_path, monkeypatch):
    import socket

    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'not-created.db'}")
    clean_env.setenv("RUN_STATUS_FILE", str(tmp_path / "status.json"))

    def no_network(*_a, **_k):
        raise AssertionError("get_settings() opened a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    start = time.perf_counter()
    for _ in range(200):
        get_settings()
    assert time.perf_counter() - start < 2.0
    assert list(tmp_path.iterdir()) == []
    # importing it pulls in nothing heavy (no database driver, web framework or Rasa)
    probe = (
        "import sys, bot.settings as s; s.get_settings(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'aiohttp', 'rasa', 'redis', "
        "'psycopg2', 'sanic', 'tensorflow'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr


# --- nobody else reads the environment ---------------------------------------------------------

ENV_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def environment_access(source: str) -> list:
    """Line numbers where ``source`` touches the process environment: os.environ / os.getenv /
    os.putenv / os.unsetenv (as attributes of anything), ``from os import environ``, and the names
    as strings (``getattr(os, "environ")``). Comments and docstrings do not count."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ENV_NAMES:
            found.append(node.lineno)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module in ("os", "posix", "nt")
            and any(a.name in ENV_NAMES or a.name == "*" for a in node.names)
        ):
            found.append(node.lineno)
        elif isinstance(node, ast.Constant) and node.value in ENV_NAMES:
            found.append(node.lineno)
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        "import os\nx = os.environ.get('A')\n",
        "import os\nx = os.getenv('A', 'b')\n",
        "import os as o\no.environ['A'] = '1'\n",
        "from os import environ\n",
        "from os import getenv as g\n",
        "import os\nenv = dict(os.environ, A='1')\n",
        "import os\nx = getattr(os, 'environ')\n",
    ],
)
def test_the_scan_finds_environment_access(snippet):
    assert environment_access(snippet)


def test_the_scan_ignores_comments_and_other_names():
    assert environment_access('"""reads os.environ"""\n# os.getenv here\nenviron_like = 1\nx = {"env": 1}\n') == []


def test_only_bot_settings_reads_the_environment():
    files = sorted(p for folder in ("bot", "actions") for p in (ROOT / folder).rglob("*.py"))
    assert len(files) > 30  # the scan covers the code
    settings_file = ROOT / "bot" / "settings.py"
    assert environment_access(settings_file.read_text(encoding="utf-8")), "the scan must see the one door"
    offenders = []
    for path in files:
        if path == settings_file:
            continue
        for line in environment_access(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, (
        "read the environment only through bot/settings.py (add a field to Settings, "
        "a row to README.md's settings table): " + ", ".join(offenders)
    )


# --- the endpoints files take their values from the settings ---------------------------------------


def _read_vars(name: str) -> set:
    lines = [ln for ln in (ROOT / name).read_text().splitlines() if not ln.lstrip().startswith("#")]
    return set(re.findall(r"\$\{([A-Z_]+)\}", "\n".join(lines)))


@pytest.mark.parametrize("name", ["endpoints.yml", "endpoints.prod.yml"])
def test_every_variable_of_the_endpoints_files_comes_from_the_settings(clean_env, name):
    wanted = _read_vars(name)
    assert {"ACTION_ENDPOINT_URL", "ACTION_ENDPOINT_TOKEN", "TRACKER_STORE_URL"} <= wanted
    assert wanted <= set(endpoint_env(get_settings()))
    body = "\n".join(ln for ln in (ROOT / name).read_text().splitlines() if not ln.lstrip().startswith("#"))
    assert "5055" not in body and "sqlite" not in body and ".db" not in body  # nothing hard-coded
    assert re.search(r'"\$\{', body) is None  # quoted, Rasa would not expand it


def test_action_port_and_tracker_store_url_reach_the_endpoints(clean_env, tmp_path):
    env = endpoint_env(get_settings())
    assert env["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:5055/webhook"
    assert env["TRACKER_STORE_URL"] == f"sqlite:///{ROOT / 'var' / 'rasa_tracker.db'}"
    assert env["TRACKER_STORE_URL"].startswith("sqlite:////")  # absolute: any working directory
    clean_env.setenv("ACTION_PORT", "6123")
    clean_env.setenv("ACTION_HOST", "0.0.0.0")
    clean_env.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 't.db'}")
    clean_env.setenv("SECRET_KEY", "k" * 32)
    env = endpoint_env(get_settings())
    assert env["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:6123/webhook"
    assert env["TRACKER_STORE_URL"] == f"sqlite:///{tmp_path / 't.db'}" and len(env["ACTION_ENDPOINT_TOKEN"]) == 64
    clean_env.setenv("ACTION_ENDPOINT_URL", "http://actions.internal:5055/webhook")
    assert endpoint_env(get_settings())["ACTION_ENDPOINT_URL"] == "http://actions.internal:5055/webhook"


def test_rasa_reads_endpoints_yml_with_the_exported_values(clean_env, tmp_path):
    from rasa.core.utils import AvailableEndpoints
    from rasa.shared.exceptions import RasaException

    clean_env.setenv("ACTION_PORT", "6124")
    clean_env.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    clean_env.setenv("SECRET_KEY", "k" * 32)
    for name, value in endpoint_env(get_settings()).items():
        clean_env.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))
    assert endpoints.action.url == "http://127.0.0.1:6124/webhook"
    assert endpoints.action.token == os.environ["ACTION_ENDPOINT_TOKEN"]
    assert endpoints.tracker_store.type == "SQL"
    assert endpoints.tracker_store.url == f"sqlite:///{tmp_path / 'tracker.db'}"
    clean_env.delenv("ACTION_ENDPOINT_URL")
    with pytest.raises(RasaException, match="ACTION_ENDPOINT_URL"):  # unset is an error, not a default
        AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))


def test_the_children_of_bot_run_read_the_same_settings(clean_env):
    from bot.run import children_env, run_settings

    clean_env.setenv("ACTION_PORT", "6125")
    clean_env.setenv("RASA_PORTS", "6005,6006")
    parent = run_settings("prod")
    assert parent.secret_key and parent.rasa_token  # made up once, shared by all children
    extra = children_env(parent)
    assert extra["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:6125/webhook"
    assert _read_vars("endpoints.prod.yml") <= set(extra)
    child = get_settings(extra)
    for name in (
        "run_profile",
        "database_url",
        "tracker_store_url",
        "secret_key",
        "rasa_token",
        "rasa_urls",
        "action_port",
    ):
        assert getattr(child, name) == getattr(parent, name), name
    assert child.rasa_urls == ("http://127.0.0.1:6005", "http://127.0.0.1:6006")


# --- the launchers --------------------------------------------------------------------------------


def _child_env(**values) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ALL_NAMES}
    return dict(env, PYTHONPATH=str(ROOT), **values)


def test_bot_run_stops_at_once_on_a_bad_setting():
    start = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=_child_env(WEB_PORT="abc"),
    )
    assert out.returncode == 2
    assert "WEB_PORT must be a whole number from 1 to 65535 (got 'abc')" in out.stderr
    assert "Traceback" not in out.stderr and time.monotonic() - start < 30


def test_the_export_helper_sets_what_endpoints_yml_reads(tmp_path):
    script = (
        'exports=$("$PY" -m bot.settings --export) || exit 3; eval "$exports"; '
        'echo "$ACTION_ENDPOINT_URL|$TRACKER_STORE_URL|${#ACTION_ENDPOINT_TOKEN}"'
    )
    tracker = f"sqlite:///{tmp_path / ('it' + chr(39) + 's tracker.db')}"  # a quote and a space survive
    out = subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=_child_env(PY=sys.executable, ACTION_PORT="6126", SECRET_KEY="k" * 32, TRACKER_STORE_URL=tracker),
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"http://127.0.0.1:6126/webhook|{tracker}|64"
    bad = subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=_child_env(PY=sys.executable, ACTION_PORT="port"),
    )
    assert bad.returncode == 3 and "ACTION_PORT must be" in bad.stderr


def test_make_shell_sets_the_endpoint_variables_from_the_settings():
    make = (ROOT / "Makefile").read_text()
    shell = make[make.index("\nshell:") :]
    shell = shell[: shell.index("\n\n")]
    assert "bot.settings --export" in shell and "--endpoints endpoints.yml" in shell
    assert "ACTION_HOST=127.0.0.1" in shell  # the action server of `make shell` stays on loopback
    assert "5055" not in shell


def test_launchers_write_no_endpoints_file_of_their_own():
    """tests/conftest.py and bench/run_bench.py used to write an endpoints.yml of their own
    because endpoints.yml hard-coded the port and the tracker file."""
    for rel in ("tests/conftest.py", "bench/run_bench.py"):
        text = (ROOT / rel).read_text(encoding="utf-8")
        assert "action_endpoint:" not in text and "tracker_store:" not in text, rel


def test_rasa_test_core_does_not_read_the_endpoints_file():
    """`rasa test core` (scripts/test.sh, make test-stories) loads the model without endpoints, so
    the unset variables of endpoints.yml cannot break it; `rasa shell` and `rasa run` do read it
    (make shell and bot run set them)."""
    import inspect

    import rasa.cli.test
    import rasa.model_testing

    source = inspect.getsource(rasa.cli.test.run_core_test_async) + inspect.getsource(rasa.model_testing.test_core)
    assert "endpoints" not in source and "Agent.load(model_path=model)" in source


def test_text_seed_is_unset_by_default_and_a_whole_number_when_set(clean_env):
    assert get_settings().text_seed is None
    clean_env.setenv("TEXT_SEED", "12")
    assert get_settings().text_seed == 12
    clean_env.setenv("TEXT_SEED", "een")
    with pytest.raises(SettingsError, match="TEXT_SEED"):
        get_settings()
