"""The Rasa action server (our custom actions in ``actions/``), with a shared secret.

``python -m rasa_sdk`` accepts any POST to ``/webhook``: a forged tracker could open an
urgent case (issue 16, finding 6). This entry point runs rasa_sdk's own app with:
* a token check on every route but ``/health``: Rasa sends ``?token=...`` (``token:`` in
  endpoints*.yml, from ``ACTION_ENDPOINT_TOKEN``), and the token is derived from
  ``SECRET_KEY`` (``action_token``), so Rasa and the action server agree without a second
  secret to manage; without a SECRET_KEY every call is refused (fail closed);
* no CORS (Rasa calls it server to server), and the bind address from ``ACTION_HOST``
  (127.0.0.1 by default, never 0.0.0.0 unless set).

Usage: python -m bot.rasa.action_server [--host ACTION_HOST] [--port ACTION_PORT];
python -m bot.rasa.action_server --token (prints the token for $SECRET_KEY). Settings: bot/settings.py.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import logging
import sys

log = logging.getLogger(__name__)


def action_token(secret_key: str) -> str:
    """The webhook token for this SECRET_KEY ("" without one)."""
    if not secret_key:
        return ""
    return hmac.new(secret_key.encode("utf-8"), b"nachtlicht action server webhook", hashlib.sha256).hexdigest()


def create(token: str, package: str = "actions"):
    from rasa_sdk.endpoint import create_app
    from sanic import response

    app = create_app(package, cors_origins=[])

    @app.middleware("request")
    async def require_token(request):
        if request.path == "/health":
            return None
        given = request.args.get("token") or ""
        if not token or not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
            log.warning("action server: call to %s without a valid token refused", request.path)
            return response.json({"error": "unauthorized"}, status=401)
        return None

    return app


def main(argv: list | None = None) -> None:
    from bot.settings import SettingsError, get_settings

    try:
        settings = get_settings()
    except SettingsError as exc:
        print(f"action server cannot start: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    parser = argparse.ArgumentParser(prog="python -m bot.rasa.action_server", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=settings.action_host, help="address to bind to (default: ACTION_HOST)")
    parser.add_argument("--port", type=int, default=settings.action_port, help="port (default: ACTION_PORT)")
    parser.add_argument("--token", action="store_true", help="print the token for $SECRET_KEY and exit")
    args = parser.parse_args(argv)
    token = action_token(settings.secret_key)
    if args.token:
        print(token)
        return
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if not token:
        log.error("SECRET_KEY is not set: every action call will be refused. Start through 'python -m bot run'.")
    from rasa_sdk import utils

    create(token).run(args.host, args.port, workers=utils.number_of_sanic_workers(), access_log=False)


if __name__ == "__main__":
    main()
