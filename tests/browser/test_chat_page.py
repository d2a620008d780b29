"""The chat page's own behaviour in headless Chromium, against a scripted fake of the chat API.

Fast and deterministic: escaping, limits and their Dutch messages, server errors, reload,
resume, quick exit, counsellor messages, 360 px layout, contrast and keyboard use. The same
scenarios against the real web app + Rasa are in test_chat_live.py.
"""

from __future__ import annotations

import re
import urllib.request

import pytest
from browser_helpers import QUICK_EXIT_URL, START_URL, check_mobile_layout, shot
from fake_chat_api import MAX_CHARS, FakeServer
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fake():
    server = FakeServer(exit_url=QUICK_EXIT_URL).start()
    yield server
    server.stop()


@pytest.fixture
def open_chat(new_context, fake, page_errors):
    def open_(context=None):
        ctx = context or new_context()
        page = page_errors(ctx.new_page())
        page.goto(fake.url + "/")
        expect(page.locator("#message")).to_be_visible()
        return page

    return open_


def send(page, text: str) -> None:
    page.fill("#message", text)
    page.click("#send")


def bot_count(page) -> int:
    return page.locator(".msg--bot").count()


def test_headers_of_page_and_static_files(fake):
    with urllib.request.urlopen(fake.url + "/") as resp:
        html = resp.read().decode()
        csp = resp.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "'unsafe-inline'" not in csp
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in resp.headers["Cache-Control"]
        assert resp.headers["Referrer-Policy"] == "no-referrer"
    assert '<meta name="referrer" content="no-referrer">' in html
    assert '<html lang="nl">' in html
    assert "<script>" not in html and " style=" not in html  # nothing inline (CSP)
    assert not re.search(r'(src|href)="(https?:)?//(?!www\.113\.nl/|www\.google\.com/)', html)
    for asset in ("/static/chat.js", "/static/chat.css", "/static/icon.svg"):
        with urllib.request.urlopen(fake.url + asset) as resp:
            assert resp.status == 200
            assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_greeting_script_buttons_and_typing(open_chat, fake, external, page_errors):
    page = open_chat()
    expect(page.locator("#who")).to_have_text("Je praat met een chatbot. Je bent anoniem.")
    expect(page.locator('a[href="tel:112"]')).to_be_visible()
    expect(page.locator('a[href="tel:113"]')).to_be_visible()
    expect(page.locator('a[href="tel:08000113"]')).to_be_visible()
    shot(page, "page-start")

    send(page, "hoi")
    expect(page.locator("#typing")).to_be_visible()  # while the (fake) bot thinks
    expect(page.locator(".msg--bot .bubble").first).to_contain_text("chatbot")
    expect(page.locator("#typing")).to_be_hidden()
    expect(page.locator("#code-line")).to_be_visible()
    expect(page.locator("#code")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    expect(page.locator("#starters")).to_be_hidden()

    send(page, "iemand dreigt mijn naaktfoto te delen als ik niet betaal")
    chips = page.locator(".msg--bot .choices .chip")
    expect(chips).to_have_count(2)
    expect(page.locator(".msg--bot .bubble").nth(1)).to_contain_text("niet jouw schuld")
    shot(page, "page-script-buttons")

    chips.first.click()
    expect(page.locator(".msg--user .bubble").last).to_have_text("Ja, graag")
    expect(page.locator(".msg--bot .bubble").last).to_contain_text("screenshots")
    assert fake.api.received[-1] == {"text": "Ja, graag", "payload": "/affirm"}
    expect(page.locator(".choices .chip:not([disabled])")).to_have_count(0)  # old choices retired
    expect(page.locator(".chip.is-chosen")).to_have_text("Ja, graag")

    # Every message is announced: the list is a polite live region.
    assert page.get_attribute("#messages", "role") == "log"
    assert page.get_attribute("#messages", "aria-live") == "polite"
    assert external.subresources() == [], "the page loaded something from outside"
    assert page_errors.errors == []


def test_buttons_with_a_text_payload_send_that_text(open_chat, fake):
    page = open_chat()
    send(page, "stel een vraag")
    page.locator(".choices .chip", has_text="Over mij").click()
    expect(page.locator(".msg--user .bubble").last).to_have_text("het gaat over mij")
    expect(page.locator(".msg--bot")).to_have_count(2)
    assert fake.api.received[-1] == {"text": "het gaat over mij"}


def test_text_is_escaped_never_html(open_chat, fake):
    page = open_chat()
    evil = '<img src=x onerror="window.pwned=1"><b>vet</b> & "quotes"'
    send(page, evil)
    expect(page.locator(".msg--bot .bubble").last).to_have_text("Je schreef: " + evil)
    expect(page.locator(".msg--user .bubble").last).to_have_text(evil)
    assert page.locator("#messages img, #messages b").count() == 0
    assert page.evaluate("window.pwned") is None


def test_length_limit_counter_and_dutch_message(open_chat, fake):
    page = open_chat()
    before = len(fake.api.received)
    page.fill("#message", "a" * MAX_CHARS)
    expect(page.locator("#count")).to_have_text(str(MAX_CHARS))
    expect(page.locator("#counter")).to_have_class(re.compile(r"\bis-near\b"))
    page.type("#message", "b")
    expect(page.locator("#counter")).to_have_class(re.compile(r"\bis-over\b"))
    expect(page.locator("#notice")).to_be_visible()
    expect(page.locator("#notice")).to_contain_text(f"maximaal {MAX_CHARS} tekens")
    assert page.get_attribute("#message", "aria-invalid") == "true"
    page.click("#send", force=True)  # aria-disabled, but a tap still explains
    page.focus("#message")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    shot(page, "page-too-long")
    # The server reads an over-long message too (for signs of suicidal thoughts, docs/safety.md)
    # and refuses it; the text stays in the box, nothing appears in the chat.
    expect(page.locator("#notice")).to_contain_text(f"maximaal {MAX_CHARS} tekens")
    expect(page.locator("#message")).to_have_value("a" * MAX_CHARS + "b")
    assert all(len(r.get("text", "")) == MAX_CHARS + 1 for r in fake.api.received[before:])
    expect(page.locator(".msg--user")).to_have_count(0)
    page.keyboard.press("Backspace")
    expect(page.locator("#notice")).to_be_hidden()
    page.click("#send")
    expect(page.locator(".msg--user .bubble")).to_have_count(1)
    expect(page.locator(".msg--bot")).to_have_count(1)
    assert len(fake.api.received[-1]["text"]) == MAX_CHARS


@pytest.mark.parametrize(
    "status,code,message,kept",
    [
        (413, "too_long", "Je bericht is te lang. Het mag maximaal 300 tekens zijn.", False),
        (429, "rate_limited", "Rustig aan: je hebt veel berichten gestuurd. Wacht een minuutje.", False),
        (502, "bot_unavailable", "De chatbot is even niet bereikbaar. Probeer het zo nog eens.", True),
    ],
)
def test_server_errors_show_their_dutch_message(open_chat, fake, status, code, message, kept):
    page = open_chat()
    send(page, "hallo")
    expect(page.locator(".msg--bot")).to_have_count(1)
    fake.api.force_error = (status, {"error": code, "message": message})
    send(page, "nog een bericht")
    expect(page.locator("#notice")).to_have_text(message)
    if kept:  # the server may have stored it: keep it on screen
        expect(page.locator(".msg--user")).to_have_count(2)
    else:  # not accepted: the text goes back into the box to try again
        expect(page.locator(".msg--user")).to_have_count(1)
        expect(page.locator("#message")).to_have_value("nog een bericht")
    if status == 429:
        shot(page, "page-rate-limited")


def test_a_restart_of_the_bot_shows_a_calm_waiting_state_until_the_answer_comes(open_chat, fake):
    """Rasa restarting after a crash (issue 17): the message stays, a calm notice with 112/113
    is shown, and the answer arrives by polling without the person doing anything."""
    page = open_chat()
    send(page, "hallo")
    expect(page.locator(".msg--bot")).to_have_count(1)
    fake.api.restarting = True
    try:
        send(page, "ben je er nog")
        expect(page.locator(".msg--system")).to_have_count(1)
        expect(page.locator("#send")).to_be_enabled()
        received = len(fake.api.received)
        send(page, "hallo??")
        expect(page.locator(".msg--user")).to_have_count(3)  # nothing taken back
        page.wait_for_function("() => !document.querySelector('.msg--user.is-pending')")
        assert len(fake.api.received) == received + 1
    finally:
        fake.api.restarting = False
    expect(page.locator("#notice")).to_contain_text("start opnieuw")
    expect(page.locator(".urgent__link--112")).to_be_visible()  # 112/113 stay in view
    expect(page.locator("a[href='tel:113']").first).to_be_visible()
    expect(page.locator(".msg--system")).to_have_count(1)  # the stored notice, once
    shot(page, "page-restarting")
    cid = page.evaluate("JSON.parse(sessionStorage.getItem('nachtlicht.chat')).cid")
    fake.api.restart_done(cid)
    expect(page.locator(".msg--bot")).to_have_count(3, timeout=10_000)
    expect(page.locator(".msg--bot .bubble").last).to_have_text("Je schreef: hallo??")
    expect(page.locator("#notice")).to_be_hidden()


def test_a_refused_message_still_shows_the_safety_message(open_chat, fake):
    """Too long / too fast / bad payload with suicidal words: the error answer carries the
    113/112 message, and the page shows it in the chat (issue 12)."""
    page = open_chat()
    send(page, "hallo")
    expect(page.locator(".msg--bot")).to_have_count(1)
    # only in the error answer (not in the stored history), so polling cannot be what shows it
    safety = {
        "id": 100_000,
        "sender": "system",
        "buttons": [],
        "created_at": "2026-12-03T01:00:00+00:00",
        "text": "Praat er nu over met 113 Zelfmoordpreventie. Ben je in direct gevaar? Bel 112.",
    }
    fake.api.force_error = (429, {"error": "rate_limited", "message": "Wacht even.", "messages": [safety]})
    send(page, "ik wil dood")
    expect(page.locator("#notice")).to_have_text("Wacht even.")
    expect(page.locator(".msg--system .bubble").last).to_contain_text("113")
    shot(page, "page-refused-with-safety")


def test_reload_keeps_conversation_and_resume_on_other_device(open_chat, new_context, fake):
    page = open_chat()
    send(page, "hoi")
    expect(page.locator(".msg--bot")).to_have_count(1)
    send(page, "iemand dreigt mijn naaktfoto te delen")
    expect(page.locator(".choices .chip")).to_have_count(2)
    code = page.locator("#code").inner_text()
    read = "els => els.map(e => [e.dataset.sender, e.querySelector('.bubble')?.textContent])"
    shown = page.eval_on_selector_all("#messages .msg", read)

    page.reload()
    expect(page.locator("#messages .msg")).to_have_count(len(shown))
    assert page.eval_on_selector_all("#messages .msg", read) == shown
    expect(page.locator("#code")).to_have_text(code)
    expect(page.locator(".choices .chip:not([disabled])")).to_have_count(2)  # still answerable

    other = open_chat(new_context())  # another phone: empty session
    expect(page.locator("#messages .msg")).not_to_have_count(0)
    expect(other.locator("#messages .msg")).to_have_count(0)
    other.click("#resume summary")
    other.fill("#resume-code", "abcd")
    other.click("#resume-form button")
    expect(other.locator("#resume-error")).to_contain_text("K7QM-2XPD")
    other.fill("#resume-code", "ZZZZ-ZZZZ")
    other.click("#resume-form button")
    expect(other.locator("#resume-error")).to_contain_text("kennen we niet")
    shot(other, "page-resume-unknown")
    other.fill("#resume-code", code.lower().replace("-", " "))
    other.click("#resume-form button")
    expect(other.locator("#messages .msg--user")).to_have_count(2)
    expect(other.locator("#messages .msg--system .bubble").last).to_have_text("Je gesprek is hervat.")
    expect(other.locator("#code")).to_have_text(code)


def test_counsellor_message_appears_live_and_is_marked(open_chat, fake):
    page = open_chat()
    send(page, "ik wil met een mens praten")
    expect(page.locator(".msg--bot")).to_have_count(1)
    cid = page.evaluate("JSON.parse(sessionStorage.getItem('nachtlicht.chat')).cid")
    fake.api.counsellor_says(cid, "Hoi, ik ben Sanne van Helpwanted. Ik lees even mee. Hoe gaat het nu met je?")
    msg = page.locator(".msg--counsellor")
    expect(msg).to_have_count(1)  # arrives by polling
    expect(msg.locator(".msg__label")).to_contain_text("Hulpverlener")
    expect(msg.locator(".bubble")).to_contain_text("Sanne")
    expect(page.locator("#who")).to_contain_text("hulpverlener")
    bg_bot = page.eval_on_selector(".msg--bot .bubble", "e => getComputedStyle(e).backgroundColor")
    bg_human = page.eval_on_selector(".msg--counsellor .bubble", "e => getComputedStyle(e).backgroundColor")
    assert bg_bot != bg_human
    send(page, "oke dankje")
    expect(page.locator(".msg--user")).to_have_count(2)
    expect(page.locator("#typing")).to_be_hidden()  # a human answers when they can
    page.wait_for_timeout(3500)  # a poll returns our own message ...
    expect(page.locator(".msg--user")).to_have_count(2)  # ... which is not shown twice
    shot(page, "page-counsellor")


def test_quick_exit_leaves_nothing_behind(new_context, fake, external):
    ctx = new_context()
    page = ctx.new_page()
    page.goto(START_URL)
    page.goto(fake.url + "/")
    send(page, "hoi")
    expect(page.locator(".msg--bot")).to_have_count(1)
    entries = page.evaluate("history.length")
    page.click("#quick-exit")
    page.wait_for_url(QUICK_EXIT_URL)
    expect(page.locator("h1")).to_have_text("Het weer vandaag")
    assert page.evaluate("history.length") == entries  # the chat's entry was replaced
    page.go_back()
    page.wait_for_url(START_URL)
    page.go_forward()
    page.wait_for_url(QUICK_EXIT_URL)
    # The session is gone too: opening the chat again starts empty.
    page.goto(fake.url + "/")
    expect(page.locator("#message")).to_be_visible()
    assert page.evaluate("sessionStorage.length") == 0
    expect(page.locator("#messages .msg")).to_have_count(0)
    expect(page.locator("#code-line")).to_be_hidden()


def test_escape_three_times_is_a_quick_exit(new_context, fake):
    page = new_context().new_page()
    page.goto(fake.url + "/")
    send(page, "hoi")
    expect(page.locator(".msg--bot")).to_have_count(1)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert page.url.startswith(fake.url)  # twice is not enough
    page.keyboard.press("Escape")
    page.wait_for_url(QUICK_EXIT_URL)


def test_layout_at_360px(open_chat, fake):
    page = open_chat()
    send(page, "hoi")
    expect(page.locator(".msg--bot")).to_have_count(1)
    send(page, "iemand dreigt mijn naaktfoto te delen als ik niet betaal, ze willen 200 euro via tikkie")
    expect(page.locator(".choices .chip")).to_have_count(2)
    shot(page, "page-360-conversation")

    check_mobile_layout(page)


def test_keyboard_use(open_chat, fake):
    page = open_chat()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-exit"
    page.focus("#message")
    page.keyboard.type("hoi")
    page.keyboard.press("Enter")  # Enter sends, Shift+Enter = new line
    expect(page.locator(".msg--bot")).to_have_count(1)
    page.keyboard.type("regel 1")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("regel 2")
    expect(page.locator("#message")).to_have_value("regel 1\nregel 2")
    for el in page.query_selector_all("button, a[href], textarea, input"):
        name = el.evaluate("e => e.getAttribute('aria-label') || e.labels?.[0]?.textContent || e.textContent")
        assert name and name.strip(), el.evaluate("e => e.outerHTML")
