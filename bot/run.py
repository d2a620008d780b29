"""Start the whole Nachtlicht system and stop it cleanly on Ctrl-C.

Processes: Rasa action server (5055), Rasa server with the REST channel and the HTTP
API on 127.0.0.1 only (5005, token-protected), and our web app (8080).
If one process dies, everything is stopped so the failure is visible.
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bot.settings import ROOT, get_settings

# NACHTLICHT_MODEL: another model file (the benchmark starts a stack with a baseline model).
MODEL = Path(os.environ.get("NACHTLICHT_MODEL") or ROOT / "models" / "nachtlicht.tar.gz")


def wait_http(url: str, seconds: float, procs: list) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if any(p.poll() is not None for _, p in procs):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status < 500:
                    return True
        except OSError:
            pass
        time.sleep(1)
    return False


def commands(rasa_port: int, action_port: int, endpoints: str, token: str, web_port: int = 8080) -> list:
    """(name, argv, health URL) of each process, in start order."""
    py = sys.executable
    return [
        ("actions", [py, "-m", "rasa_sdk", "--actions", "actions", "--port", str(action_port)],
         f"http://127.0.0.1:{action_port}/health"),
        ("rasa", [py, "-m", "rasa", "run", "--model", str(MODEL), "--endpoints", endpoints,
                  "--credentials", "credentials.yml", "--enable-api", "--auth-token", token,
                  "--interface", "127.0.0.1", "--port", str(rasa_port)],
         f"http://127.0.0.1:{rasa_port}/"),
        ("web", [py, "-m", "bot.web.app"], f"http://127.0.0.1:{web_port}/health"),
    ]


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot run", description=__doc__)
    parser.add_argument("--endpoints", default=os.environ.get("RASA_ENDPOINTS", "endpoints.yml"))
    args = parser.parse_args(argv)
    if not MODEL.exists():
        print(f"No trained model at {MODEL}. Run 'make train' first.", file=sys.stderr)
        return 1
    settings = get_settings()
    (ROOT / "var").mkdir(exist_ok=True)
    token = settings.rasa_token or secrets.token_urlsafe(24)
    rasa_port = int(os.environ.get("RASA_PORT", "5005"))
    action_port = int(os.environ.get("ACTION_PORT", "5055"))
    env = dict(os.environ, RASA_TOKEN=token, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3",
               RASA_URL=os.environ.get("RASA_URL", f"http://127.0.0.1:{rasa_port}"),
               SECRET_KEY=settings.secret_key or secrets.token_urlsafe(32))
    procs: list = []

    def stop_all(*_: object) -> None:
        for name, proc in reversed(procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for name, proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        print("Nachtlicht stopped.", flush=True)

    def on_term(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    try:
        for name, cmd, health in commands(rasa_port, action_port, args.endpoints, token, settings.web_port):
            print(f"[run] starting {name} ...", flush=True)
            procs.append((name, subprocess.Popen(cmd, cwd=ROOT, env=env)))
            if health and not wait_http(health, 180, procs):
                print(f"[run] {name} did not come up; stopping. See its output above.", file=sys.stderr)
                stop_all()
                return 1
        print(f"\n[run] Nachtlicht is up:\n  chat + console  http://{settings.web_host}:{settings.web_port}/\n"
              f"  Rasa REST       http://127.0.0.1:{rasa_port}/webhooks/rest/webhook\n  actions         "
              f"http://127.0.0.1:{action_port}/webhook\nPress Ctrl-C to stop.", flush=True)
        while True:
            for name, proc in procs:
                if proc.poll() is not None:
                    print(f"[run] {name} exited with code {proc.returncode}; stopping the rest.", file=sys.stderr)
                    stop_all()
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        print("\n[run] stopping ...", flush=True)
        stop_all()
        return 0


if __name__ == "__main__":
    sys.exit(main())
