"""The report net (bot/language/report_phrases.py, data/safety/report_phrases.yml): clear sextortion wording
goes to the script when the classifier is unsure, and topic talk or other people's stories keep
the classifier's answer. Examples written for this test (not from any test set)."""

from __future__ import annotations

import pytest

from bot.language.report_phrases import BLACKMAIL, PAYMENT, ReportNet, default_net, reroute, split_family
from bot.language.trainer_files import TrainerFileError, nlu_examples

REPORTS = [
    ("ik word gechanteerd met een filmpje van mij", BLACKMAIL),
    ("iemand dreigt mijn nudes te leaken als ik niet meer stuur", BLACKMAIL),
    ("hij heeft naaktfotos van me en zegt dat hij ze doorstuurt naar mn klas", BLACKMAIL),
    ("die gast wil geld anders zet hij de video online", PAYMENT),
    ("hij zegt dat ik moet dokken of iedereen krijgt mijn pics", PAYMENT),
    ("ze dreigt de webcam opname naar mijn vrouw te sturen als ik niet 500 euro overmaak", PAYMENT),
    ("Ik word afgeperst. Ze eisen bitcoin.", PAYMENT),
    ("er is een account dat dreigt mn foto's te exposen", BLACKMAIL),
    # adults' conditional threats (session 12, shapes of scripts/nlu_devset_adults.yml)
    ("ze wil 300 euro in steamkaarten, anders wordt het filmpje gedeeld", PAYMENT),
    ("mijn ex zegt dat hij de video naar mijn werk stuurt als ik de voogdij niet opgeef", BLACKMAIL),
    ("de foto's komen op een site tenzij ik met hem afspreek", BLACKMAIL),
    ("hij zegt dat als ik hem blokkeer de beelden online komen", BLACKMAIL),
    ("ze vraagt 200 euro om het filmpje niet te verspreiden", PAYMENT),
    ("iemand heeft mij gefilmd terwijl ik me uitkleedde en hij wil geld", PAYMENT),
    ("ze hebben mijn privefoto's en posten ze als ik niet betaal", PAYMENT),
    # session 13, shapes of the dev sets scripts/nlu_devset_{adults,others,teens}.yml
    ("ik moet 80 euro overmaken of dat mijn fotos op een forum komen", PAYMENT),
    ("ik heb pics gestuurd en nu wil ze mijn wachtwoord anders gaat alles naar mijn ouders", BLACKMAIL),
    ("een jongen heeft naaktjes van mijn zus, als ze niet met hem afspreekt deelt ie ze", BLACKMAIL),
    ("hij zegt als ik niet dok krijgt mijn klas mijn filmpje", PAYMENT),
    ("die acc blijft appen betaal of ik verstuur, het gaat om mn nudes", PAYMENT),
    ("iemand wil geld van me omdat hij een sexy filmpje van mij heeft", PAYMENT),
    ("hij heeft zich uitgekleed op camera en nu willen ze 500 euro", PAYMENT),
    ("haar ex heeft een sextape en zegt dat hij die naar haar ouders stuurt", BLACKMAIL),
    # session 16, shapes of scripts/nlu_devset_{adults3,teens2}.yml
    ("als je me blokt gaat die foto in mn bh naar je hele team zegt hij", BLACKMAIL),
    ("een account stuurt me steeds mijn naaktfoto terug met ik weet waar je ouders wonen", BLACKMAIL),
    ("die hacker dreigt nu met mijn privefotos", BLACKMAIL),
    ("binnenkort ziet heel de school dit, schreef hij onder mijn blote foto", BLACKMAIL),
    ("mijn ex dreigt de filmpjes in de appgroep te gooien als ik niet terugkom", BLACKMAIL),
    ("ik kleedde me uit voor de cam en toen bleek het een opname, nu wil hij 400 euro", PAYMENT),
    ("hij stuurt me mijn eigen naaktfoto en eist dat ik elke avond bel", BLACKMAIL),
    ("mijn pics zijn de volgende in die groep tenzij ik er meer stuur", BLACKMAIL),
    ("hij zegt dat hij mijn video in de klassenapp zet als ik het iemand vertel", BLACKMAIL),
    ("ze heeft een filmpje van me in bad en wil dat ik blijf, anders gaat de video naar mijn ouders", BLACKMAIL),
]
NOT_REPORTS = [
    "wat is sextortion eigenlijk",
    "ik doe een spreekbeurt over afpersing met naaktfotos, heb je tips?",
    "mijn bank dreigt mijn rekening te blokkeren, ik moet een foto van mijn pas sturen",
    "hij stuurt steeds fotos maar hij dreigt niet ofzo",
    "ik word bedreigd op school, er zijn geen foto's of filmpjes",
    "mijn vriend heeft een mooie foto van me gemaakt",
    "mijn baas dreigt me te ontslaan als ik niet harder werk",
    "iemand heeft mijn profielfoto gestolen en maakt een nepaccount",
    "hij stuurt me steeds berichten als ik niet reageer",
    # session 16: the new threat shapes without any material
    "als je me blokt gaat het naar de politie zegt hij",
    "ik weet waar je ouders wonen zei die gast in de game",
    "hij zet de uitslag op de site als je je niet op tijd inschrijft",
    "anders gaat de brief naar de rector, zei de mentor",
    # session 13: look-alikes of the new shapes (written for this test)
    "mijn zus zegt dat ze aan mama vertelt dat ik rook als ik haar geen 10 euro geef",
    "als ik niet betaal gaat mijn abonnement naar een incassobureau",
    "hij wil geld omdat ik zijn fiets heb gesloopt, hij heeft er een foto van",
    "als ze niet komt zet hij haar fiets buiten",
    "",
]


@pytest.mark.parametrize("text, intent", REPORTS)
def test_clear_reports_go_to_the_script_when_the_classifier_is_unsure(text, intent):
    verdict = default_net().check(text)
    assert verdict is not None and verdict.intent == intent
    for unsure in ("nlu_fallback", "out_of_scope", "greet", None):
        assert reroute(unsure, verdict) == intent


@pytest.mark.parametrize("text", NOT_REPORTS)
def test_topic_talk_and_look_alikes_keep_the_classifier_answer(text):
    assert reroute("out_of_scope", default_net().check(text)) is None


def test_someone_named_keeps_on_behalf_and_a_first_person_report_does_not():
    net = default_net()
    assert reroute("report_on_behalf", net.check("mijn zoon wordt gechanteerd met een filmpje")) is None
    assert reroute("report_on_behalf", net.check("een vriendin van me wordt bedreigd met haar nudes")) is None
    assert reroute("report_on_behalf", net.check("ik word gechanteerd met een filmpje")) == BLACKMAIL


def test_questions_are_overruled_only_when_they_also_report():
    net = default_net()
    assert reroute("ask_police", net.check("hoe doe ik aangifte van afpersing")) is None
    assert reroute("ask_should_pay", net.check("hij dreigt mijn naaktfotos te delen, moet ik betalen?")) == PAYMENT


def test_other_classifier_answers_are_never_overruled():
    verdict = default_net().check("ik word gechanteerd met naaktfotos en ik wil dood")
    for intent in (
        "express_suicidal",
        "express_distress",
        "report_paid",
        "report_images_shared",
        "inform",
        "affirm",
        "deny",
    ):
        assert reroute(intent, verdict) is None


def test_a_request_for_a_person_is_overruled_only_when_nobody_is_asked_for():
    """ "iemand heeft een filmpje van me en wil 300 euro" was read as request_counsellor (0.62): the
    consent question came before any advice (found by playing a conversation, session 12)."""
    net = default_net()
    assert reroute("request_counsellor", net.check("iemand heeft een filmpje van me en wil 300 euro")) == PAYMENT
    assert reroute("request_counsellor", net.check("hij heeft fotos van me en wil dat ik meer stuur")) == BLACKMAIL
    for text in (
        "ik word afgeperst, kan ik met iemand praten",
        "ik word gechanteerd en wil een hulpverlener",
        "hij dreigt mijn nudes te delen, bel me alsjeblieft",
        "mijn zoon wordt afgeperst met een filmpje",
        "wat is sextortion",
    ):
        assert reroute("request_counsellor", net.check(text)) is None, text


def tagged(text: str, value: str, entity: str = "amount") -> list:
    """The entity DIET would give for ``value`` in ``text``."""
    start = text.index(value)
    return [{"entity": entity, "value": value, "start": start, "end": start + len(value)}]


@pytest.mark.parametrize(
    "text, entities, intent",
    [
        ("hij dreigt mijn fotos te delen als ik niet betaal", [], PAYMENT),
        ("hij wil geen geld, hij wil meer fotos anders deelt hij ze", [], BLACKMAIL),
        ("het gaat hem niet om geld maar om een videocall", [], BLACKMAIL),
        ("ik heb nog niks betaald, hij wil dat ik naar hem toe kom", [], BLACKMAIL),
        ("hij wil 200 euro maar ik heb geen geld", [], PAYMENT),
        # DIET's amounts: money with a sign or a paying verb, not an age or a count
        ("hij wil €300 anders stuurt hij het door", tagged("hij wil €300 anders stuurt hij het door", "€300"), PAYMENT),
        (
            "als ik niet 250 stuur gaat alles naar school",
            tagged("als ik niet 250 stuur gaat alles naar school", "250"),
            PAYMENT,
        ),
        (
            "mn broertje van 12 wordt bedreigd met een foto",
            tagged("mn broertje van 12 wordt bedreigd met een foto", "12"),
            BLACKMAIL,
        ),
        (
            "hij heeft het naar 3 van mn volgers gestuurd",
            tagged("hij heeft het naar 3 van mn volgers gestuurd", "3"),
            BLACKMAIL,
        ),
        ("hij wil een robux kaart", tagged("hij wil een robux kaart", "robux kaart", "payment_method"), PAYMENT),
    ],
)
def test_the_money_named_decides_payment_or_blackmail(text, entities, intent):
    # the classifier decides that it is a report; the money named decides which of the two (issue 13)
    net = default_net()
    other = PAYMENT if intent == BLACKMAIL else BLACKMAIL
    assert split_family(other, text, net, entities) == intent
    assert split_family(intent, text, net, entities) is None  # already right: nothing changes
    for not_family in ("report_paid", "report_on_behalf", "out_of_scope", "inform", None):
        assert split_family(not_family, text, net, entities) is None


def test_the_trainer_file_loads_and_every_list_is_used(tmp_path):
    net = ReportNet.from_file()
    assert all(
        [
            net.direct,
            net.threat,
            net.material,
            net.exclusions,
            net.money,
            net.third_person,
            net.statement,
            net.person,
            net.not_money,
            net.not_intimate,
            net.intimate,
            net.secret,
            net.secret_unless,
            net.no_threat,
            net.trouble,
            net.scam,
            net.scam_unless,
            net.vague,
            net.no_material,
            net.general_question,
            net.perpetrator,
            net.perpetrator_unless,
            net.report_hint,
            net.pressure,
        ]
    )
    broken = tmp_path / "broken.yml"
    broken.write_text("direct: ['(unclosed']\n")
    with pytest.raises(TrainerFileError, match="werkt niet"):
        ReportNet.from_file(broken)


@pytest.mark.parametrize(
    "text, ordinary",
    [
        (
            "iemand dreigt de fotos van het verjaardagsfeest online te zetten met haar adres erbij. Het zijn gewone fotos.",
            True,
        ),
        (
            "ze gaat onze fotos van het strand posten als ik het uitmaak, gewoon fotos van ons samen met kleren aan",
            True,
        ),
        ("iemand heeft mn whatsapp overgenomen en vraagt geld, ik heb geen naaktfotos ofzo", True),
        ("het zijn geen naaktfotos maar ik sta er in mijn ondergoed op", False),
        ("hij heeft gewone fotos van me bewerkt tot naaktfotos", False),
        ("hij dreigt mijn nudes te delen als ik niet betaal", False),
        ("gewoon foto's, maar met AI hebben ze me uitgekleed", False),
        # session 15 (bench/training_candidates/ look-alikes)
        ("mijn ex laat screenshots van onze ruzies zien als ik niet reageer. gewoon tekst, geen foto's", True),
        ("hacker wil €75 anders verkoopt hij mn account. staat niks geks op gwn gamechats", True),
        ("hij heeft nog geen foto's gepost maar dreigt mijn nudes te delen", False),
        # session 16 (look-alikes of scripts/nlu_devset_{adults3,teens2}.yml)
        ("ze zet een foto van mij met mijn beugel op tiktok als ik haar huiswerk niet maak", True),
        ("mijn broer dreigt mijn dagboek online te zetten", True),
        ("ik had gewoon mijn kleren aan op dat filmpje maar hij wil toch geld", True),
        ("het zijn geen nette foto's en hij dreigt ze rond te sturen", False),  # a euphemism for intimate
        ("leek normaal, fotos uitgewisseld en nu wil hij geld anders stuurt hij ze rond", False),
        ("gewoon gekleed op die foto, maar hij heeft er een nepnaaktfoto van gemaakt", False),
    ],
)
def test_a_message_that_says_its_images_are_ordinary_is_not_sextortion(text, ordinary):
    assert default_net().says_not_intimate(text) is ordinary


@pytest.mark.parametrize(
    "text, secret_only",
    [
        (
            "mijn zus weet dat ik vreemd ben gegaan en ze zegt dat ze het aan mijn vriend vertelt als ik haar niet 200 euro geef",
            True,
        ),
        ("een klasgenoot dreigt aan de leraar te vertellen dat ik spiekte, tenzij ik 20 euro betaal", True),
        (
            "mijn beste vriendin chanteert mij met het geheim dat ik verliefd ben, ze wil dat ik make-up voor haar koop",
            True,
        ),
        # images, spreading or outing named: never a secret only
        ("hij weet dat ik 15 ben en dreigt alles naar mn ouders te sturen", False),
        ("hij dreigt mijn ouders te vertellen dat ik naaktfotos heb gestuurd", False),
        ("hij weet dat ik gay ben en vertelt het iedereen als ik niet betaal", False),
        ("ik heb net ontdekt dat mijn zoon op tiktok gechanteerd wordt", False),
        ("een leerling vertelde me vandaag dat ze wordt afgeperst", False),
    ],
)
def test_a_threat_to_tell_a_secret_without_images_is_not_sextortion(text, secret_only):
    net = default_net()
    assert net.tells_a_secret_only(text) is secret_only
    assert net.not_sextortion(text) is secret_only


def test_no_report_of_any_labelled_set_is_said_to_be_something_else():
    """not_intimate: and secret: turn a report reading into out_of_scope; no real report may trigger
    them (training data, the old set, the retired blind set, the NLU development sets)."""
    net = default_net()
    reports = [text for _, text in _labelled_reports()]
    assert len(reports) > 1500
    wrong = [t for t in reports if net.not_sextortion(t)]
    assert not wrong, wrong[:5]


def test_fear_or_a_received_image_with_a_threat_and_a_demand_gets_the_script():
    """Session 14 (scripts/nlu_devset_{teens,others}.yml): a threat with the material read as distress
    or as "I received an image" got no advice at all."""
    net = default_net()
    fear = net.check("ik heb domme dingen gedaan op snap en nu wil iemand cash van me anders gaat het filmpje rond")
    assert reroute("express_distress", fear) == PAYMENT
    # only a threat with the material: naming the crime with fear stays distress
    assert reroute("express_distress", net.check("ik word gechanteerd en ik ben zo bang")) is None
    son = net.check("MIJN ZOON MOET BETALEN ANDERS KOMT ZIJN NAAKTFILMPJE ONLINE HIJ IS 13")
    assert reroute("report_received_image", son) == "report_on_behalf"
    got = net.check("ik kreeg een naaktfoto van een klasgenote in de groepsapp, wat moet ik doen")
    assert reroute("report_received_image", got) is None


@pytest.mark.parametrize(
    "text, said",
    [
        ("mijn zoon kreeg ongevraagd een naaktfoto van een onbekende. Er wordt niks gevraagd of gedreigd", True),
        ("Mijn dochter heeft haar vriend een topless foto gestuurd. Hij heeft niks gedreigd, maar ik ben bang", True),
        ("mijn dochter van 17 stuurt naaktfotos naar haar vriendje, ze doen dat allebei vrijwillig", True),
        ("een man stuurde mij een foto van zijn piemel op snap. hij zegt verder niks en vraagt ook niks", True),
        ("hij vraagt ook niks maar zegt dat hij mijn naaktfoto's online zet", False),
        # the report the first version lost (retired blind set): no demand, but a threat
        (
            "Het account heeft een foto van mij en stuurt elke dag berichten dat mijn kinderen hem binnenkort "
            "zullen zien. Er wordt niets gevraagd, ik word er alleen gek van.",
            False,
        ),
        ("hij dreigt niet, maar hij wil wel 200 euro anders stuurt hij mijn nudes rond", False),
        # session 16
        ("ik vond naaktfotos op de telefoon van mijn dochter, ze heeft ze naar niemand gestuurd", True),
        ("Niemand wordt bedreigd, maar mijn zoon heeft nudes gestuurd naar een meisje", True),
        ("ze heeft niets gevraagd of gedreigd, ik heb alleen spijt van die foto", True),
        ("ze heeft niets gevraagd of gedreigd maar zegt nu dat ze mijn naaktfoto op insta zet", False),
    ],
)
def test_a_message_that_says_nobody_threatens_is_not_sextortion(text, said):
    assert default_net().says_no_threat(text) is said


@pytest.mark.parametrize(
    "text, said",
    [
        ("iemand op discord biedt me robux aan als ik een foto van mezelf stuur. ik heb niks gestuurd", True),
        ("mn vriend zegt dat als ik van hem hou ik wel een foto stuur. ik heb nog niks gestuurd. is dat normaal", True),
        ("Onze zoon wordt gepest met een bijnaam. Er worden geen foto's gedeeld. Is dit iets voor jullie?", True),
        # a bluff is still a report: the demand, the threat or the intimate words stay
        ("ik heb nooit iets gestuurd maar hij zegt dat hij een naaktvideo heeft en wil 500 euro", False),
        ("ik heb niks gestuurd, maar hij heeft een deepfake van me gemaakt", False),
        ("hij heeft geen fotos van me maar dreigt mijn adres online te zetten", False),
        ("ik heb niks gestuurd en toch wil hij 200 euro", False),
    ],
)
def test_a_message_that_says_there_are_no_images_is_not_sextortion(text, said):
    assert default_net().says_no_material(text) is said


@pytest.mark.parametrize(
    "text, asks",
    [
        ("kunnen ze met AI een naaktfoto van mij maken van mijn insta fotos?", True),
        ("kan je zien of een foto met ai is gemaakt? vraag voor een werkstuk", True),
        ("als iemand mijn gezicht op een naakt lichaam zet, telt dat dan als mijn foto volgens de wet?", True),
        ("Hoi, ik ben 44. Hoe groot is de kans dat iemand met AI een naaktbeeld van mijn dochter maakt?", True),
        # a conditional threat, or a question that also says it is happening, is a report
        ("als ik niet op cam kom gaat het vannacht naar al mijn volgers", False),
        ("kan iemand me helpen? hij heeft mijn naaktfoto's en wil 200 euro", False),
        ("Kan iemand mij zomaar dwingen om met hem naar bed te gaan omdat hij een filmpje heeft van toen?", False),
        ("kunnen ze echt mijn nudes naar mijn ouders sturen? hij dreigt ermee", False),
    ],
)
def test_a_general_question_is_not_sextortion(text, asks):
    assert default_net().asks_in_general(text) is asks


def test_no_report_on_behalf_of_any_labelled_set_names_nothing_happening():
    net = default_net()
    texts = [text for intent, text in _labelled_reports() if intent == "report_on_behalf"]
    assert len(texts) > 150
    assert not [t for t in texts if net.nothing_happening(t)]
    for question in (
        "Mag ik als ouder namens mijn kind contact met jullie opnemen?",
        "Kunnen jullie ook helpen als het om een leerling gaat en niet om mijn eigen kind?",
    ):
        assert net.nothing_happening(question)
    assert not net.nothing_happening("onze dochter van 16 wordt bedreigd door iemand op whatsapp")


@pytest.mark.parametrize(
    "text, scam",
    [
        ("Mijn vader heeft geld overgemaakt aan een zogenaamde dochter via whatsapp. Hoe krijgen we het terug?", True),
        ("ik heb al 8000 euro ingelegd in crypto en nu kan ik er niet meer bij", True),
        ("hij had mn wachtwoord en heeft het op mn eigen insta gepost", False),  # spreading: a report
        ("hij wil 200 euro voor mijn naaktfotos, ik heb een betaalverzoek gekregen", False),  # material
        ("mijn vriendin uit het buitenland die ik van een app ken vraagt 900 euro voor haar visum", True),  # session 16
        ("skins gekocht op discord maar de code werkte niet", True),
    ],
)
def test_a_scam_without_images_is_not_sextortion(text, scam):
    assert default_net().is_a_scam_only(text) is scam


def test_vague_trouble_is_a_report_only_when_the_classifier_is_unsure():
    """Session 14 (scripts/nlu_devset_parents.yml): parents who only half know."""
    net = default_net()
    son = net.check("Mijn zoon heeft iets stoms gestuurd en wordt nu onder druk gezet.")
    assert son is not None and son.by == "vague"
    assert reroute("out_of_scope", son) == "report_on_behalf"
    assert reroute("nlu_fallback", son) == "report_on_behalf"
    assert reroute("ask_police", son) is None and reroute("express_distress", son) is None
    me = net.check("iemand heeft iets van mij en gebruikt dat tegen me")
    assert reroute("out_of_scope", me) == BLACKMAIL
    # said to be something else: no verdict at all
    assert net.check("mijn zoon wordt onder druk gezet, er wordt niks gevraagd of gedreigd") is None


@pytest.mark.parametrize(
    "text, report",
    [
        # session 14 (scripts/nlu_devset_adults2.yml): the person's own material and a demand, any order
        ("Jij bent toch die hulpbot? Iemand wil 700 euro van me want hij heeft mijn dickpics", True),
        ("ik wil gewoon dat het stopt. hij heeft die fotos en nu wil ie afspreken. ik wil niet.", True),
        ("Iemand wil crypto van me voor mijn naaktfoto's", True),
        ("please help, a man have my nudes and now want me to come to his hotel", True),
        # look-alikes: somebody else's photo, a number that is an age, no demand
        ("Een fotograaf eist 900 euro van mij omdat ik zijn foto op mijn website heb gebruikt", False),
        (
            "iemand op discord vraagt steeds om pics van mij. niks gedreigd ofzo maar hij blijft vragen. ik ben 14",
            False,
        ),
        ("mijn fotos van de vakantie staan nog op mijn oude telefoon", False),
    ],
)
def test_own_material_with_a_demand_is_a_report_in_any_order(text, report):
    assert (default_net().check(text) is not None) is report


def test_money_demanded_or_else_it_goes_to_school_is_a_report_without_naming_the_images():
    """Found by trying the running bot (session 18): a second sentence about something else made the
    classifier say out of scope, and without a word for the images the net had nothing to go on."""
    net = default_net()
    text = "hij wil 300 euro anders gaat het naar mn school. ik heb mn ps5 al aan mn broertje gegeven"
    assert reroute("out_of_scope", net.check(text)) == "report_payment_demand"
    # a debt collector or a landlord is no report (scam:), nor a plain bill
    for other in (
        "de incasso wil 300 euro anders gaat het naar de deurwaarder",
        "mn huisbaas wil 300 euro anders zet hij me op straat",
        "de tandarts wil 80 euro anders krijg ik een aanmaning",
    ):
        assert reroute("out_of_scope", net.check(other)) is None or net.not_sextortion(other), other


def test_a_threat_with_the_material_wins_over_naming_the_crime():
    """ "eisen ze 350 euro, anders gaat de opname naar zijn school" also names the crime; the threat
    with the material is the reading that the classifier's "I received an image" gives way to."""
    net = default_net()
    text = (
        "Een jongen uit mijn voetbalteam vertelde dat iemand een naaktfilmpje van hem heeft. Die wil geld "
        "zien, anders krijgt het hele team het te zien."
    )
    assert net.check(text).by == "threat+material"
    assert reroute("report_received_image", net.check(text)) == "report_on_behalf"


@pytest.mark.parametrize(
    "text, perpetrator",
    [
        (
            "Ik heb mijn ex gedreigd dat ik zijn intieme video's online zou zetten. Ik heb spijt. Moet ik mezelf aangeven?",
            True,
        ),
        ("ik heb mijn ex gezegd dat ze me 100 euro moest geven anders zou ik haar pics naar haar ouders sturen", True),
        ("Mijn dochter (14) heeft een klasgenote via Snapchat gedreigd dat ze een foto van haar zou posten.", True),
        # the victim's own words to the blackmailer, or a threat against the writer too, stay a report
        ("ik heb gedreigd naar de politie te gaan maar hij wil nog steeds 300 euro voor mijn naaktfotos", False),
        ("ik heb hem bedreigd terug, nu eist hij 500 euro anders post hij mijn video", False),
        ("ik word gechanteerd met een naaktfoto en heb hem gedreigd met aangifte", False),
    ],
)
def test_the_writer_who_threatened_someone_is_not_a_victims_report(text, perpetrator):
    assert default_net().threatened_someone(text) is perpetrator


@pytest.mark.parametrize(
    "text",
    [
        # scripts/nlu_devset_lookalikes6.yml's missed reports (session 18): "want" for "omdat", "X of de
        # opname gaat naar", "of je hele school krijgt ze", "als ik hem geen pics stuur", "niet met kleren aan"
        "een gast wil 1000 euro in crypto van me want hij heeft een video waarop ik mezelf aanraak",
        "Nu krijg ik berichten: 1000 euro of de opname gaat naar mijn collega's.",
        "ik heb je pics, stuur er meer of je hele school krijgt ze",
        "iemand heeft een filmpje van mij en mijn vriendje in bed en zegt dat hij het post als ik hem geen pics stuur",
        "ze sturen het naar mijn ouders als ik niet betaal. het is een video die ik zelf maakte, niet met kleren aan",
    ],
)
def test_threats_found_missing_in_session_18_get_the_script(text):
    net = default_net()
    assert not net.not_sextortion(text)
    assert reroute("out_of_scope", net.check(text)) in ("report_blackmail", "report_payment_demand")


def _labelled_reports() -> list:
    """(intent, text) of every report of the labelled sets: training data, the old set, the retired
    blind set, the training candidates and the NLU development sets (payment / blackmail / on behalf)."""
    import glob

    import yaml

    out = []
    for path in (
        glob.glob("data/nlu/*.yml")
        + ["tests/nlu/test_set.yml"]
        + glob.glob("tests/nlu/seen/*/*.yml")
        + glob.glob("bench/training_candidates/*.yml")
    ):
        out += [(i, t) for i, t in nlu_examples(path) if str(i).startswith("report_") and i != "report_received_image"]
    gold = {"payment": "report_payment_demand", "blackmail": "report_blackmail", "on_behalf": "report_on_behalf"}
    for path in glob.glob("scripts/nlu_devset_*.yml"):
        data = yaml.safe_load(open(path, encoding="utf-8"))
        out += [(gold[key], t) for key in gold for t in data.get(key) or []]
    return out


def test_no_report_of_any_labelled_set_is_taken_for_the_classifiers_guess():
    """Session 23: a report reading that names nothing of a report, or nobody doing anything to the
    writer, becomes out_of_scope. No real report may (short answers inside a conversation included:
    "het is gelekt", "ik heb mn spaargeld overgemaakt, 650")."""
    from bot.language.report_phrases import only_a_guess

    net = default_net()
    reports = _labelled_reports()
    assert len(reports) > 3000
    wrong = [(i, t) for i, t in reports if only_a_guess(i, t, net)]
    assert not wrong, wrong[:5]
    # and every report of them, read as any report intent of the gate's, stays too
    assert not [t for _, t in reports if only_a_guess("report_blackmail", t, net)]


@pytest.mark.parametrize(
    "text, intent, why",
    [
        # look-alikes the classifier read as reports (development sets, session 23)
        ("Is dit gratis?", "report_blackmail", "nothing_named"),
        ("gast op discord zegt dat hij mijn ip heeft en me gaat doxxen", "report_blackmail", "nothing_named"),
        (
            "hoe zet ik mijn insta op privé zodat alleen vrienden mijn posts zien",
            "report_images_shared",
            "nothing_named",
        ),
        ("is snapchat veilig om pikante fotos te sturen naar mijn vriend?", "report_blackmail", "no_pressure"),
        (
            "ugh er kwam een nude binnen in mn message requests van een account met 0 volgers",
            "report_blackmail",
            "no_pressure",
        ),
        (
            "Mijn partner wil dat we samen een filmpje maken als we seks hebben. Ik twijfel.",
            "report_blackmail",
            "no_pressure",
        ),
        # the images are out there: a report (of images shared), whatever the reading
        ("iemand zag mij naakt op x staan", "report_blackmail", None),
        (
            "Mijn zoon van 16 heeft een relatie met een meisje van 15 en ze zijn intiem. Hoe zit dat wettelijk?",
            "report_on_behalf",
            "no_pressure",
        ),
        # images posted keep the removal help of report_images_shared; a question about sending does not
        ("mijn ex heeft een filmpje gepost waarin ik van een stoel val", "report_images_shared", None),
        ("is snapchat veilig om pikante fotos te sturen naar mijn vriend?", "report_images_shared", "no_pressure"),
        # implicit reports keep their reading
        ("mn ex zei letterlijk: als je niet terugkomt post ik alles", "report_blackmail", None),
        ("die gast heeft alles gescreenrecord en zegt wacht maar af", "report_blackmail", None),
        ("Mijn dochter wordt bedreigd door iemand die ze online kent.", "report_on_behalf", None),
        ("hij wil vijfhonderd maar ik heb maar 100", "report_payment_demand", None),
        ("het is gelekt", "report_images_shared", None),
        ("ik sta op een pornosite", "report_images_shared", None),
        ("iedereen op school weet het", "report_images_shared", None),
        ("ja ik heb het al overgemaakt...", "report_paid", None),
        ("een jongen vraagt om nudes en zegt dat iedereen het doet", "report_blackmail", None),
        # other readings are never touched
        ("Is dit gratis?", "ask_anonymous", None),
        ("Is dit gratis?", "express_suicidal", None),
    ],
)
def test_a_report_reading_that_names_nothing_of_a_report_is_only_a_guess(text, intent, why):
    from bot.language.report_phrases import only_a_guess

    assert only_a_guess(intent, text, default_net()) == why


def test_money_the_nlu_found_keeps_a_report_reading():
    from bot.language.report_phrases import only_a_guess

    net = default_net()
    text = "ze willen 1.000 en ik ben pas 15"
    entity = {"entity": "amount", "value": "1.000", "start": 10, "end": 15, "extractor": "DIETClassifier"}
    assert only_a_guess("report_payment_demand", text, net, [entity]) is None
    assert only_a_guess("report_payment_demand", "ugh er kwam een bericht binnen", net) == "nothing_named"
