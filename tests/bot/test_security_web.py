"""Security of the web app as a whole (issue 16, findings 8 and 14)."""

from __future__ import annotations

import logging

from bot.web.app import PrivateAccessLogger


async def test_no_version_in_the_server_header(client):
    for path in ["/health", "/", "/chat/api/nothing", "/console/login"]:
        resp = await client.get(path)
        assert resp.headers.get("Server") == "nachtlicht", path


def test_access_log_has_no_address_user_agent_or_conversation_id(caplog):
    class Req:
        method, path = "POST", "/chat/api/conversations/0123456789abcdef0123456789abcdef/messages"
        remote = "203.0.113.7"
        headers = {"User-Agent": "Mozilla/5.0 secret-phone"}

    class Resp:
        status = 200

    logger = logging.getLogger("test.access")
    with caplog.at_level(logging.INFO, logger="test.access"):
        PrivateAccessLogger(logger, "").log(Req(), Resp(), 0.012)
    line = caplog.records[-1].getMessage()
    assert line == "POST /chat/api/conversations/<id>/messages 200 12ms"


def test_make_shell_binds_the_action_server_to_loopback_with_a_token():
    """Finding 6: `make shell` started the action server on 0.0.0.0, without any check."""
    from bot.settings import ROOT

    make = (ROOT / "Makefile").read_text()
    shell = make[make.index("shell: train") : make.index("clean:")]
    assert "ACTION_HOST=127.0.0.1" in shell and "bot.rasa.action_server" in shell and "bot.settings --export" in shell
    for name in ("endpoints.yml", "endpoints.prod.yml"):
        assert "token: ${ACTION_ENDPOINT_TOKEN}" in (ROOT / name).read_text(), name
    flows = (ROOT / "docs" / "flows.md").read_text()
    assert "rasa run --enable-api`" not in flows
