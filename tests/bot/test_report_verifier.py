"""The report verifier (bot/nlu/report_verifier.py, docs/nlu.md session 24): what it learns from, what
it may take back, and that it takes back no labelled report."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.author_files import AUTHOR_FILES, author_examples, author_paths
from bot.nlu.report_verifier import ReportVerifier, make_verifier, training_examples

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))


def test_it_learns_from_the_author_folds_and_never_from_a_test_set():
    from cv_authors import FOLDS

    paths = {str(p.relative_to(ROOT)) for p in author_paths(AUTHOR_FILES)}
    assert paths == {f for fold in FOLDS for f in fold}  # one list of authors: the folds it was measured on
    assert not any("tests/nlu/blind/" in p or "tests/nlu/unread/" in p or p.endswith("test_set.yml") for p in paths)
    examples = author_examples(author_paths(AUTHOR_FILES))
    reports = sum(is_report for _, is_report in examples)
    assert reports > 1500 and len(examples) - reports > 1500


class Fixed:
    """A verifier that gives every text the same report probability."""

    def __init__(self, p: float):
        self.p = p

    def predict_proba(self, texts):
        return [[1 - self.p, self.p] for _ in texts]


def _message(text: str, intent: str, report_net: dict | None = None) -> Message:
    m = Message(data={TEXT: text})
    m.set(INTENT, {"name": intent, "confidence": 0.8})
    m.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.8}, {"name": "out_of_scope", "confidence": 0.1}])
    if report_net:
        m.set("report_net", report_net)
    return m


def _verifier(p: float) -> ReportVerifier:
    return ReportVerifier(ReportVerifier.get_default_config(), None, None, Fixed(p))


def test_an_unlikely_report_reading_becomes_out_of_scope_and_says_why():
    (m,) = _verifier(0.1).process([_message("is snapchat veilig voor pikante fotos", "report_blackmail")])
    assert m.get(INTENT)["name"] == "out_of_scope"
    assert m.get(INTENT_RANKING_KEY)[0]["name"] == "out_of_scope"
    assert [r["name"] for r in m.get(INTENT_RANKING_KEY)].count("out_of_scope") == 1
    assert m.get("report_verifier") == {"report_probability": 0.1, "model_intent": "report_blackmail"}
    (m,) = _verifier(0.3).process([_message("hij wil 200 euro anders stuurt hij alles door", "report_blackmail")])
    assert m.get(INTENT)["name"] == "report_blackmail" and m.get("report_verifier") is None


@pytest.mark.parametrize(
    "intent, net",
    [
        ("report_on_behalf", None),  # not checked: the report net's own gate guards it
        ("report_paid", None),  # not taught by the author files
        ("report_images_shared", None),
        ("ask_should_pay", None),  # not a report reading
        ("express_suicidal", None),
        ("nlu_fallback", None),
        ("report_blackmail", {"by": "threat", "model_intent": "out_of_scope"}),  # the net's, from clear wording
    ],
)
def test_it_takes_back_only_the_classifiers_own_report_readings(intent, net):
    (m,) = _verifier(0.0).process([_message("hij heeft mn fotos", intent, net)])
    assert m.get(INTENT)["name"] == intent


def test_a_report_reading_the_net_only_split_by_money_is_still_checked():
    net = {"by": "money", "model_intent": "report_blackmail"}
    (m,) = _verifier(0.0).process([_message("is dit gratis?", "report_payment_demand", net)])
    assert m.get(INTENT)["name"] == "out_of_scope"


def test_a_message_that_names_money_is_left_alone():
    (m,) = _verifier(0.0).process([_message("hij wil 80 ballen en dan verwijdert ie het", "report_payment_demand")])
    assert m.get(INTENT)["name"] == "report_payment_demand"


def test_without_a_trained_verifier_nothing_changes_and_commands_pass():
    config = ReportVerifier.get_default_config()
    (m,) = ReportVerifier(config, None, None, None).process([_message("x", "report_blackmail")])
    assert m.get(INTENT)["name"] == "report_blackmail"
    (m,) = _verifier(0.0).process([_message("/report_blackmail", "report_blackmail")])
    assert m.get(INTENT)["name"] == "report_blackmail"


def test_the_trained_verifier_takes_back_no_labelled_report():
    """Trained as in the pipeline (data/nlu and the author files), it gives every labelled payment or
    blackmail report of every set (training data, old test set, retired blind set, candidates,
    development sets) that names no money a report probability at or above the threshold (the other
    report intents are not checked). Never the blind set."""
    from rasa.shared.nlu.training_data.loading import load_data
    from test_report_net import _labelled_reports  # the same sets the report net's gate is held to

    texts, labels = training_examples(load_data(str(ROOT / "data" / "nlu")), AUTHOR_FILES)
    verifier = make_verifier().fit(texts, labels)
    threshold = ReportVerifier.get_default_config()["threshold"]
    from bot.language.money import says_money

    check = ReportVerifier.get_default_config()["check"]
    reports = [t for intent, t in _labelled_reports() if intent in check and not says_money(t)]
    assert len(reports) > 1000
    taken = [t for t, p in zip(reports, verifier.predict_proba(reports)[:, 1]) if p < threshold]
    assert not taken, taken[:10]


# ---- promotion of the opening message (docs/nlu.md, session 27)


def _opening(text: str, intent: str, opening=True) -> Message:
    m = _message(text, intent)
    if opening is not None:
        m.set("metadata", {"conversation_code": "ABC", "opening": opening})
    return m


def _promoting(p: float, promote: float = 0.8) -> ReportVerifier:
    config = {**ReportVerifier.get_default_config(), "promote": promote}
    return ReportVerifier(config, None, None, Fixed(p))


STORY = "hij heeft die fotos nog en zegt dat iedereen ze ziet als ik niet doe wat hij wil"


def test_a_sure_opening_message_becomes_a_report_and_says_why():
    (m,) = _promoting(0.85).process([_opening(STORY, "out_of_scope")])
    assert m.get(INTENT)["name"] == "report_blackmail"
    assert m.get(INTENT_RANKING_KEY)[0]["name"] == "report_blackmail"
    assert [r["name"] for r in m.get(INTENT_RANKING_KEY)].count("report_blackmail") == 1
    assert m.get("report_verifier") == {"report_probability": 0.85, "model_intent": "out_of_scope", "promoted": True}
    (m,) = _promoting(0.85).process([_opening("ze wil nu 150 euro voor die foto anders gaat ie rond", "ask_other")])
    assert m.get(INTENT)["name"] == "report_payment_demand"  # money named: the payment demand
    (m,) = _promoting(0.85).process(
        [_opening("mijn zoon van 13 wordt bedreigd met fotos die hij stuurde", "ask_other")]
    )
    assert m.get(INTENT)["name"] == "report_on_behalf"  # someone else named, as the report net decides


@pytest.mark.parametrize(
    "message",
    [
        _opening(STORY, "out_of_scope", opening=None),  # no mark: rasa shell, stories, NLU evaluation
        _opening(STORY, "out_of_scope", opening=False),
        _opening(STORY, "out_of_scope", opening="true"),  # only the web app's own True
        _opening(STORY, "express_suicidal"),  # never the crisis reading
        _opening(STORY, "request_counsellor"),  # its answer is the counsellor offer
        _opening(STORY, "report_on_behalf"),  # already a report
        _opening("/greet", "greet"),  # a button's command
        _opening("hij dreigt een gewone foto met mn beugel op insta te zetten, geen naaktfoto", "out_of_scope"),
        _opening("is snapchat veilig om pikante fotos te sturen?", "ask_other"),  # names no pressure
    ],
)
def test_only_an_opening_message_that_may_be_a_report_is_promoted(message):
    intent = message.get(INTENT)["name"]
    (m,) = _promoting(0.99).process([message])
    assert m.get(INTENT)["name"] == intent


def test_nothing_is_promoted_below_the_threshold_or_when_promotion_is_off():
    (m,) = _promoting(0.79).process([_opening(STORY, "out_of_scope")])
    assert m.get(INTENT)["name"] == "out_of_scope"
    (m,) = _verifier(0.99).process([_opening(STORY, "out_of_scope")])  # the default config: off
    assert m.get(INTENT)["name"] == "out_of_scope"


def test_rasa_hands_the_web_apps_metadata_to_the_nlu_components():
    """The opening mark travels in the message's metadata: Rasa 3.6 puts it in the NLU message."""
    from rasa.core.channels.channel import UserMessage
    from rasa.graph_components.converters.nlu_message_converter import NLUMessageConverter

    converted = NLUMessageConverter().convert_user_message(
        [UserMessage("hoi", sender_id="x", metadata={"opening": True})]
    )
    assert converted[0].get("metadata") == {"opening": True}
