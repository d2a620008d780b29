"""The deterministic NLU components on real Rasa Message objects (no model needed): the question
topics (ask_other) and the safety net's handling of a denial (issue 15)."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.trainer_files import nlu_examples
from bot.nlu.question_topics import QuestionTopicClassifier
from bot.nlu.safety_net import SuicideSafetyNet


def message(text: str, intent: str, ranking: list | None = None) -> Message:
    m = Message(data={TEXT: text})
    m.set(INTENT, {"name": intent, "confidence": 0.6})
    m.set(INTENT_RANKING_KEY, ranking or [{"name": intent, "confidence": 0.6}])
    return m


def topics_then_safety(m: Message) -> Message:
    QuestionTopicClassifier({}).process([m])
    SuicideSafetyNet(SuicideSafetyNet.get_default_config()).process([m])
    return m


def test_a_topic_question_becomes_ask_other():
    m = topics_then_safety(message("wat moet ik terug zeggen", "ask_block"))
    assert m.get(INTENT)["name"] == "ask_other"
    assert m.get("question_topic")["topic"] == "reply_extorter"
    assert m.get("question_topic")["model_intent"] == "ask_block"


def test_reports_and_requests_for_a_person_keep_their_intent():
    for intent in ("report_payment_demand", "request_counsellor"):
        m = topics_then_safety(message("hij wil 300 euro, wat moet ik terug zeggen?", intent))
        assert m.get(INTENT)["name"] == intent


def test_a_greeting_keeps_its_intent_unless_it_also_asks_a_topic():
    # "hoi dit is de vader. ..." read as greet got "Hoi! Ik ben er nog" (session 31, m_wending.yml)
    m = topics_then_safety(message("hoi dit is de vader. kan hij zien dat ik hem geblokt heb?", "greet"))
    assert m.get(INTENT)["name"] == "ask_other" and m.get("question_topic")["topic"] == "block_notice"
    for text in ("hoi", "hallo ben je er", "hoi dit is de vader"):  # a greeting, or more without a topic
        assert topics_then_safety(message(text, "greet")).get(INTENT)["name"] == "greet", text


def test_a_what_if_question_read_as_a_spread_report_gets_its_topic():
    m = topics_then_safety(message("en als die fotos al ergens staan?", "report_images_shared"))
    assert m.get(INTENT)["name"] == "ask_other" and m.get("question_topic")["topic"] == "published_anyway"
    # news stays news, a threat stays a report, and a what-if without a topic keeps its intent
    for text, intent in (
        ("ze staan al online, wat nu?", "report_images_shared"),
        ("als ik niet betaal zet hij de foto online?", "report_blackmail"),
        ("en als mijn moeder het ziet?", "report_images_shared"),
    ):
        assert topics_then_safety(message(text, intent)).get(INTENT)["name"] == intent, text


def test_an_unclear_question_becomes_ask_other_an_unclear_statement_does_not():
    assert topics_then_safety(message("kan hij mijn ip zien?", "nlu_fallback")).get(INTENT)["name"] == "ask_other"
    assert topics_then_safety(message("blabla", "nlu_fallback")).get(INTENT)["name"] == "nlu_fallback"


def test_a_short_unsure_report_reading_with_a_topic_gets_the_topic():
    """ "het is echt gênant" read as "already spread" at 0.45 got the script and the questions
    (conversation suite, session 15): its topic (shame) answers it. A sure reading, a longer
    message or one the report net sees as a report stays a report."""
    m = message("het is echt gênant", "report_images_shared")
    m.set(INTENT, {"name": "report_images_shared", "confidence": 0.45})
    QuestionTopicClassifier({}).process([m])
    assert m.get(INTENT)["name"] == "ask_other" and m.get("question_topic")["topic"] == "shame"
    sure = message("het is echt gênant", "report_images_shared")
    sure.set(INTENT, {"name": "report_images_shared", "confidence": 0.9})
    QuestionTopicClassifier({}).process([sure])
    assert sure.get(INTENT)["name"] == "report_images_shared"
    seen = message("hij zet mn nudes online, echt gênant", "report_blackmail")
    seen.set(INTENT, {"name": "report_blackmail", "confidence": 1.0})
    seen.set("report_net", {"matched": True, "by": "threat+material", "model_confidence": 0.4})
    QuestionTopicClassifier({}).process([seen])
    assert seen.get(INTENT)["name"] == "report_blackmail"


def test_suicidal_language_still_wins_over_a_topic():
    m = topics_then_safety(message("ik wil dood, wat moet ik terug zeggen", "ask_other"))
    assert m.get(INTENT)["name"] == "express_suicidal"


def test_a_denial_classified_as_suicidal_is_demoted_to_the_next_intent():
    ranking = [{"name": "express_suicidal", "confidence": 0.7}, {"name": "ask_should_pay", "confidence": 0.2}]
    m = topics_then_safety(
        message("ik denk niet aan zelfmoord. Mijn vraag is: moet ik betalen of niet?", "express_suicidal", ranking)
    )
    assert m.get(INTENT)["name"] == "ask_should_pay"
    assert m.get("safety_net")["denied"] is True


def test_a_denial_next_to_suicidal_words_is_not_demoted():
    ranking = [{"name": "express_suicidal", "confidence": 0.7}, {"name": "inform", "confidence": 0.2}]
    m = topics_then_safety(message("ik denk niet aan zelfmoord maar ik wil wel dood", "express_suicidal", ranking))
    assert m.get(INTENT)["name"] == "express_suicidal"


def test_a_short_protective_step_is_not_made_suicidal_by_the_classifier_alone():
    """ "ok. ik ga morgen naar de politie denk ik" (classifier 0.49) and "ik heb mn moeder wakker
    gemaakt" (0.71) got the crisis message again (issue 15): the step keeps them safe."""
    for text, top in (
        ("ok. ik ga morgen naar de politie denk ik", "express_suicidal"),
        ("ik heb mn moeder wakker gemaakt", "express_suicidal"),
        ("moet ik ze wakker maken?", "ask_other"),  # suicidal second in the ranking, above the threshold
        ("morgen", "express_suicidal"),  # the answer to "Wanneer moet het?" (0.83)
        ("voor zondag 20 uur", "express_suicidal"),
        ("ik ga morgen de bank bellen", "express_suicidal"),  # a step of the advice (0.39, session 13)
        ("hij wil er meer", "express_suicidal"),  # the demand, in a few words (0.60, session 13)
    ):
        ranking = [{"name": "express_suicidal", "confidence": 0.55}, {"name": "inform", "confidence": 0.3}]
        if top != "express_suicidal":
            ranking = [{"name": top, "confidence": 0.5}, {"name": "express_suicidal", "confidence": 0.45}]
        m = topics_then_safety(message(text, top, ranking))
        assert m.get(INTENT)["name"] != "express_suicidal", text
    # a bare time is information (the ranking's next guess was "goodbye" at 0.03)
    ranking = [{"name": "express_suicidal", "confidence": 0.83}, {"name": "goodbye", "confidence": 0.03}]
    assert topics_then_safety(message("morgen", "express_suicidal", ranking)).get(INTENT)["name"] == "inform"


def test_a_protective_step_next_to_risk_words_stays_suicidal():
    ranking = [{"name": "express_suicidal", "confidence": 0.55}, {"name": "inform", "confidence": 0.3}]
    for text in (
        "ik ga mn moeder bellen om afscheid te nemen",  # the net does not catch this one: the risk word does
        "ik ga het mn ouders vertellen als ik er dan nog ben",
        "ik ga naar de politie en daarna ben ik er niet meer",
        "ik heb mn moeder wakker gemaakt maar ik wil nog steeds niet leven echt niet ik kan dit niet meer aan",
        "morgen ben ik er niet meer",
        "ik ga het mijn vader vertellen en dan is het voorbij",
        "ik ga mn ouders vertellen dat het me spijt",
        "vannacht",  # a bare time only where the bot asks for a deadline; "vannacht" is not one of them
        "morgen is het klaar",
        "hij wil er niet meer zijn",
        "ik ga morgen de bank bellen en dan is het klaar",
    ):
        m = topics_then_safety(message(text, "express_suicidal", ranking))
        assert m.get(INTENT)["name"] == "express_suicidal", text


def test_the_classifier_alone_needs_a_risk_word():
    """The crisis message from the classifier alone, on messages with no word of death, ending or
    harm (conversation suite, session 15: "Hoeveel weet ik ook niet. Hij wil er niet veel over
    zeggen" at 1.00, "idk of het al rondgaat" at 0.63): the ranking's next intent instead."""
    ranking = [{"name": "express_suicidal", "confidence": 0.63}, {"name": "report_images_shared", "confidence": 0.3}]
    for text in ("idk of het al rondgaat", "Hoeveel weet ik ook niet. Hij wil er niet veel over zeggen"):
        m = topics_then_safety(message(text, "express_suicidal", ranking))
        assert m.get(INTENT)["name"] == "report_images_shared", text
        assert m.get("safety_net")["no_risk_word"] is True
    promoted = [{"name": "deny", "confidence": 0.5}, {"name": "express_suicidal", "confidence": 0.45}]
    assert topics_then_safety(message("nee hij zegt er niks over", "deny", promoted)).get(INTENT)["name"] == "deny"
    for text in ("ik ben zo moe, ik wil gewoon slapen en nooit meer wakker worden", "ik heb alles geregeld"):
        m = topics_then_safety(message(text, "express_suicidal", ranking))
        assert m.get(INTENT)["name"] == "express_suicidal", text


def test_a_short_refusal_to_say_is_no_fact_reading():
    """ "of ik al wat betaald heb wil ik liever nie zeggen" read as report_paid (0.98) made the case say
    paid (session 28, f_luisteren.yml); the main reports keep their script."""
    m = topics_then_safety(message("of ik al wat betaald heb wil ik liever nie zeggen", "report_paid"))
    assert m.get(INTENT)["name"] == "prefer_not_to_say"
    shame = "hoeveel ik al betaald heb wil ik liever niet zeggen, ik schaam me er kapot voor"
    assert topics_then_safety(message(shame, "report_paid")).get(INTENT)["name"] == "prefer_not_to_say"
    amount = "ik heb 300 betaald, meer wil ik liever niet zeggen"  # a number: the fact stays
    assert topics_then_safety(message(amount, "report_paid")).get(INTENT)["name"] == "report_paid"
    long_report = "hij wil 300 euro anders stuurt hij mijn naaktfoto door, meer wil ik liever niet zeggen"
    assert (
        topics_then_safety(message(long_report, "report_payment_demand")).get(INTENT)["name"] == "report_payment_demand"
    )


def test_sorry_for_how_one_writes_is_no_risk_word():
    """ "sorry dat ik zo veel typ en zo door elkaar" got the crisis message from the classifier alone
    (0.83; conversation suite f_luisteren.yml, session 28): "sorry" counts as a farewell, not as an
    apology for writing. Every other risk word in the message still counts."""
    ranking = [{"name": "express_suicidal", "confidence": 0.83}, {"name": "express_distress", "confidence": 0.11}]
    for text in ("sorry dat ik zo veel typ en zo door elkaar", "sry voor mn lange verhaal"):
        m = topics_then_safety(message(text, "express_suicidal", ranking))
        assert m.get(INTENT)["name"] == "ask_other", text  # its topic (apology), not distress at 0.11
        assert m.get("question_topic")["topic"] == "apology"
    for text in (
        "sorry voor alles",
        "sorry mam",
        "sorry voor de lange berichten, het is voorbij",
        "sorry dat ik besta",
    ):
        m = topics_then_safety(message(text, "express_suicidal", ranking))
        assert m.get(INTENT)["name"] == "express_suicidal", text


def test_sorry_for_not_answering_questions_is_no_risk_word():
    """ "sorry, ik wil nu even geen vragen beantwoorden. ik wil vooral weten wat ik moet doen" got the
    crisis message from the classifier alone (0.31; l_vragen.yml, session 31): it asks what to do."""
    ranking = [{"name": "express_suicidal", "confidence": 0.31}, {"name": "ask_other", "confidence": 0.2}]
    text = "sorry, ik wil nu even geen vragen beantwoorden. ik wil vooral weten wat ik moet doen"
    m = topics_then_safety(message(text, "express_suicidal", ranking))
    assert m.get(INTENT)["name"] == "ask_other" and m.get("question_topic")["topic"] == "what_now"
    for text in ("sorry ik wil geen vragen meer, ik wil dood", "sorry ik wil geen vragen, sorry voor alles"):
        m = topics_then_safety(message(text, "express_suicidal", ranking))
        assert m.get(INTENT)["name"] == "express_suicidal", text


def _kept_as_suicidal(text: str, confidence: float = 1.0) -> bool:
    """Does the classifier's own suicidal reading of `text` stand (the risk-word gate)?"""
    ranking = [{"name": "express_suicidal", "confidence": confidence}, {"name": "ask_other", "confidence": 0.0}]
    return topics_then_safety(message(text, "express_suicidal", ranking)).get(INTENT)["name"] == "express_suicidal"


def test_dutch_die_is_no_risk_word():
    """ "Ik wil die persoon eigenlijk zelf een bericht sturen dat we naar de politie gaan. Slim of niet?"
    (a mother, l_vragen.yml) got the crisis message from the classifier alone (1.00): English "die"
    counted in the Dutch demonstrative. The English verb still counts."""
    assert not _kept_as_suicidal(
        "Ik wil die persoon eigenlijk zelf een bericht sturen dat we naar de politie gaan. Slim of niet?"
    )
    for text in ("i just want to die", "die beelden maken dat ik er niet meer wil zijn", "ja sinds die foto"):
        assert _kept_as_suicidal(text), text


def test_not_done_is_no_risk_word():
    """ "ik heb het nog niet gedaan. en niks meer gestuurd sinds die ene", after a demand to video call,
    got the crisis message from the classifier alone (0.78; n_crisis.yml, session 32): "gedaan" was a
    risk word even after "niet". Done, or done again, still counts."""
    assert not _kept_as_suicidal("ik heb het nog niet gedaan. en niks meer gestuurd sinds die ene", 0.78)
    for text in ("ik heb het gedaan", "ik heb het weer gedaan", "het is gedaan met mij"):
        assert _kept_as_suicidal(text, 0.78), text


def test_an_apology_for_being_angry_is_no_farewell():
    """ "En sorry voor daarnet, dat was niet tegen jou." (0.46) and "je mag nu wel vragen stellen hoor,
    sorry dat ik eerst zo deed" (0.80) got the crisis message (o_ongeduld.yml, session 32)."""
    assert not _kept_as_suicidal("Oké. Dank je. En sorry voor daarnet, dat was niet tegen jou.", 0.46)
    assert not _kept_as_suicidal("je mag nu wel vragen stellen hoor, sorry dat ik eerst zo deed", 0.8)
    for text in ("sorry voor alles", "sorry mam", "sorry dat ik zo ben, jullie zijn beter af zonder mij"):
        assert _kept_as_suicidal(text, 0.8), text


def _read_safety_sets() -> list:
    """The safety development sets, without those that wait unread for their one run
    (bot/language/risk_scorer.py UNREAD_SETS): their risk words are written after it."""
    from bot.language.risk_scorer import safety_sets

    return [str(p) for p in safety_sets()]


def test_every_suicidal_message_the_net_misses_has_a_risk_word():
    """The gate above costs no suicidal message of the project: each one of the safety development
    sets, the safety suite, the training data and the NLU sets that the phrase net does not catch
    has a risk word, so the classifier's reading of it stands (the blind sets are not read)."""
    import glob

    import yaml

    from bot.language.safety_phrases import SafetyNet

    net = SafetyNet.from_file()
    texts = []
    for f in _read_safety_sets() + ["tests/safety/suite.yml"]:
        texts += [
            t["text"] if isinstance(t, dict) else t for t in yaml.safe_load(open(f, encoding="utf-8"))["suicidal"]
        ]
    for f in glob.glob("data/nlu/*.yml") + ["tests/nlu/test_set.yml"] + glob.glob("tests/nlu/seen/*/*.yml"):
        texts += [text for intent, text in nlu_examples(f) if intent == "express_suicidal"]
    assert len(texts) > 1400
    assert [t for t in texts if not net.risk_word(t)] == []


def test_protective_steps_never_hide_a_suicidal_message_of_the_safety_sets():
    """No suicidal message of the development and suite sets counts as a protective step (the blind
    sets are checked by the same rule in scripts/evaluate_safety.py's pipeline figures)."""

    import yaml

    from bot.language.safety_phrases import SafetyNet

    net = SafetyNet.from_file()
    files = _read_safety_sets() + ["tests/safety/suite.yml"]
    items = [t for f in files for t in yaml.safe_load(open(f, encoding="utf-8"))["suicidal"]]
    suicidal = [t["text"] if isinstance(t, dict) else t for t in items]
    assert len(suicidal) > 600
    assert [t for t in suicidal if net.protective(t)] == []
    # nor with a protective step before it ("ik ga het mn moeder vertellen en ja ik heb al een plan")
    steps = (
        "ik ga het mn moeder vertellen en ",
        "ik heb mn moeder wakker gemaakt, ",
        "ik ga naar de politie maar ",
        "morgen ",
    )
    assert [s + t for s in steps for t in suicidal if net.protective(s + t)] == []


def test_the_report_net_component_splits_by_money_and_drops_ordinary_images():
    from bot.nlu.report_net import ReportNetClassifier

    net = ReportNetClassifier(ReportNetClassifier.get_default_config())
    paid = message("hij dreigt mijn fotos te delen als ik niet betaal", "report_blackmail")
    images = message("hij wil geen geld maar meer fotos, anders deelt hij ze", "report_payment_demand")
    ordinary = message("ze gaat onze strandfotos posten, gewoon fotos met kleren aan", "report_blackmail")
    plain = message("hij dreigt mijn nudes te delen", "report_blackmail")
    net.process([paid, images, ordinary, plain])
    assert paid.get(INTENT)["name"] == "report_payment_demand" and paid.get("report_net")["by"] == "money"
    assert images.get(INTENT)["name"] == "report_blackmail"
    assert ordinary.get(INTENT)["name"] == "out_of_scope" and ordinary.get("report_net")["by"] == "not_sextortion"
    assert plain.get(INTENT)["name"] == "report_blackmail" and plain.get("report_net") is None


def test_dying_of_shame_or_laughing_is_a_figure_of_speech():
    """ "als mn vrienden dit zien ga ik letterlijk dood van cringe 💀💀 lol" got the crisis message from the
    classifier alone (1.00; p_schrijfstijl.yml, session 33). Death words of another kind still count."""
    for text in ("als mn vrienden dit zien ga ik letterlijk dood van cringe 💀💀 lol", "ik ga dood van de zenuwen"):
        assert not _kept_as_suicidal(text), text
    for text in ("ik ga dood van binnen", "dood van schaamte, ik wil er niet meer zijn", "ik ben liever dood"):
        assert _kept_as_suicidal(text), text


def test_sorry_for_speaking_a_message_in_is_no_risk_word():
    """ "sorry ik spreek dit in want ik zit in de auto ..." (voice-to-text) got the question about suicide
    from an unclear reading (p_schrijfstijl.yml, session 33)."""
    from bot.language.safety_phrases import default_net

    text = "sorry ik spreek dit in want ik zit in de auto maar ik sta stil hoor op een parkeerplaats"
    assert not default_net().risk_word(text) and not _kept_as_suicidal(text, 0.4)
    assert _kept_as_suicidal("sorry ik spreek dit in voor mn ouders, ik hou van jullie", 0.8)


def test_a_very_unsure_report_later_in_the_conversation_gets_its_topic_whatever_its_length():
    """ "ok ik laat het morgen aan mn mentor zien denk ik. doei" (report_images_shared 0.21) got the
    whole script (q_gaandeweg.yml, session 34). Only later in a conversation, as the web app says
    outright; an opening message, or one without the mark (NLU evaluations), keeps its report."""
    from bot.language.report_phrases import OPENING

    text = "ok ik laat het morgen aan mn mentor zien denk ik. doei"

    def read(metadata, confidence=0.21):
        m = message(text, "report_images_shared")
        m.set(INTENT, {"name": "report_images_shared", "confidence": confidence})
        if metadata is not None:
            m.set("metadata", metadata)
        QuestionTopicClassifier({}).process([m])
        return m.get(INTENT)["name"]

    assert read({OPENING: False}) == "ask_other"
    assert read({OPENING: True}) == "report_images_shared"
    assert read(None) == "report_images_shared"
    assert read({OPENING: False}, confidence=0.45) == "report_images_shared"  # longer than six words


def test_a_wish_for_a_person_said_in_the_negative_is_none():
    """ "Ik hoef geen hulpverlener, ik wil alleen weten wat we nu moeten doen." (request_counsellor 0.38) got the
    handoff offer (k_afsluiten.yml on session 35's kind)."""
    text = "Ik hoef geen hulpverlener, ik wil alleen weten wat we nu moeten doen."
    m = message(text, "request_counsellor")
    m.set(INTENT, {"name": "request_counsellor", "confidence": 0.38})
    QuestionTopicClassifier({}).process([m])
    assert m.get(INTENT)["name"] == "ask_other" and m.get("question_topic")["topic"] == "what_now"
    wants = message("ik wil met een hulpverlener praten", "request_counsellor")
    wants.set(INTENT, {"name": "request_counsellor", "confidence": 0.9})
    QuestionTopicClassifier({}).process([wants])
    assert wants.get(INTENT)["name"] == "request_counsellor"
