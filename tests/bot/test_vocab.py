"""Trainer-owned vocabularies (data/vocab/), the one money module, and trainer files that can
never take the bot down (issue 18)."""

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from actions.texts import parse_responses
from bot.cases.summary import display_value
from bot.language import trainer_files
from bot.language.money import find_amounts, has_money_marker, money_spans, normalise_amount
from bot.language.safety_phrases import SafetyNet
from bot.language.text_facts import canonical_platform, find_platform, platform_name
from bot.language.trainer_files import TrainerFileError, load_or_last_good
from bot.language.vocab import VocabError, money_words, parse_money, parse_platforms, platforms

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_script", ROOT / "scripts" / "check.py")
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)


# --- money: one vocabulary -------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, euros",
    [
        ("300 ruggen", 300_000),
        ("3 ruggen", 3000),
        ("een rug", 1000),
        ("twee ruggen", 2000),
        ("5 mille", 5000),
        ("twee duizend vijfhonderd", 2500),
        ("50 ballen", 50),
        ("300eu", 300),
    ],
)
def test_money_words_are_read_as_euros(text, euros):
    assert normalise_amount(text) == euros


def test_300_ruggen_in_a_sentence_is_one_amount_of_300000_euro():
    text = "hij wil 300 ruggen anders gaat alles naar mn ouders"
    assert [text[a:b] for a, b in money_spans(text)] == ["300 ruggen"]
    assert [value for _, value, _ in find_amounts(text)] == [300_000]
    assert has_money_marker("300 ruggen") and not has_money_marker("300")


def test_every_money_word_of_the_nlu_regex_is_known_to_the_code():
    regex = yaml.safe_load((ROOT / "data" / "nlu" / "regex.yml").read_text(encoding="utf-8"))
    assert check.money_regex_problems(regex, money_words()) == []


def test_the_regex_tie_fails_on_drift():
    regex = yaml.safe_load((ROOT / "data" / "nlu" / "regex.yml").read_text(encoding="utf-8"))
    for item in regex["nlu"]:
        item["examples"] = item["examples"].replace("|ballen|", "|ballen|flappen|")
    problems = " ".join(check.money_regex_problems(regex, money_words()))
    assert "flappen" in problems and "ballen" not in problems


# --- platforms: one table --------------------------------------------------------------------
@pytest.mark.parametrize(
    "key, name",
    [
        ("minecraft", "Minecraft"),
        ("kik", "Kik"),
        ("twitch", "Twitch"),
        ("steam", "Steam"),
        ("reddit", "Reddit"),
        ("skype", "Skype"),
        ("hinge", "Hinge"),
        ("bumble", "Bumble"),
        ("badoo", "Badoo"),
        ("wink", "Wink"),
        ("email", "e-mail"),
        ("sms", "sms"),
        ("twitter", "X (Twitter)"),
    ],
)
def test_every_platform_has_its_display_name_in_the_counsellor_summary(key, name):
    facts = {"platform": key}
    assert display_value("platform", facts) == name
    assert platform_name(key) == name


def test_all_platforms_have_a_name_and_tips_or_the_general_tips():
    table = platforms()
    assert len(table) >= 40
    for p in table.values():
        assert p.name and (p.tips is None or "Bewijs" in p.tips), p.key
        assert canonical_platform(p.name) == p.key or canonical_platform(p.key) == p.key


def test_nicknames_from_the_vocabulary_are_found_and_ordinary_words_are_not():
    assert find_platform("hij zat op tiktik en toen") == "tiktok"  # a typo from the vocabulary
    assert find_platform("via mail kreeg ik het") == "email"
    assert find_platform("ik snap er niks van") is None


def test_platform_file_mistakes_say_where_and_what(tmp_path):
    path = tmp_path / "platforms.yml"
    path.write_text("platforms:\n  insta:\n    name: Instagram\n    aliases: [insta]\n", encoding="utf-8")
    with pytest.raises(VocabError, match=r"platforms.yml:2: insta: 'tips' ontbreekt"):
        parse_platforms(path)
    path.write_text(
        "platforms:\n  a:\n    name: A\n    aliases: [x]\n    tips: generic\n"
        "  b:\n    name: B\n    aliases: [x]\n    tips: generic\n",
        encoding="utf-8",
    )
    with pytest.raises(VocabError, match="'x' staat bij a én bij b"):
        parse_platforms(path)
    path.write_text("platforms:\n  a:\n    name: A\n    part_of: zz\n    tips: generic\n", encoding="utf-8")
    with pytest.raises(VocabError, match="a: part_of 'zz' is geen ander platform"):
        parse_platforms(path)


def test_money_file_mistakes_say_where_and_what(tmp_path):
    path = tmp_path / "money.yml"
    path.write_text(
        "currency_words: [euro]\nmoney_multipliers:\n  rug: duizend\nnumber_multipliers: {k: 1000}\n", encoding="utf-8"
    )
    with pytest.raises(VocabError, match=r"money.yml:3: .*'rug' moet een getal"):
        parse_money(path)


# --- trainer files never take the bot down ---------------------------------------------------
@pytest.mark.parametrize(
    "line, where",
    [
        ("  - 'k wil er niet meer zijn\n", ":3"),  # YAML breaks on the apostrophe
        ("  - ik wil: dood\n", ":3"),  # ": " makes a mapping, never a phrase
    ],
)
def test_a_broken_safety_phrase_is_refused_with_its_line(tmp_path, line, where):
    path = tmp_path / "suicidal_phrases.yml"
    path.write_text("phrases:\n  - wil niet meer leven\n" + line, encoding="utf-8")
    with pytest.raises(TrainerFileError) as info:
        SafetyNet.from_file(path)
    assert where in str(info.value) and "aanhalingstekens" in str(info.value)


def test_a_broken_file_falls_back_to_the_last_good_version(tmp_path, caplog):
    path, keep = tmp_path / "suicidal_phrases.yml", tmp_path / "last_good"
    path.write_text("phrases:\n  - wil niet meer leven\n", encoding="utf-8")
    assert load_or_last_good(path, SafetyNet.from_file, keep).match("ik wil niet meer leven")
    path.write_text("phrases:\n  - wil niet meer leven\n  - 'k wil er niet meer zijn\n", encoding="utf-8")
    net = load_or_last_good(path, SafetyNet.from_file, keep)
    assert net.match("ik wil niet meer leven")
    assert "is refused" in caplog.text and "make check" in caplog.text
    with pytest.raises(TrainerFileError):  # never a good version: the caller hears it (at start-up)
        load_or_last_good(path, SafetyNet.from_file, tmp_path / "empty")


def test_the_safety_net_component_loads_with_a_broken_phrase_file(tmp_path, monkeypatch):
    from bot.nlu.safety_net import SuicideSafetyNet

    monkeypatch.setattr(trainer_files, "LAST_GOOD_DIR", tmp_path / "last_good")
    path = tmp_path / "phrases.yml"
    path.write_text("phrases:\n  - wil niet meer leven\n", encoding="utf-8")
    config = dict(SuicideSafetyNet.get_default_config(), phrases_file=str(path))
    SuicideSafetyNet(config)
    path.write_text("phrases:\n  - wil niet meer leven\n  - 'k wil er niet meer zijn\n", encoding="utf-8")
    component = SuicideSafetyNet(config)  # the model still loads
    assert component.net.match("ik wil niet meer leven")


def test_an_unescaped_quote_in_a_text_is_refused_with_its_line(tmp_path):
    path = tmp_path / "responses.yml"
    path.write_text('greet:\n  - "Hoi, ik ben "Nachtlicht"."\n', encoding="utf-8")
    with pytest.raises(TrainerFileError, match=r"responses.yml:2"):
        parse_responses(path)


# --- make check ------------------------------------------------------------------------------
def _nlu(examples):
    text = "nlu:\n- intent: report_blackmail\n  examples: |\n" + "".join(f"    - {e}\n" for e in examples)
    return {
        ROOT / "domain.yml": (yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8")), ""),
        ROOT / "data" / "nlu" / "x.yml": (yaml.safe_load(text), text),
    }


def test_check_finds_a_misspelled_entity_and_an_unreadable_amount(capsys):
    report = check.Report()
    check.check_nlu(
        report,
        _nlu(["hij zit op [insta](platfrom)", "hij wil [een paar honderd](amount)", "hij wil [300 ruggen](amount)"]),
    )
    messages = [m for _, _, m in report.problems]
    assert len(messages) == 2
    assert "'platfrom'" in messages[0] and "Bedoel je 'platform'?" in messages[0]
    assert "een paar honderd" in messages[1]
    assert "FOUT data/nlu/x.yml:4:" in capsys.readouterr().out


def test_check_finds_an_example_line_without_a_dash(capsys):
    report = check.Report()
    parsed = _nlu(["hij wil geld"])
    path = ROOT / "data" / "nlu" / "x.yml"
    data, text = parsed[path]
    text = text + "    en anders zet hij het online\n"
    parsed[path] = (yaml.safe_load(text), text)
    check.check_nlu(report, parsed)
    assert [m for _, _, m in report.problems] == [
        "report_blackmail: 'en anders zet hij het online' begint niet met '- ': Rasa slaat die regel over. "
        "Zet elk voorbeeld op een eigen regel die begint met '- '"
    ]


def test_check_ties_the_suicidal_training_examples_to_the_safety_net(capsys):
    """make check: what the model learns as suicidal the net catches; nothing else sets the net off."""
    from bot.language.safety_phrases import SafetyNet

    text = (
        "nlu:\n- intent: express_suicidal\n  examples: |\n    - ik wil er niet meer zijn\n"
        "    - ik ga mn spullen ordenen en dan is het klaar\n"
        "- intent: out_of_scope\n  examples: |\n    - mn tel is dood\n    - ik wil dood van [insta](platform)\n"
    )
    parsed = {ROOT / "data" / "nlu" / "x.yml": (yaml.safe_load(text), text)}
    report = check.Report()
    check.check_safety_examples(report, parsed, SafetyNet.from_file())
    problems = [(line, m) for _, line, m in report.problems]
    assert len(problems) == 2, problems
    assert problems[0][0] == 5 and "niet gevangen door het vangnet" in problems[0][1]
    assert problems[1][0] == 9 and problems[1][1].startswith("out_of_scope: 'ik wil dood van insta' zet het vangnet")


def test_check_passes_on_the_project_and_ends_with_one_dutch_line(capsys):
    assert check.main(["--files-only"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("OK: ")


def test_check_finds_a_synonym_the_code_does_not_know(capsys):
    text = (
        "nlu:\n- synonym: instagram\n  examples: |\n    - instaa\n"
        "- synonym: giftkaart\n  examples: |\n    - cadeaubon\n"
    )
    parsed = {
        ROOT / "data" / "nlu" / "entities.yml": (yaml.safe_load(text), text),
        ROOT / "data" / "nlu" / "regex.yml": (
            yaml.safe_load((ROOT / "data" / "nlu" / "regex.yml").read_text(encoding="utf-8")),
            "",
        ),
    }
    report = check.Report()
    check.check_vocab_ties(report, parsed, platforms(), money_words())
    messages = [m for _, _, m in report.problems]
    assert any("'instaa'" in m and "aliases" in m for m in messages)
    assert any("'giftkaart' is geen bekende waarde" in m for m in messages)
    assert len(messages) == 2


# --- the web texts, the helpline facts and the 113 message (issue 18: never down, FOUT with line) ----
def _web_without(section: str, key: str) -> str:
    from bot import web_texts as webtexts

    data = yaml.safe_load(webtexts.WEB_FILE.read_text(encoding="utf-8"))
    del data[section][key]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.mark.parametrize("section,key", [("system", "take_over"), ("chat", "no_answer"), ("page", "unavailable")])
def test_a_web_text_file_without_a_text_the_code_uses_is_refused(tmp_path, section, key):
    from bot import web_texts as webtexts

    path = tmp_path / "web.yml"
    path.write_text(_web_without(section, key), encoding="utf-8")
    with pytest.raises(TrainerFileError, match=rf"web.yml:\d+: in het blok '{section}:' ontbreekt '{key}:'"):
        webtexts.parse(path)
    # and the running app keeps the last good version instead of a KeyError at import
    keep = tmp_path / "last_good"
    good = tmp_path / "good.yml"
    good.write_text(webtexts.WEB_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    load_or_last_good(good, webtexts.parse, keep)
    path.rename(good)
    assert key in load_or_last_good(good, webtexts.parse, keep)[section]


def test_the_web_texts_the_code_reads_are_the_required_ones():
    """REQUIRED in bot/web_texts.py is the list of keys the code reads: every literal key in the
    Python code and chat.js is in it, so a file that passes can never raise a KeyError."""
    from bot import web_texts as webtexts

    used = {"page": set(re.findall(r"TEXT\.([a-z_]+)", (ROOT / "bot/web/chat/static/chat.js").read_text()))}
    used["page"] |= {f"label_{who}" for who in ("bot", "counsellor", "user", "system")}  # TEXT["label_" + sender]
    used["page"].add("typing_bot")  # chat.html
    sources = {
        "chat": [("bot/web/chat/api.py", "MESSAGES"), ("bot/web/chat/delivery.py", "MESSAGES")],
        "system": [("bot/cases/service.py", "_SYSTEM")],
        "delivery_notes": [
            ("bot/web/rasa_client.py", "DELIVERY_NOTES"),
            ("bot/web/chat/delivery.py", "DELIVERY_NOTES"),
        ],
    }
    for section, files in sources.items():
        used[section] = set()
        for name, table in files:
            used[section] |= set(re.findall(rf'{table}\["([a-z_]+)"\]', (ROOT / name).read_text()))
        assert used[section], section
    used["console"] = set(
        re.findall(
            r'"([a-z_]+)"\)',
            "".join(
                line
                for line in (ROOT / "bot/web/console/web.py").read_text().splitlines(True)
                if "_action(request" in line
            ),
        )
    ) | set(re.findall(r"msg=([a-z_]+)", (ROOT / "bot/web/console/web.py").read_text()))
    for section, keys in used.items():
        assert keys <= webtexts.REQUIRED[section], (section, keys - webtexts.REQUIRED[section])
    assert webtexts.parse(webtexts.WEB_FILE)  # the project's own file has them all


def test_a_helpline_file_without_a_number_of_the_113_line_is_refused(tmp_path):
    from bot import helplines

    path = tmp_path / "helplines.yml"
    text = helplines.HELPLINES_FILE.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^  short: \"113\"\n", "", text), encoding="utf-8")
    with pytest.raises(TrainerFileError, match=r"'short:' bij 'zmp:' ontbreekt"):
        helplines.parse(path)
    assert helplines.parse(helplines.HELPLINES_FILE)["zmp"]["short"] == "113"


def test_every_variant_of_the_113_message_must_name_113_and_112(tmp_path):
    from bot.language.safety_phrases import DOMAIN_FILE, read_safety_message

    path = tmp_path / "domain.yml"
    path.write_text(
        'responses:\n  utter_safety:\n    - text: "Bel 113 of 112."\n    - text: "Praat met iemand."\n',
        encoding="utf-8",
    )
    with pytest.raises(TrainerFileError, match="113 en 112"):
        read_safety_message(path)
    assert "113" in read_safety_message(DOMAIN_FILE)


def test_check_finds_an_unknown_placeholder_and_a_payment_word_nobody_reads(capsys, tmp_path, monkeypatch):
    report = check.Report()
    responses = tmp_path / "responses.yml"
    responses.write_text('x:\n  - "Bel {zmp_phon} of chat via {zmp_site}."\n', encoding="utf-8")
    monkeypatch.setattr(check, "TOPICS_FILE", responses)
    check.check_placeholders(report)
    assert [m for _, _, m in report.problems if "{zmp_phon}" in m] and not [
        m for _, _, m in report.problems if "{zmp_site}" in m
    ]
    text = "nlu:\n- lookup: payment_method\n  examples: |\n    - tikkie\n    - revolut\n"
    report = check.Report()
    check.check_payment_lookup(report, {ROOT / "data" / "nlu" / "entities.yml": (yaml.safe_load(text), text)})
    assert len(report.problems) == 1 and "'revolut'" in report.problems[0][2]


def test_every_money_word_routes_a_report_to_the_payment_demand():
    """data/safety/report_phrases.yml's money patterns know every money word of money.yml (make check)."""
    assert check.report_net_money_problems(parse_money()) is None
    few = parse_money()
    more = type(few)(
        few.currency_words + ("flappen",), few.whole_answer_only, few.money_multipliers, few.number_multipliers
    )
    assert "flappen" in check.report_net_money_problems(more)


@pytest.mark.parametrize(
    "text,age",
    [
        ("ik ben 16", 16),
        ("ik ben 50 ballen kwijt", None),
        ("ik ben 16 en hij wil 20 euro", 16),
        ("mijn zoon van 13", 13),
    ],
)
def test_a_number_before_a_money_word_of_the_vocabulary_is_no_age(text, age):
    from bot.language.text_facts import age_in_text

    assert age_in_text(text) == age


def test_make_check_skips_the_model_only_while_nothing_the_sentences_depend_on_changed(tmp_path, monkeypatch):
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"model one")
    monkeypatch.setattr(check, "PASSED_FILE", tmp_path / "passed")
    runs = []

    def parse(report, model, cases, text):
        runs.append(1)
        return len(cases)

    monkeypatch.setattr(check, "_parse_must_understand", parse)
    assert check.check_must_understand(check.Report(), model) > 0 and len(runs) == 1
    assert check.check_must_understand(check.Report(), model) > 0 and len(runs) == 1  # passed before: skipped
    model.write_bytes(b"model two")  # a new model: the sentences run again
    check.check_must_understand(check.Report(), model)
    assert len(runs) == 2


def test_a_failed_sentence_run_is_not_remembered_as_passed(tmp_path, monkeypatch):
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"model")
    monkeypatch.setattr(check, "PASSED_FILE", tmp_path / "passed")

    def parse(report, model, cases, text):
        report.add(check.MUST_FILE, 1, "niet begrepen")
        return len(cases)

    monkeypatch.setattr(check, "_parse_must_understand", parse)
    check.check_must_understand(check.Report(), model)
    assert not (tmp_path / "passed").exists()
