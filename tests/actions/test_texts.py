"""The texts: complete, Dutch contact details right, and the advice rules of helpline-facts.md."""

import re
from pathlib import Path

import yaml
from tests_paths import ROOT

from actions import texts
from bot import helplines
from bot.language.text_facts import platform_tips_text


def all_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from all_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from all_strings(v)


def every_text():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return list(all_strings(texts.texts())) + list(all_strings(domain["responses"]))


def test_never_advise_to_pay_and_never_ask_why():
    for text in every_text():
        low = text.lower()
        assert "waarom heb je" not in low and "waarom stuurde" not in low, text
        assert not re.search(r"\b(betaal maar|je kunt beter betalen|betaal gewoon)\b", low), text


def every_person_text():
    """Everything a person can read: Rasa's texts and the web app's own notices (bot/web/chat/texts.py)."""
    from bot.web_texts import section

    web = [t for name in ("chat", "system", "page") for t in section(name).values()]
    return every_text() + web


# Advice that destroys evidence or makes a copy of the image (issue 14). One lint over every
# text, so no path can give it: a new text with such advice fails here, wherever it is used.
EVIDENCE_LOSS = [
    (r"(?<!níet ')(?<!niet ')(?<!geen ')opslaan in chat", "Snapchat's 'Opslaan in chat' also saves the image itself"),
    (
        r"(kun|kan|mag) je (daarna |dan )?(de |je |het )?(match|chat|gesprek|account)\w* (verwijderen|wissen)",
        "deleting the match, chat or account destroys the evidence",
    ),
    # "Verwijder het account ... en de chat niet" is fine; "verwijder de chat zodat ... niet" is not
    (
        r"\bverwijder (de|je|het|jullie) (match|chat|gesprek|account|berichten)\b(?!(?:(?!zodat|omdat|want)[^.:])*\bniet\b)",
        "deleting the match, chat or account destroys the evidence",
    ),
    (
        r"(?<!géén )(?<!geen )screenshot\w* van (de|je|het|die) (naakt\w*|foto|video|filmpje|beelden?)\b",
        "a screenshot of the image is a copy of it (illegal when the person is under 18)",
    ),
    (
        r"\b(stuur|bewaar) (de|je|het|die) (naakt\w*|foto|video|filmpje|beelden?) (door|op)\b",
        "forwarding or keeping the image",
    ),
    (r"betalen (kan|zal) (helpen|werken)|het beste (is|kun je) (te )?betalen", "never suggest that paying helps"),
]


def test_no_text_gives_advice_that_destroys_evidence_or_copies_the_image():
    for text in every_person_text():
        low = text.lower()
        for pattern, why in EVIDENCE_LOSS:
            assert not re.search(pattern, low), f"{why}: {text}"


def test_the_evidence_lint_catches_what_it_is_for():
    bad = [
        "Melden: kies 'Rapporteer'. Daarna kun je de match verwijderen.",
        "Houd een bericht ingedrukt en kies 'Opslaan in chat'.",
        "Maak een screenshot van de naaktfoto voor de politie.",
        "Verwijder de chat zodat je er niet meer aan denkt.",
    ]
    for text in bad:
        assert any(re.search(p, text.lower()) for p, _ in EVIDENCE_LOSS), text
    good = [
        "Verwijder de chat niet: dat is bewijs.",
        "Maak géén screenshot van de foto zelf.",
        "Kies níet 'Opslaan in chat': dan bewaar je ook de foto.",
    ]
    for text in good:
        assert not any(re.search(p, text.lower()) for p, _ in EVIDENCE_LOSS), text


# Wordings that read as "paying was fine" or "reply late" (issue 14 findings).
MISLEADING = [
    r"betaald hebt, is niet erg",
    r"niet op tijd te reageren",
    r"kan je gesprek .{0,30}lezen",
    r"seksuele handelingen voor de webcam",
]


def test_no_text_says_paying_was_fine_or_to_reply_late():
    from bot.cases.summary import DEMAND

    for text in filled_texts() + list(DEMAND.values()):
        for pattern in MISLEADING:
            assert not re.search(pattern, text), text


def test_no_formal_u_in_texts_for_the_person():
    for text in every_person_text():
        assert not re.search(r"\b(u|uw)\b", text.lower()), text


def page_texts():
    """The chat page and its script: numbers there must be the facts too."""
    chat = ROOT / "bot" / "web" / "chat"
    return [
        (chat / "templates" / "chat.html").read_text(encoding="utf-8"),
        (chat / "static" / "chat.js").read_text(encoding="utf-8"),
    ]


PHONE = re.compile(r"\b0\d{2,3}-\d{4,7}\b")
ADDRESS = re.compile(r"\b[\w.-]+@[\w-]+\.nl\b|\b[\w-]+(?:\.[\w-]+)*\.(?:nl|org|com)\b")


def filled_texts():
    """Every person text with the helpline facts filled in (as the person reads it)."""
    return [texts.fill(t) for t in every_person_text()]


def test_numbers_and_addresses_are_the_ones_in_helpline_facts():
    """One source: any phone number, e-mail address or site in any text is in texts/helplines.yml."""
    numbers, addresses = helplines.numbers(), helplines.addresses()
    joined = "\n".join(filled_texts())
    for number in PHONE.findall(joined + "\n".join(page_texts())):
        assert number in numbers, number
    for address in ADDRESS.findall(joined):
        assert address in addresses or address.lower() in addresses, address
    for needed in ("info@helpwanted.nl", "113.nl", "112", "0800-0188", "0800-0432", "0800-0113"):
        assert needed in joined, needed


def test_the_catalogue_never_writes_a_helpline_fact_itself():
    """actions/responses.yml uses {placeholders}: a number changed in helplines.yml changes everywhere."""
    raw = texts.RESPONSES_FILE.read_text(encoding="utf-8")
    body = "\n".join(line for line in raw.splitlines() if not line.lstrip().startswith("#"))
    assert not PHONE.findall(body)
    assert not [a for a in ADDRESS.findall(body) if a in helplines.addresses()]


def test_every_placeholder_is_known():
    for text in every_text():
        assert not helplines.unknown_placeholders(text), f"unknown placeholder in: {text}"


def test_113_is_never_said_to_cost_money():
    """'bel 113 of gratis 0800-0113' suggests 113 costs money: both are free."""
    for text in filled_texts():
        assert "of gratis 0800-0113" not in text and "(gratis: 0800-0113)" not in text, text


def test_helpwanteds_phone_comes_with_its_opening_hours():
    """At night a number without hours is a dead end: the phone is only named with its hours."""
    for text in every_text():
        filled = texts.fill(text)
        if "020-2615275" in filled:
            assert texts.fill("{helpwanted_hours}") in filled, text


WORDS_PER_BUBBLE = 80


def test_no_bubble_over_80_words():
    """A phone screen: no single message over ~80 words (issue 14)."""
    long = [f"{len(t.split())} words: {t[:60]}" for t in filled_texts() if len(t.split()) > WORDS_PER_BUBBLE]
    assert not long, long


ENGLISH = re.compile(
    r"\b(please|nudes?|pics?|leak\w*|report(ed|ing)?|blocked|scam\w*|sorry not|"
    r"don'?t|okay|help ?line|stay safe)\b"
)


def test_no_english_words_in_bot_texts():
    for text in filled_texts():
        assert not ENGLISH.search(text.lower()), text


# Texts written for the victim that must not reach someone writing for another person.
VICTIM_ONLY = re.compile(
    r"\bjouw schuld\b|\bniet bij jou\b|\bje (eigen )?naakt|\bjouw beelden\b|"
    r"\bdenk je aan zelf|\bje bent jonger\b"
)
ON_BEHALF_KEYS = [
    "ack_paid",
    "ack_spread",
    "ack_on_behalf",
    "parent_advice",
    "deepfake",
    "deepfake_made",
    "deadline",
    "script_short",
    "script_short_paid",
    "script_short_images",
    "script_short_meeting",
    "csg_support",
    "paid_later",
    "spread_hope",
    "deadline_in_form",
    "demand_images_later",
    "demand_meeting_later",
    "ask_demand_type",
    "ask_amount_demanded",
    "ask_paid",
    "ask_amount_paid",
    "ask_age_group",
]


def test_people_writing_for_someone_else_get_texts_for_them():
    for role in (None, "parent", "professional", "peer"):
        slots = {"writer": "on_behalf", "writer_role": role}
        for key in ON_BEHALF_KEYS:
            for variant in texts.variants(key, slots):
                assert not VICTIM_ONLY.search(variant["text"]), (key, role, variant["text"])


def test_advice_per_writer_role():
    parent = texts.text("parent_advice", {"writer": "on_behalf", "writer_role": "parent"})
    peer = texts.text("parent_advice", {"writer": "on_behalf", "writer_role": "peer"})
    pro = texts.text("parent_advice", {"writer": "on_behalf", "writer_role": "professional"})
    assert "ouder" in parent and "straf niet" in parent.lower()
    assert "ouder" not in peer.split(".")[0] and "Stuur niets door" in peer and "volwassene" in peer
    assert "zonder de jongere" in pro and "protocol" in pro


def test_conditional_variants():
    assert "Take It Down" in texts.text("removal", {"age_group": "under_18"})
    assert "StopNCII" in texts.text("removal", {"age_group": "adult"})
    assert "afperser" in texts.text("ask_amount_demanded", {"writer": "on_behalf"})
    assert "{" not in texts.text("counsellors_offline", {}, next_opening="x", next_opening_cap="X")


def test_platform_tips_cover_the_required_platforms_with_evidence_first():
    for platform in ["instagram", "snapchat", "tiktok", "discord", "whatsapp", "telegram"]:
        tips = platform_tips_text(platform)
        assert tips.index("Bewijs") < tips.index("Blokkeren" if "Blokkeren:" in tips else "blokkeren"), platform
        assert "Melden" in tips or "Rapporteren" in tips


def test_every_variant_keeps_the_key_message():
    must = {
        "script_short": ["niet", "bewijs", "zonder de naaktfoto", "blokke", "niet"],
        "script_short_paid": ["niets meer", "zonder de naaktfoto", "blokke"],
        "script_short_images": ["niets meer", "zonder de naaktfoto", "blokke"],
        "script_short_meeting": ["niet afspr", "{emergency_phone}", "zonder de naaktfoto", "blokke"],
        "csg_support": ["{csg_phone}", "dag en nacht"],
        "answer_evidence": ["screenshot", "níet"],
        "answer_should_pay": ["niet betal", "betaal niet"],
        "answer_police": ["{police_phone}"],
        "ack_victim": ["niet jouw schuld", "niet bij jou"],
        "deadline": ["deadline"],
    }
    for key, fragments in must.items():
        for variant in texts.variants(key) + [v for v in map(dict, [x for x in texts.raw(key) if isinstance(x, dict)])]:
            low = variant["text"].lower()
            if key == "answer_evidence":
                assert "screenshot" in low and ("níet" in low or "géén" in low), variant
            elif key == "script_short_meeting":
                assert "{emergency_phone}" in low and "zonder de naaktfoto" in low, variant
            elif key in ("answer_should_pay", "ack_victim"):
                assert any(f in low for f in fragments), variant
            else:
                assert all(f.lower() in low for f in fragments), variant


def test_every_text_is_used_and_every_used_text_exists():
    import pathlib

    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "actions").glob("*.py"))
    dynamic = {
        f"ask_{slot}"
        for slot in [
            "writer",
            "demand_type",
            "amount_demanded",
            "paid",
            "amount_paid",
            "platform",
            "deadline",
            "material_spread",
            "age_group",
        ]
    }
    from bot.language.question_topics import SAD_EMOJI_TOPIC, topics

    dynamic |= {f"topic_{name}" for name, _patterns in topics()}  # answer_topic: f"topic_{topic}"
    dynamic.add(f"topic_{SAD_EMOJI_TOPIC}")  # the one topic found without a pattern of the file
    for key in texts.texts():
        used = f'"{key}"' in code or (key.startswith("handoff_") and f'"{key[8:]}"' in code)
        assert key in dynamic or used, f"unused text {key}"
    for key in re.findall(r'(?:say|text|raw|entry|variants)\(\s*(?:dispatcher,\s*)?"([a-z_0-9]+)"', code):
        assert key in texts.texts(), f"missing text {key}"
    assert pathlib.Path(texts.RESPONSES_FILE).exists()


def test_the_most_specific_text_variant_wins():
    """{safety_recent, writer: on_behalf} before {safety_recent}: a parent is not asked "Ben je nu op
    een veilige plek?" about themselves (session 12)."""
    parent = texts.variants("anything_else", {"safety_recent": True, "writer": "on_behalf"})
    victim = texts.variants("anything_else", {"safety_recent": True, "writer": "victim"})
    assert parent and all("hem of haar" in v["text"] for v in parent)
    assert victim and all("veilige plek" in v["text"] for v in victim)


def test_a_writers_text_never_hides_the_advice_of_another_condition():
    """A writer's variant ({writer: on_behalf}) outranks a variant of the same size on another slot
    ({demand_type: webcam}), so without a variant for both, a grandmother whose grandson must go on
    camera got the plain deadline text without "niet videobellen", and a mentor whose pupil was asked
    for pictures got the police text with "betaalgegevens" (session 36). Every condition that sits
    beside a writer's variant in one text has a variant for the pair."""
    missing = []
    for key in texts.texts():
        if not isinstance(texts.raw(key), list):
            continue
        whens = [v["when"] for v in texts.all_variants(key) if v.get("when")]
        writers = [w for w in whens if set(w) == {"writer"}]
        for when in whens:
            if "writer" in when:
                continue
            for writer in writers:
                if {**when, **writer} not in whens:
                    missing.append((key, {**when, **writer}))
    assert not missing, missing
    # and the pair is what the selection picks
    grandma = texts.variants("deadline", {"writer": "on_behalf", "demand_type": "webcam"})
    assert grandma and all("videobellen" in v["text"] for v in grandma)
    mentor = texts.variants("answer_police", {"writer": "on_behalf", "demand_type": "more_images"})
    assert mentor and all("betaal" not in v["text"] for v in mentor)
    parent = texts.variants("answer_police", {"writer": "on_behalf", "demand_type": "money"})
    assert parent and all("betaalgegevens" in v["text"] for v in parent)


def test_the_safe_now_question_is_asked_once():
    """Once the person answered "Ben je nu op een veilige plek?" (safe_answered), no text asks it
    again, in any variant of any key, for victims and parents alike: "ja ik ben thuis op mn kamer"
    got the question again (issue 15). Every text that asks it uses the exact words, so the choke
    point in texts.variants can leave it out; domain.yml's variant is conditioned on the slot."""
    all_texts = [
        v.get("text", "") for key in texts.texts() if isinstance(texts.raw(key), list) for v in texts.all_variants(key)
    ]
    asking = [x for x in all_texts if "veilige plek" in x]
    assert asking and all(texts.SAFE_NOW_QUESTION in x for x in asking)
    for key in texts.texts():
        if not isinstance(texts.raw(key), list):
            continue
        for writer in (None, "victim", "on_behalf"):
            for recent in (True, False):
                slots = {"safety_recent": recent, "writer": writer, "safe_answered": True}
                for v in texts.variants(key, slots):
                    text = v.get("text", "")
                    assert "veilige plek" not in text, (key, slots)
                    assert "  " not in text and text.strip() == text
    before = texts.variants("anything_else", {"safety_recent": True, "safe_answered": False})
    assert before and all(texts.SAFE_NOW_QUESTION in v["text"] for v in before)
    domain = yaml.safe_load(Path("domain.yml").read_text(encoding="utf-8"))
    for name, variants in domain["responses"].items():
        for v in variants:
            if "veilige plek" in v.get("text", ""):
                assert {"type": "slot", "name": "safe_answered", "value": False} in (v.get("condition") or []), name


def test_invite_story_for_a_parent_is_the_parents_text_also_right_after_suicidal_words():
    """{writer: on_behalf} and {safety_recent} are equally specific; the writer decides (a parent
    was asked, at random, whether they themselves are safe)."""
    for _ in range(20):
        for v in texts.variants("invite_story", {"safety_recent": True, "writer": "on_behalf"}):
            assert "hem of haar" in v["text"] and "veilige plek" not in v["text"]


def test_a_parent_or_teacher_gets_comfort_about_the_young_person():
    """utter_distress had only the victim's texts ("je bent geschrokken"); a teacher writing "ze is
    bang dat iedereen het al weet" got them (session 12)."""
    domain = yaml.safe_load(Path("domain.yml").read_text(encoding="utf-8"))
    variants = domain["responses"]["utter_distress"]
    parent = [
        v for v in variants if {"type": "slot", "name": "writer", "value": "on_behalf"} in (v.get("condition") or [])
    ]
    assert len(parent) == 1 and "zijn of haar schuld" in parent[0]["text"]
    assert "113" not in parent[0]["text"]  # no crisis line at every worry (issue 15)


def test_thanks_after_a_crisis_names_113_again():
    """ "ok ik ga slapen denk ik. thx" after a suicidal disclosure got "Fijn dat ik kon helpen", with no
    word that 113 is there day and night (conversation suite h_nacht.yml, session 29)."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    variants = domain["responses"]["utter_thank"]
    after_crisis = [
        v for v in variants if {"type": "slot", "name": "suicide_risk", "value": True} in (v.get("condition") or [])
    ]
    assert after_crisis, "utter_thank needs a variant for suicide_risk"
    for v in after_crisis:
        assert "113.nl" in v["text"] and "0800-0113" in v["text"], v["text"]
    # every variant without a condition stays usable for anyone
    assert any(not v.get("condition") for v in variants)


def test_a_text_said_once_per_new_demand_has_two_wordings_for_every_writer():
    """The web app drops a verbatim repeat: a parent's second new demand ("de rest, 175 euro" after 250)
    got nothing, because the parent's variant was the only one (session 30, j_geld.yml)."""
    for key in ("demand_again_after_paying", "demand_raised"):
        for slots in ({}, {"writer": "on_behalf"}, {"writer": "victim"}):
            first = texts.text(key, slots)
            second = texts.pick(key, slots, avoid={texts.flat(first)})["text"]
            assert texts.flat(second) != texts.flat(first), (key, slots)


def test_every_comfort_text_says_it_is_not_their_fault():
    """Shame is why people write at night; the comfort variant chosen at random must never lack it
    (session 30: "mijn vrouw weet niet dat ik met mannen..." got the one variant without it)."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for variant in domain["responses"]["utter_distress"]:
        assert re.search(r"niet (jouw|zijn of haar) schuld", variant["text"], re.I), variant["text"]


def test_thinking_it_over_says_do_not_give_in_only_when_a_demand_is_known():
    assert "betaal niet" in texts.text("topic_think_it_over", {"demand_type": "money"}).lower()
    assert "spreek niet" in texts.text("topic_think_it_over", {"demand_type": "sex"}).lower()
    neutral = texts.text("topic_think_it_over", {}).lower()
    assert "betaal" not in neutral and "wat hij vraagt" not in neutral
