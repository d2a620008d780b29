"""The chat never repeats a bot message word for word (bot/web/chat/repeats.py, issue 15)."""

from bot.web.chat.repeats import without_repeats

TIPS = "Tips voor Instagram: maak screenshots en blokkeer daarna het account."
SAFETY = "Denk je aan zelfdoding? Chat via 113.nl of bel 113, gratis en altijd open."


def test_a_repeat_is_left_out_when_the_turn_has_something_new():
    out = without_repeats([("bot", TIPS, None), ("bot", "Dat is een nieuw antwoord voor jou.", None)], [TIPS])
    assert [t for _, t, _ in out] == ["Dat is een nieuw antwoord voor jou."]


def test_a_repeat_that_is_the_whole_answer_stays_reworded():
    first = without_repeats([("bot", TIPS, None)], [TIPS])
    assert len(first) == 1 and first[0][1] != TIPS and first[0][1].endswith(TIPS)
    second = without_repeats([("bot", TIPS, None)], [TIPS, first[0][1]])
    assert second[0][1] not in (TIPS, first[0][1])


def test_the_safety_line_is_never_left_out():
    out = without_repeats([("bot", SAFETY, None), ("bot", "Dat is een nieuw antwoord voor jou.", None)], [SAFETY])
    assert len(out) == 2 and "113" in out[0][1] and out[0][1] != SAFETY


def test_repeats_within_one_turn_and_short_messages():
    out = without_repeats([("bot", TIPS, None), ("bot", TIPS, None), ("bot", "Oké.", None)], ["Oké."])
    assert [t for _, t, _ in out] == [TIPS, "Oké."]
    assert without_repeats([], [TIPS]) == []
