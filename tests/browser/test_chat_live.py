"""The chat page in headless Chromium against the REAL system: web app + Rasa + action server
(the ``live_stack`` fixture of tests/conftest.py), with a counsellor replying through the
console's JSON API. Screenshots of every scenario go to reports/screenshots/.
"""

from __future__ import annotations

import json
import re
import secrets
import urllib.error
import urllib.request

import pytest
from browser_helpers import QUICK_EXIT_URL, START_URL, check_mobile_layout, shot
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

# Close to what a scared teenager types; the intent is report_blackmail (see data/nlu/blackmail.yml).
BLACKMAIL = (
    "iemand op snap heeft een naaktfoto van mij en zegt dat ik nieuwe pics moet sturen "
    "anders stuurt ie hem naar mijn ouders"
)


# ---------------------------------------------------------------- helpers


def open_chat(new_context, stack, page_errors=None, **ctx):
    page = new_context(**ctx).new_page()
    if page_errors:
        page_errors(page)
    page.goto(stack.web_url + "/")
    expect(page.locator("#message")).to_be_visible()
    return page


def watch_typing(page) -> None:
    """Record whether the typing indicator was shown (it can be brief)."""
    page.evaluate("""() => {
        window.__typingSeen = false;
        const el = document.getElementById('typing');
        new MutationObserver(() => { if (!el.hidden) window.__typingSeen = true; })
            .observe(el, {attributes: true, attributeFilter: ['hidden']});
    }""")


def wait_for_reply(page, bots_before: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('#messages .msg--bot').length > n && document.getElementById('typing').hidden",
        arg=bots_before,
        timeout=60_000,
    )


def say(page, text: str) -> None:
    before = page.locator("#messages .msg--bot").count()
    page.fill("#message", text)
    page.click("#send")
    wait_for_reply(page, before)


def choose(page, title: str) -> None:
    before = page.locator("#messages .msg--bot").count()
    page.locator(".choices .chip:not([disabled])", has_text=title).first.click()
    wait_for_reply(page, before)


def bot_text(page) -> str:
    return "\n".join(page.locator("#messages .msg--bot .bubble").all_inner_texts())


def scroll_to_end(page) -> None:
    page.eval_on_selector("#chat", "e => { e.scrollTop = e.scrollHeight; }")


def conversation_id(page) -> str:
    return page.evaluate("JSON.parse(sessionStorage.getItem('nachtlicht.chat')).cid")


def api(stack, token: str, method: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        stack.web_url + path,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"{method} {path} -> {exc.code}: {exc.read()[:500]!r}") from None


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def stack(live_stack):
    return live_stack


@pytest.fixture(scope="module")
def counsellor_token(stack) -> str:
    return stack.create_counsellor(f"browser{secrets.token_hex(3)}", "nachtwacht-" + secrets.token_hex(8))


# ---------------------------------------------------------------- scenarios


def test_greeting_then_script_for_blackmail_then_buttons(new_context, stack, page_errors, external):
    page = open_chat(new_context, stack, page_errors)
    shot(page, "01-start")

    watch_typing(page)
    say(page, "hoi")
    assert page.evaluate("window.__typingSeen"), "no typing indicator while the bot was answering"
    greeting = bot_text(page)
    assert "chatbot" in greeting and "anoniem" in greeting, greeting
    expect(page.locator("#code")).to_have_text(re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$"))
    shot(page, "02-greeting")

    bots = page.locator("#messages .msg--bot").count()
    say(page, BLACKMAIL)
    script = "\n".join(page.locator("#messages .msg--bot .bubble").all_inner_texts()[bots:])
    assert "niet jouw schuld" in script, script
    assert "1. " in script and "2. " in script and "3. " in script, script
    # short turns (issue 14): the whole first reply, the question after it included, fits ~150 words
    assert len(script.split()) <= 150, (len(script.split()), script)
    first_reply = page.locator("#messages .msg--bot").nth(bots)
    expect(first_reply).to_be_in_viewport()  # a long answer is shown from its start
    shot(page, "03-script")

    # The bot's buttons: "may I ask a few questions?" -> no -> the next steps, as buttons again.
    expect(page.locator(".choices .chip:not([disabled])", has_text="Nee, liever niet")).to_be_visible()
    scroll_to_end(page)
    shot(page, "04-buttons")
    choose(page, "Nee, liever niet")
    expect(page.locator("#messages .msg--user .bubble").last).to_have_text("Nee, liever niet")
    expect(page.locator(".chip.is-chosen", has_text="Nee, liever niet")).to_be_visible()
    expect(page.locator(".choices .chip:not([disabled])", has_text="Praten met een hulpverlener")).to_be_visible()
    scroll_to_end(page)
    shot(page, "05-next-steps")

    assert external.subresources() == [], "the page loaded something from outside"
    assert page_errors.errors == []


def test_a_full_report_conversation_on_a_360px_phone(new_context, stack, page_errors):
    """A whole report at 360 px: the short first reply, the questions (skipped), the details on
    request, the closing list. One tall screenshot: reports/screenshots/10-full-report-360px.png."""
    page = open_chat(new_context, stack, page_errors)
    say(page, "hoi")
    say(
        page,
        "hij wil 150 euro via paysafecard voor vanavond anders stuurt hij mijn naaktfoto naar mn vrienden op insta",
    )
    choose(page, "Ja, is goed")
    for _ in range(12):  # every question can be skipped
        skip = page.locator(".choices .chip:not([disabled])", has_text="Weet ik niet")
        if not skip.count():
            break
        choose(page, "Weet ik niet")
    expect(page.locator(".choices .chip:not([disabled])", has_text="Hoe bewaar ik bewijs?")).to_be_visible()
    before = bot_text(page)
    choose(page, "Hoe bewaar ik bewijs?")
    details = bot_text(page)[len(before) :]
    assert "screenshot" in details.lower() and ("níet" in details or "géén" in details), details
    say(page, "doei")
    closing = bot_text(page)
    assert "Wat je nu kunt doen" in closing or "Dit kun je nu doen" in closing, closing[-600:]
    widths = page.eval_on_selector_all(".bubble", "els => els.map(e => e.getBoundingClientRect().right)")
    assert max(widths) <= 360, "a bubble runs off a 360 px screen"
    height = page.eval_on_selector("#chat", "e => e.scrollHeight") + 200
    page.set_viewport_size({"width": 360, "height": min(int(height), 16000)})
    scroll_to_end(page)
    shot(page, "10-full-report-360px")
    assert page_errors.errors == []


def test_counsellor_reply_appears_live(new_context, stack, counsellor_token, page_errors):
    page = open_chat(new_context, stack, page_errors)
    say(page, "ik wil met een hulpverlener praten")
    expect(page.locator(".choices .chip:not([disabled])", has_text="Ja")).to_have_count(1)
    choose(page, "Ja")
    expect(page.locator("#messages .msg--bot .bubble", has_text="doorgezet").first).to_be_visible()
    shot(page, "06-handoff")

    cid = conversation_id(page)
    cases = api(stack, counsellor_token, "GET", "/api/cases?status=open")["cases"]
    case = next((c for c in cases if c["conversation_id"] == cid), None)
    assert case, f"no open case for conversation {cid}: {[c['conversation_id'] for c in cases]}"
    api(stack, counsellor_token, "POST", f"/api/cases/{case['id']}/take-over")
    reply = "Hoi, ik ben een hulpverlener van Helpwanted. Ik heb gelezen wat je schreef. Hoe gaat het nu met je?"
    api(stack, counsellor_token, "POST", f"/api/cases/{case['id']}/reply", {"text": reply})

    human = page.locator("#messages .msg--counsellor")
    expect(human).to_have_count(1)  # arrives by polling, no reload
    expect(human.locator(".bubble")).to_have_text(reply)
    expect(human.locator(".msg__label")).to_contain_text("Hulpverlener")
    expect(page.locator("#who")).to_contain_text("hulpverlener")
    colour = "els => els.map(e => getComputedStyle(e).backgroundColor)"
    assert not set(page.eval_on_selector_all(".msg--bot .bubble", colour)) & set(
        page.eval_on_selector_all(".msg--counsellor .bubble", colour)
    ), "counsellor looks like the bot"
    scroll_to_end(page)
    shot(page, "07-counsellor")

    # The person answers; the counsellor gets it (no bot reply, no typing indicator, no duplicate).
    page.fill("#message", "het gaat wel, ik ben wel bang")
    page.click("#send")
    expect(page.locator("#messages .msg--user .bubble").last).to_have_text("het gaat wel, ik ben wel bang")
    page.wait_for_timeout(3500)  # at least one poll
    expect(page.locator("#messages .msg--user .bubble", has_text="ik ben wel bang")).to_have_count(1)
    expect(page.locator("#typing")).to_be_hidden()
    transcript = json.dumps(api(stack, counsellor_token, "GET", f"/api/cases/{case['id']}")["transcript"])
    assert "bang" in transcript
    assert page_errors.errors == []


def test_reload_keeps_the_conversation(new_context, stack):
    page = open_chat(new_context, stack)
    say(page, "hoi")
    say(page, BLACKMAIL)
    code = page.locator("#code").inner_text()
    read = "els => els.map(e => [e.dataset.sender, e.querySelector('.bubble')?.textContent])"
    before = page.eval_on_selector_all("#messages .msg", read)

    page.reload()
    expect(page.locator("#messages .msg")).to_have_count(len(before))
    assert page.eval_on_selector_all("#messages .msg", read) == before
    expect(page.locator("#code")).to_have_text(code)
    expect(page.locator(".choices .chip:not([disabled])").first).to_be_visible()  # still answerable
    shot(page, "08-after-reload")

    # ... and a new browser session (another phone) picks it up with the code.
    other = open_chat(new_context, stack)
    expect(other.locator("#messages .msg")).to_have_count(0)
    other.click("#resume summary")
    other.fill("#resume-code", "QQQQ-QQQQ")
    other.click("#resume-form button")
    expect(other.locator("#resume-error")).to_be_visible()
    other.fill("#resume-code", code)
    shot(other, "09-resume-form")
    other.click("#resume-form button")
    expect(other.locator("#messages .msg--user")).to_have_count(2)
    expect(other.locator("#code")).to_have_text(code)
    say(other, "ik heb nog een vraag: moet ik aangifte doen?")
    shot(other, "10-resumed")


def test_quick_exit_leaves_no_chat_in_history(new_context, stack):
    page = new_context().new_page()
    page.goto(START_URL)  # where the person came from
    page.goto(stack.web_url + "/")
    say(page, BLACKMAIL)
    entries = page.evaluate("history.length")
    page.click("#quick-exit")
    page.wait_for_url(QUICK_EXIT_URL)
    expect(page.locator("h1")).to_have_text("Het weer vandaag")
    shot(page, "11-quick-exit")
    assert page.evaluate("history.length") == entries  # replaced, not added
    page.go_back()
    page.wait_for_url(START_URL)  # "back" skips the chat
    assert stack.web_url not in page.url
    page.goto(stack.web_url + "/")  # and the session is wiped
    expect(page.locator("#message")).to_be_visible()
    expect(page.locator("#messages .msg")).to_have_count(0)
    expect(page.locator("#code-line")).to_be_hidden()


def test_layout_at_360px_and_on_a_desktop(new_context, stack):
    page = open_chat(new_context, stack)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    say(page, BLACKMAIL)
    check_mobile_layout(page)
    scroll_to_end(page)
    shot(page, "12-layout-360")

    limit = int(page.get_attribute("body", "data-max-chars"))
    page.fill("#message", "x" * (limit - 10))  # the limit comes near: counter shows
    expect(page.locator("#counter")).to_be_visible()
    page.fill("#message", "x" * (limit + 1))
    expect(page.locator("#notice")).to_contain_text("te lang")
    shot(page, "13-too-long")

    desk = open_chat(
        new_context,
        stack,
        viewport={"width": 1280, "height": 800},
        device_scale_factor=1,
        is_mobile=False,
        has_touch=False,
    )
    say(desk, BLACKMAIL)
    shot(desk, "14-desktop")
