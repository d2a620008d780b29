import pytest

from bot.language.safety_phrases import SafetyNet, normalise


def test_normalise_folds_case_accents_stretching_and_punctuation():
    assert normalise("Ik  wil DOOOOOD!!!") == "ik wil dood"
    assert normalise("ïk wíl") == "ik wil"


def test_phrases_match_on_word_boundaries_only():
    net = SafetyNet.from_lists(["wil dood"], [])
    assert net.match("ik wil dooooood echt")
    assert not net.match("ik wil doodgewoon slapen")


def test_project_phrase_file_catches_core_phrases():
    net = SafetyNet.from_file()
    for text in ["ik denk aan zelfmoord", "ik wil gewoon dood", "ik wil niet meer leven"]:
        assert net.match(text), text
    for text in ["hij wil 500 euro anders stuurt ie mn nudes", "hoi", ""]:
        assert not net.match(text), text


def test_anchored_patterns_also_fire_on_a_clause_after_yes_or_no():
    """A form answer such as "nee, ik wil niet meer" (issue 12) while "ik wil niet meer betalen" stays quiet."""
    net = SafetyNet.from_file()
    for text in ["nee, ik wil niet meer", "Nee. Ik wil niet meer.", "ja... ik wil niet meer", "nee ik wil niet meer"]:
        assert net.match(text), text
    for text in ["ik wil niet meer betalen", "nee, ik wil niet meer sturen", "hij vraagt meer maar ik wil niet meer"]:
        assert not net.match(text), text


def test_chat_spellings_are_folded_before_matching():
    net = SafetyNet.from_file()
    for text in ["kwil dood", "kwil nie meer leve", "k wil er nie meer zijn", "wil me zelf dood make", "sucide"]:
        assert net.match(text), text
    assert normalise("kwil nie meer leve") == "ik wil niet meer leven"
    # "der" for "er" (p_schrijfstijl.yml, session 33: only the check question), not in a name
    assert net.match("wtf bro ik wil der gwn nie meer zijn als dit uitkomt")
    assert net.match("ik wil d'r niet meer zijn")
    assert normalise("meneer van der Meer") == "meneer van der meer"


def test_words_typed_as_heard_are_folded_for_every_list():
    """The net, the report net and the question topics read the same folded text (session 33:
    p_schrijfstijl.yml's typed-as-heard questions got no topic)."""
    assert normalise("moet ik m blokeren of sturt hij t") == "moet ik hem blokkeren of stuurt hij het"
    assert normalise("hoe maak ik een scrensot, of scrienshots") == "hoe maak ik een screenshot of screenshots"
    assert normalise("moet ik t aan mn moeder vertelle of de politie belle") == (
        "moet ik het aan mn moeder vertellen of de politie bellen"
    )
    assert normalise("'k weet nie tegen wie da 'k het moet zeggen") == "ik weet niet tegen wie dat ik het moet zeggen"
    assert normalise("ik ga blokken voor mn toets") == "ik ga blokken voor mn toets"  # studying, not blocking


def test_wil_dood_graag_is_dolgraag_not_a_death_wish():
    net = SafetyNet.from_file()
    assert not net.match("ik wil dood graag een nieuwe telefoon")
    assert net.match("ik wil dood")


def test_exclusions_cut_out_a_denial_but_the_rest_is_still_read():
    net = SafetyNet.from_lists(["zelfmoord", "wil dood"], [], [r"\bniet\s+aan\s+zelfmoord\b"])
    assert not net.match("ik denk niet aan zelfmoord, moet ik betalen?")
    assert net.match("ik denk niet aan zelfmoord maar ik wil wel dood") is None  # "wil wel dood" is no phrase here
    assert SafetyNet.from_file().match("ik denk niet aan zelfmoord maar ik wil wel dood")
    assert SafetyNet.from_file().match("nee ik heb geen gedachten aan zelfmoord") is None


def test_the_issue_examples_match():
    net = SafetyNet.from_file()
    for text in [
        "ik wil weg uit deze wereld",
        "het is beter als ik er niet ben",
        "sucide",
        "iedereen is beter af zonder mij",
        "kill myself",
        "i want to die",
        "suicide",
        "zeg tegen mijn ouders dat het me spijt",
    ]:
        assert net.match(text), text
    for text in ["ik wil niet meer betalen", "ik schrok me dood", "dood normaal", "ik wil dat het stopt"]:
        assert not net.match(text), text


def test_huge_input_is_checked_quickly():
    import time

    net = SafetyNet.from_file()
    t = time.perf_counter()
    assert net.match("blabla " * 30_000 + "ik wil dood")  # the end of a huge text is read
    assert net.match("ik wil dood " + "blabla " * 30_000)  # and its start
    assert time.perf_counter() - t < 5


def test_typographic_apostrophes_and_backticks_are_folded_like_plain_ones():
    """bot/language/fold.py is the one folding: "’k" and "`k" read as "'k" (phone keyboards)."""
    from bot.language.safety_phrases import is_suicidal

    for text in ("’k wil er niet meer zijn", "`k wil er niet meer zijn", "'k wil er niet meer zijn"):
        assert is_suicidal(text), text


def test_protective_steps_come_with_their_risk_words(tmp_path):
    """A 'protective:' list without 'protective_unless:' is refused (make check names the line)."""
    from bot.language.trainer_files import TrainerFileError

    path = tmp_path / "net.yml"
    path.write_text("phrases:\n  - wil dood\nprotective:\n  - 'naar de politie'\n", encoding="utf-8")
    with pytest.raises(TrainerFileError) as err:
        SafetyNet.from_file(path)
    assert "protective_unless" in err.value.message and err.value.line == 3


# What the phrase net catches on each development set (scripts/safety_devset*.yml, read and tuned
# on; docs/safety.md) when it was last changed: a change to data/safety/ may add catches, never
# lose one, and may not add false alarms. (suicidal caught, false alarms on the negatives)
DEVSET_FLOORS = {
    "scripts/safety_devset.yml": (117, 1),
    "scripts/safety_devset2.yml": (214, 4),  # session 22: 213 and 6 before
    "scripts/safety_devset3.yml": (101, 0),
    "scripts/safety_devset4.yml": (240, 0),
    "scripts/safety_devset5.yml": (120, 0),
    "scripts/safety_devset6.yml": (126, 1),  # session 13: 48 of 130 before the net learned it
    "scripts/safety_devset7.yml": (132, 9),  # session 14: 75 of 140 (16 false alarms) before
    "scripts/safety_devset8.yml": (130, 4),  # session 14: 107 of 130 (10 false alarms) before; 4 since session 18
    "scripts/safety_devset9.yml": (130, 5),  # session 16: 97 of 130 (5 false alarms) before
    "scripts/safety_devset10.yml": (116, 4),  # session 16: 59 of 120 (4 false alarms) before
    "scripts/safety_devset11.yml": (43, 0),  # session 18: 28 of 120 before (with the check question: 115)
    "scripts/safety_devset12.yml": (86, 1),
    # session 18: 54 of 120 (7 false alarms of 160) before
    "scripts/safety_devset13.yml": (97, 1),
    "scripts/safety_devset14.yml": (105, 0),  # session 21: 72 of 120 (3 false alarms of 160) before
    "scripts/safety_devset15.yml": (
        94,
        0,
    ),  # session 21: 50 of 120 (14 false alarms of 160) before; 94 since session 23
    "scripts/safety_devset16.yml": (104, 0),  # session 22: 66 of 120 (3 false alarms of 160) before
    # session 23: 76 of 120 (10 false alarms of 160) before; its 9 false alarms are older forms on the word "zelfmoord" in a
    # question, a blackmailer's "ophangen" / "beter dood", giving things away when moving (docs/safety.md)
    "scripts/safety_devset17.yml": (108, 9),
    # session 24: 91 of 120 (9 false alarms of 160) on its first, unread run; the one left is
    # "Is dit de lijn van zelfmoordpreventie?" (the crisis message names that line: harmless)
    "scripts/safety_devset18.yml": (120, 1),
    # session 25: 82 of 120 (7 false alarms on its 100 negatives) on its first, unread run, which
    # confirmed the learned risk scorer (docs/safety.md); 91 after nine forms from its clearest misses
    "scripts/safety_devset19.yml": (91, 7),
    # session 26: answers in the middle of a conversation (docs/safety.md); their one unread run was the
    # scorer's (set 21); the net's figures are their first ones, with set 21's "einde aan maken door
    # aangifte" excluded (2 -> 1 false alarm)
    "scripts/safety_devset20.yml": (80, 0),
    "scripts/safety_devset21.yml": (81, 1),
    # session 27: their one unread run was the adopted scorer's measurement (docs/safety.md); the net's
    # figures are their first ones (set 22: first messages; set 23: author C, mid-conversation)
    "scripts/safety_devset22.yml": (83, 3),  # 6 false alarms on its first run; 3 excluded since
    "scripts/safety_devset23.yml": (92, 0),  # 1 on its first run ("het beëindigen met mn lief")
}


@pytest.mark.parametrize("path", sorted(DEVSET_FLOORS))
def test_the_net_keeps_what_it_caught_on_every_development_set(path):
    import yaml

    data = yaml.safe_load(open(path, encoding="utf-8"))
    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")

    def text(item):
        return item["text"] if isinstance(item, dict) else str(item)

    caught = sum(bool(net.match(text(t))) for t in data["suicidal"])
    alarms = sum(bool(net.match(text(t))) for t in data["negatives"])
    floor, most = DEVSET_FLOORS[path]
    assert caught >= floor, f"{path}: the net now catches {caught}, it caught {floor}"
    assert alarms <= most, f"{path}: {alarms} false alarms, there were {most}"


def test_passing_the_match_along_changes_no_verdict():
    """bot/nlu/safety_net.py runs the patterns once and hands the result to denies, protective and
    risk_word; on every development text and a few protective steps each gives what it gives alone."""
    import yaml

    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")
    texts = ["ok. ik ga morgen naar de politie denk ik", "morgen", "ik denk niet aan zelfmoord", ""]
    for path in sorted(DEVSET_FLOORS):
        data = yaml.safe_load(open(path, encoding="utf-8"))
        for item in (data.get("suicidal") or []) + (data.get("negatives") or []):
            texts.append(item["text"] if isinstance(item, dict) else str(item))
    verdicts = set()
    for t in texts:
        matched = net.match(t)
        for check in (net.denies, net.protective, net.risk_word):
            assert check(t, matched) == check(t), (check.__name__, t)
            verdicts.add((check.__name__, check(t)))
    # the texts reach both answers of every check, so the comparison above can fail
    assert {(n, v) for n in ("denies", "protective", "risk_word") for v in (True, False)} <= verdicts


# Hits of the phrase net on every text the project does not label suicidal (scripts/safety_negatives.py)
# when the net was last changed (session 16: 38 of 8,261; among them the conversation suite's own
# suicidal turns, which it does not label, and figures of speech such as "mijn leven is voorbij als
# mijn vader dit ziet" that stay on purpose). A change may lower this, never raise it without a look
# at the new hits (docs/safety.md).
# 39 since session 17: dev set 11 brought a negative an older form matches ("ik stond op de brug op
# mn vrienden te wachten"), kept: standing on a bridge is a sign the net must not lose.
# 38 in session 18 after fixes, then 39 again: dev set 13 brought a negative an older form matches
# ("ik moet morgen afscheid nemen op mijn stage, het is mijn laatste dag": the clause "het is mijn
# laatste dag" alone is a farewell), kept.
# 47 since session 23: dev set 17 brought 100 hard negatives, and older forms match 9 of them (the new
# forms match none: scripts/safety_negatives.py). Looked at and kept: five use the word "zelfmoord" or
# "unalive" in a question ("113 is toch voor zelfmoord?"; for someone being blackmailed at night 113
# is a fair answer), two quote a blackmailer ("dat ik mezelf maar moet ophangen", "beter dood kan
# gaan": a risk sign itself), an "afscheidsbrief" for a teacher who retires and a testament at the
# notary. A third, giving things away when the family moves, got an exclusion.
# 48 since session 24: dev set 18's 160 negatives and distress messages are matched 9 times by older
# forms on its first run; 8 got exclusions or narrower forms (a pill for a headache, moving away, the
# bridge of a ship, a gutter on the roof, a child's "ik ga dood" quoted, school projects about the
# helpline). Looked at and kept: "Is dit de lijn van zelfmoordpreventie?" (the crisis message names it).
# 56 since session 25, with the net unchanged: dev set 19 (its first run confirmed the risk scorer) brought
# 160 negatives and distress messages, 8 of them matched by older forms. Looked at, not yet narrowed (next
# work, docs/safety.md session 25): the word in school work and a film title ("profielwerkstuk over
# suïcide", "Suicide Squad", "wat betekent suïcidaal"), the idiom "pure zelfmoord" about traffic, a first-aid
# course question on too many medicines, an Instagram account after death (a grandfather's testament),
# old cuddly toys given away, and "mn leven is voorbij als dit uitkomt, sociaal dan".
# 57 since session 26: sets 20 and 21 (answers in the middle of a conversation) brought 400 negatives and
# distress answers; older forms matched 2. "Ik ga er nu een einde aan maken door gewoon aangifte te doen"
# got an exclusion; "Het is mijn laatste avond in dit huis, ik verhuis morgen" stays (the net reads
# each clause alone, and "mijn laatste avond in dit huis" alone can be a farewell).
# 50 since session 26's suite file d_midden.yml: scripts/safety_negatives.py no longer counts the conversation
# suite's suicidal turns (those that expect the safety answer, and the person's answer to it) as
# negatives. Seven of the 57 were such turns of older conversations ("ik wil dood", "ik wil niet meer
# leven", "hij zegt dat hij er een eind aan maakt als dit uitkomt"): the net was right on them.
# 53 since session 27: safety sets 22 and 23 became development data, and older forms matched 7 of their
# negatives. Exclusions took 4 (first aid for a cut, too much vitamin D, leaving a group chat, ending it
# with a partner); three stay: "zelfmoordpreventie" in a teacher's question (the bare word fires, by
# design), "Afscheid van iedereen, eindelijk klaar!" after the last school day and "een afscheidsbrief
# voor haar geschreven" for a friend who leaves for Australia (each clause alone can be a farewell: an
# exclusion for the letter cost "een afscheidsbrief voor mijn vrouw geschreven" and three other catches).
# 54 since session 36, with the net unchanged: the conversation files s_tegenspraak.yml and t_jong.yml (written
# outside the project) brought 182 non-suicidal messages; older forms matched one, a girl of 12's "ik ga dood als
# mn moeder dit ziet" (her author marked it a look-alike). Kept: a child's "ik ga dood als ..." about a threat can be
# a sign, and the crisis message costs a counsellor a minute; listed in tests/conversations/not_yet_met.yml.
MOST_NEGATIVE_HITS = 54


def test_the_net_adds_no_hit_on_the_non_suicidal_texts_of_the_project():
    import sys

    sys.path.insert(0, "scripts")
    from safety_negatives import non_suicidal_texts

    texts = non_suicidal_texts()
    assert len(texts) > 8000
    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")
    hits = [t for t in texts if net.match(t)]
    assert len(hits) <= MOST_NEGATIVE_HITS, hits


def test_session_16_forms_stay_quiet_on_ordinary_chat():
    """Ordinary messages written to attack the forms of dev sets 9 and 10 (each close to one form):
    a goodbye to the bot, a commuter, a power cut, a holiday, a hacked account, regret."""
    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")
    for text in [
        "bedankt voor alles, sorry dat ik zo laat nog schreef",
        "ik sta op het perron, de trein komt zo, ik bel je later",
        "het licht gaat uit, de stroom is weer uitgevallen",
        "ik weet niet of ik naar huis ga of bij een vriendin slaap",
        "ik heb mijn hond bij mijn oma gebracht want we gaan op vakantie",
        "ze hebben mijn wachtwoorden en mijn spaarrekening leeggehaald",
        "ik hoop dat mijn ouders me ooit kunnen vergeven voor die foto",
        "ik wil dat het stopt, voorgoed",
        "jullie hoeven je geen zorgen meer te maken over mij, ik heb aangifte gedaan",
        "dan snij ik het contact gewoon af",
        "hoe kan ik mezelf laten verdwijnen van google",
        "ik zeg tegen hem doei en tot nooit meer",
        "het ga je goed en nogmaals bedankt",
        "we hebben een datum geprikt om aangifte te doen",
        "krijg ik geld van de verzekering voor mijn gestolen telefoon?",
        "mijn ouders vinden me morgen vast heel dom",
        "vanavond gaan we naar het water om te zwemmen",
    ]:
        assert not net.match(text), text
    # and the dev sets' own wording still counts
    for text in [
        "ik sta nu op het perron en de laatste trein komt over 10 min",
        "kan iemand mn kat eten geven als ik niet terugkom",
        "sinds de foto's rondgaan snij ik. niet diep ofzo",
        "mn ouders vinden mij morgen toch wel",
    ]:
        assert net.match(text), text


# The gentle check question (check_cues:, bot/web/chat/safety_check.py): a ceiling like the net's,
# counted by scripts/safety_negatives.py --check. The two today: a reply after the crisis message
# ("… ik ben gewoon zo moe van alles", where the web app does not ask: 113 was given) and
# "sorry voor alles, ik had die foto nooit moeten sturen" (self-blame; asking is kept on purpose).
# Session 28: 3. The third is no false alarm: "boeit allemaal niet meer", a half-sign of the conversation
# suite's g_kort.yml, whose author expects 113 or a question there (the suite labels no turn, so
# scripts/safety_negatives.py counts it); no other text of the project gets the question from the new cues.
MOST_CHECK_QUESTIONS = 3


def test_the_check_question_stays_rare_on_the_non_suicidal_texts_of_the_project():
    import sys

    sys.path.insert(0, "scripts")
    from safety_negatives import non_suicidal_texts

    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")
    asked = [t for t in non_suicidal_texts() if net.check_cue(t)]
    assert len(asked) <= MOST_CHECK_QUESTIONS, asked


def test_check_cues_stay_quiet_on_ordinary_chat():
    """Ordinary messages written to attack the session-17 cues, each close to one of them."""
    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")
    for text in [
        "bedankt voor alles, sorry dat ik zo laat nog schreef",
        "ik weet niet of ik naar huis ga of bij een vriendin slaap",
        "ik wil dat het stopt, voorgoed",
        "ik zeg tegen hem doei en tot nooit meer",
        "het ga je goed en nogmaals bedankt",
        "mijn ouders vinden me morgen vast heel dom",
        "ik ben zo moe van alles wat hij stuurt, hoe blokkeer ik hem",
        "het maakt niet meer uit of ik betaal, hij stuurt het toch",
        "na vrijdag heb ik geen school meer, dan is het vakantie",
        "ik heb de treinen zien gaan want ik miste de mijne haha",
        "mijn broertje mag mijn kamer later hebben als ik ga studeren",
        "ik stop met alles wat met hem te maken heeft",
        "ik heb een brief voor mijn moeder geschreven om het uit te leggen",
        "ze verdienen beter dan zo'n afperser",
        "mijn schulden zijn afbetaald en nu wil hij weer geld",
        "ik wil gewoon slapen en dat het morgen klaar is met dat gedoe",
        "ik ben er toch niet bij als ze het bekijken",
        "niemand hoeft te wachten, ik kom later",
        "die geef ik weg, heb ik toch niet meer nodig sinds ik een nieuwe heb",
        "ik ga niet afwachten wat er daarna gebeurt, ik ga naar de politie",
        "hoe stop ik dit voor altijd? hij maakt steeds nieuwe accounts aan",
        "ok morgen ben ik weg op schoolkamp tot vrijdag",
        "mn ex zegt als ik niet terugkom zet hij alles online",
        "het is beter voor iedereen als ik het zelf aan mijn vrouw vertel",
        "ik heb mijn zaken geregeld met de bank",
        "ik weet al hoe ik het ga doen, ik stuur de screenshots naar de politie",
        # session 28's cues ("boeit allemaal niet meer", "wil gwn weg"), close look-alikes
        "het boeit me niet meer wat hij doet",
        "die video maakt mij niks meer uit, ik heb het mn ouders verteld",
        "ik wil weg hier, hoe sluit ik deze chat af",
        "ik wil gewoon weg van die app",
        "insta boeit me niet meer",
    ]:
        assert not net.check_cue(text), (text, net.check_cue(text))


def test_short_hopelessness_gets_the_check_question():
    """ "boeit allemaal niet meer", then "wil gwn weg" (a boy of 15 after the threat to his class) got
    platform tips and the removal help (conversation suite g_kort.yml, session 28)."""
    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")
    for text in ("boeit allemaal niet meer", "wil gwn weg", "ik wil gewoon weg", "alles boeit me niet meer"):
        assert net.check_cue(text), text


def test_session_18_forms_stay_quiet_on_ordinary_chat():
    """Ordinary messages written to attack the session-18 net forms and cues (and three messages that
    older forms matched, found by attacking in session 17): no crisis message, no check question."""
    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")
    for text in [
        # older forms, found in session 17
        "ik ga naar het spoor om de trein te pakken naar mn oma",
        "ik ga slapen, morgen is alles stil op school want het is vakantie",
        "ik heb de afscheidsvideo van mijn klas gemaakt",
        "ik stond op de brug op mn vrienden te wachten toen hij belde",
        # session 18 forms
        "ik denk niet dat ik 18 word voor de zomer, ik ben in oktober jarig",
        "ik kan het niet meer opbrengen om er te zijn voor mijn vrienden",
        "ik wil dat hij voorgoed uit beeld is",
        "ik ben niet van plan om morgen nog mee te maken dat hij me uitscheldt",
        "mijn verzekering dekt het als ik weg ben op vakantie",
        "mijn vriendin postte een afscheidsstory want ze gaat naar Australie",
        "ik heb net iets ingenomen tegen de hoofdpijn",
        "ik moet stoppen met ademen door mijn mond zegt de tandarts",
        "ik heb geen zin om door te gaan met school",
        "dan leef ik liever niet in deze stad",
        "ik verdwijn voorgoed van social media",
        "ik denk na over hoe ik er een punt achter zet met hem",
        "het stopt niet tenzij ik zelf aangifte doe",
        "ik sta op het dak van ons huis om de bal naar beneden te gooien",
        "ik sta aan het water en ik ga erin zwemmen",
        "mijn armen zitten vol krassen van de kat",
        "ik sta op het perron en denk aan de trein die te laat is",
        "mijn afscheidsmail is ingepland want ik ga met pensioen",
        "mijn vriendin is er morgen niet meer bij want ze is ziek",
        "ik ga morgen niet meer opstaan om te sporten",
        "ik heb mijn oude telefoon aan mn broertje gegeven, staan die fotos daar nog op?",
        "ik heb bijna al mijn spullen naar de kringloop gebracht omdat ik verhuis",
        "ik weet al hoe ik het ga doen, ik stuur de screenshots naar de politie",
        "ik ben er toch niet bij als ze het bekijken",
        "mijn pillen tegen hooikoorts liggen in mn la, is dat genoeg voor een week?",
        # dev set 13's forms
        "ik wil er niet zijn als hij het filmpje laat zien",
        "ik zoek een hoge plek om foto's te maken van de stad",
        "ik bijt mezelf op de lip als ik zenuwachtig ben",
        "ik neem afscheid van iedereen op het feest want ik verhuis",
        "we moeten mijn kamer leeg halen want we verhuizen",
        "hoeveel paracetamol is genoeg tegen de koorts?",
        "ik wis mezelf uit de groepsapp",
        "mijn vader staat nu op het dak om de dakgoot te maken",
        "ik kom niet meer thuis vanavond, ik slaap bij een vriendin",
        "van de steiger in het water springen is het leukste van de zomer",
    ]:
        said = net.match(text)
        assert not said and not net.check_cue(text), (text, said, net.check_cue(text))


def test_session_21_forms_stay_quiet_on_ordinary_chat():
    """Ordinary messages written to attack the session-21 forms (dev set 14): the first, looser
    versions of these forms fired on every one of them."""
    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")
    for text in [
        "op het perron vroeg mn vriend of ik het zou doen, die spreekbeurt over treinen",
        "welke treinen rijden zonder te stoppen naar amsterdam? ik moet morgen op tijd zijn",
        "ik wil hem achterna rennen om mn telefoon terug te krijgen",
        "het laatste wat ik nog wilde regelen was de aangifte",
        "ik heb besloten dat ik dit niet ga meemaken, ik blokkeer hem",
        "zonder dat iemand je tegenhoudt kun je gewoon je account verwijderen",
        "ik stop ermee. voorgoed klaar met snapchat",
        "snijden helpt niet tegen uien tranen",
        "morgen spring ik voor het eerst van de 10 meter plank bij zwemles, spannend",
        "ik ga dood als ik nog één keer die reclame hoor",
        "mijn oma heeft een testament laten maken, moet ik daar als kleinkind iets voor tekenen?",
        "alvast sorry voor de lange tekst",
    ]:
        assert not net.match(text), text
        if not text.startswith("alvast"):
            assert not net.check_cue(text), text
    # and what they were written for still gets the crisis message
    for text in [
        "heb vanavont bij het spoor gestaan en nagedacht of ik het zou doen",
        "Ik heb het gevoel dat ik haar achterna wil.",
        "ik zie maar een uitweg en dat is er niet meer zijn",
        "mi wani dede fu tru",
        "nee. snijden helpt nog een beetje",
        "ik wil nie meer leefen",
    ]:
        assert net.match(text), text


def test_session_21_dev_set_15_forms_stay_quiet_on_ordinary_chat():
    """The first versions of the dev-set-15 forms fired on every message below (attacked before
    adopting); narrowed, they give no crisis message. Two get the gentle question, as meant."""
    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")
    quiet = [
        "ik zie mezelf geen 30 worden zonder diploma haha",
        "morgen ctb nu ik ben moe, zei mn moeder",
        "nu kan ik rustig gaan slapen, dank je",
        "dan ga ik liever zelf naar de politie",
        "ik denk over springen bij de sportdag, hoogspringen",
        "ik wil gewoon niet leven met zo'n geheim, daarom vertel ik het",
        "er ligt al een brief voor je bij de receptie",
        "ik hoop dat ik dat niet meer meemaak, zo'n gedoe met die foto's",
        "mn opa is overleden en ik wil naar hem toe om zijn graf te bezoeken",
        "ben ik al gone voordat de les begint? nee ik ben op tijd",
        "kan iemand me gewoon uitzetten van die groepsapp",
        "ik wil dat dit hoofdstuk voorbij is, dit leven met hem erin, ik wil eruit",
        "hij schreef een brief, just in case ik het niet geloofde",
        "dit is mijn laatste ramadan in nederland want we verhuizen",
        "als ik graf ben zegt mn broer altijd als grap",
        "kms gefietst vandaag: 42. benen zijn op",
        "paracetamol 💊 genomen voor mn hoofdpijn, gaat nu beter",
        "kys stuurde hij naar mij toen ik niet betaalde, moet ik dat ook screenshotten?",
    ]
    for text in quiet:
        assert not net.match(text), text
    asked = [t for t in quiet if net.check_cue(t)]
    assert asked == [], asked
    for text in [
        "de pillen van mn oma liggen hier naast me, moet ik die opruimen?",
        "ik weet niet of ik er morgen nog ben, misschien ben ik bij mn vader",
    ]:
        assert not net.match(text) and net.check_cue(text), text
    for text in [
        "iedereen heeft mn nudes gezien dus 🪢 lijkt me eigenlijk de enige optie",
        "denk dat ik binnenkort permanent uitlog 🌉",
        "elke avond bid ik dat God me vannacht meeneemt",
        "tegen de tijd dat hij die vid post ben ik al gone, swear",
        "waarom was ik zo stom. ik verdien het niet om hier te zijn",
    ]:
        assert net.match(text), text


def test_session_22_dev_set_16_forms_stay_quiet_on_ordinary_chat():
    """The first versions of the dev-set-16 forms (and some older ones) fired on the messages below,
    written to attack them before adopting; narrowed, or met by an exclusion, they stay quiet."""
    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")
    quiet = [
        "heb ik genoeg tabletten voor vannacht tegen de hoofdpijn?",
        "er hangt een touw in mijn kamer voor mijn hangstoel",
        "mijn zus hoeft ze niet terug te geven, die oude kleren",
        "hoe lang duurt het voordat iemand gevonden wordt die vermist is, mn neef is weg",
        "hij zei dat hij me wil ophangen aan de schandpaal online",
        "ik heb alles op orde gebracht, wachtwoorden veranderd en tweestapsverificatie aan",
        "we lopen langs de dijk, het water is hoog, om door te lopen naar de stad",
        "ik heb een plan en een datum voor de aangifte bij de politie",
        "ik wil voorgoed verdwijnen van instagram",
        "ik heb zelf moord en brand geschreeuwd toen ik het zag",
        "ik heb geen zin meer om te leven zoals hij wil, ik ga het melden",
        "mn oma wil niet meer wakker worden gemaakt voor de pillen, zegt de zuster",
        "mijn kat is bijna over de reling geklommen op het balkon, schrok me kapot",
        "mijn moeder is medicijnen aan het verzamelen voor de apotheek-inzameling",
        "ik denk aan doodgaan van mn opa, hij is ziek",
        "Gisteren een film gezien over een vader die van een brug springt om zijn dochter uit het water te redden.",
        "Ik zie het niet meer zitten om elke dag in de file te staan.",
        "hoe hoog kan je springen met een polsstok weet jij het wereldrecord",
    ]
    for text in quiet:
        assert not net.match(text), text
    for text in [
        "ik weet precies wat ik moet nemen tegen migraine",
        "dit is voor als ik wegval met mn telefoon, zet je nummer erin",
        "de afperser heeft gewonnen dit keer, ik heb betaald, wat nu",
        "ik heb een plan: blokkeren, screenshots maken en melden",
        "Ik heb de sleutel van het dak van ons kantoor gekregen voor de zonnepanelen.",
    ]:
        assert not net.match(text) and not net.check_cue(text), text
    for text in [
        "sinds de foto's rondgaan wil ik dood",
        "genoeg pillen voor vannacht",
        "met pillen",
        "zijt gij een mens of een robot? want ik moet aan iemand kwijt dat ik mij wil verhangen",
        "Ik zit hier op 't perron en ik twijfel of ik op die trein ga stappen of ervoor",
        "Ik ben 39. Als dit naar mijn klanten gaat stap ik eruit. Niet uit het bedrijf, uit het leven.",
        "Weet jij hoe laat de laatste goederentrein hier langskomt? Ik sta al bij de overweg.",
        "oké ik zeg het gewoon ik denk aan zelf doding sinds vorige week",
        "Ik ben arts. Ik weet precies wat ik moet nemen. Dat is het probleem.",
    ]:
        assert net.match(text), text
    for text in [
        "Ik heb de sleutel van het dak van onze flat. Vanmiddag bij de huismeester opgehaald.",
        "Ik weet precies wat ik moet nemen. Niemand hoeft het te weten.",
    ]:
        assert not net.match(text) and net.check_cue(text), text


def test_session_23_dev_set_17_forms_stay_quiet_on_ordinary_chat():
    """The first versions of the dev-set-17 forms fired on the messages below (written to attack them
    before adopting, session 23); narrowed, they stay quiet. The forms still find what they were for."""
    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")
    for text in [
        "is een keukenmes scherp genoeg om brood te snijden of moet ik een broodmes kopen",
        "hoe laat komt de laatste trein, ik wil het vannacht doen: blokkeren en melden",
        "god mag me komen halen als het feest voorbij is haha",
        "ik vraag god om me te laten gaan naar de uni in amsterdam",
        "mijn oma zegt dat je zelf kiest om te gaan of te blijven bij een feestje",
        "ik heb de brief al geschreven voor school",
        "die foto moet verdwijnen, voor altijd",
        "de trein vertrekt om 12, ik wil het vandaag doen, mijn kamer opruimen",
        "doet sterven pijn bij dieren? ik wil het weten voor biologie",
        "wacht maar tot vanavond om het te doen, zei mijn moeder over het huiswerk",
        "hoe lang duurt het voordat iemand je melding bekijkt op insta",
        "kan je doodgaan aan een wespensteek?",
        "welk touw is sterk genoeg voor een schommel voor mijn broertje",
        "mag ik doodgaan van het lachen om die meme",
        "idc lol ik neem de bus",
    ]:
        assert not net.match(text), text
    for text in [
        "ik heb mijn oma dag gezegd op het vliegveld, ze ging voor de laatste keer naar turkije",
        "ik denk dat ik er een punt achter zet met hem",
        "laatste bericht voor vandaag, sorry dat ik zoveel stuur",
    ]:
        assert not net.match(text) and not net.check_cue(text), text
    for text in [
        "nu wil ik alleen nog maar dood",
        "hoe blokkeer ik iemand op snap zonder dat de chat weg is, en daarna wil ik eigenlijk gewoon dood",
        "mag ik dood",
        "hoe lang duurt het als je je ophangt, zeg gewoon eerlijk",
        "kan je doodgaan aan een hele strip ibuprofen met drank erbij",
        "is een keukenmes scherp genoeg of moet ik iets anders kopen",
        "hoe laat komt de laatste intercity langs bij ons station, ik wil het vannacht doen",
        "god mag me komen halen, ik ben er klaar voor",
        "hoe meld ik zijn profiel bij tiktok? daarna is het voor mij klaar, ik ga bij het station springen",
        "misschien is het beter als ik verdwijn, voor altijd",
    ]:
        assert net.match(text), text
    for text in ["ik denk dat ik er een punt achter zet", "laatste bericht, sorry"]:
        assert not net.match(text) and net.check_cue(text), text


def test_session_24_dev_set_18_forms_stay_quiet_on_ordinary_chat():
    """The first versions of the dev-set-18 forms fired on 19 of these 40 ordinary messages (written to
    attack them before adopting, session 24); narrowed, none of the new forms does. Two fire on older
    forms and stay as they were ("opgezocht hoe ik het moet doen", "sorry voor alles ..., doei" asks)."""
    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")
    for text in [
        "jullie moeten me niet missen hoor, ik ben maar een weekje op kamp",
        "ik heb een zwarte foto gepost met bye 2025 hallo 2026",
        "ik denk erover na hoe ik het zou doen met aangifte",
        "ik dacht na over hoe ik het ga doen: eerst blokkeren dan melden",
        "ik denk dat ik het vanavond ga doen, het gesprek met mn moeder",
        "vanavond ga ik het doen, mijn ouders vertellen",
        "ik heb alles klaargelegd voor de politie: screenshots en de chat",
        "ik stond op het balkon te bellen en dacht: loslaten en klaar, die gast",
        "de enige manier is betalen zegt hij",
        "ik overweeg om hem aan te geven",
        "ik zit hier met een koord van mn oplader dat stuk is",
        "ik wilde dat ik stierf van het lachen toen ik die meme zag",
        "ik wil dat ik gewoon stierf van schaamte haha nee grapje maar het is echt gênant",
        "wie er op mijn verjaardag komt weet ik nog niet",
        "ik zie het nut niet meer van verder praten met hem",
        "mijn opa is dood en ik wil naar hem toe op zijn graf bloemen leggen",
        "mijn oma is overleden, ik wil bij haar zijn op de begrafenis",
        "ze zeiden dat ik moest springen en ze hadden gelijk, het water was warm",
        "ik heb mijn medicijnen bij elkaar gelegd voor de vakantie",
        "ik heb de gaskraan opengedraaid om te koken",
        "ik weet precies welke medicijnen ik moet nemen tegen hooikoorts",
        "ik heb opgezocht hoeveel pillen ik mag nemen van de dokter",
        "als de chat ophoudt, mijn leven gaat gewoon door",
        "ik wil er even tussenuit stappen, een weekje weg",
        "ik weet hoe en wanneer ik het aan mijn moeder vertel",
        "thinking about jumping on the trampoline later",
        "we verhuizen en ik moet afscheid nemen van mijn klas",
        "mijn broer zegt steeds 'ik ga dood' als hij huiswerk moet maken",
        "zijn arm zat vol sneetjes van het glas toen hij viel met de fiets",
        "ik heb vannacht overwogen om me aan te melden bij de politie",
    ]:
        assert not net.match(text), text
    for text in [
        "ik heb bij de brug gestaan om op de bus te wachten",
        "ik heb geen zin meer om op de politie te wachten",
    ]:
        assert not net.match(text) and not net.check_cue(text), text
    for text in [
        "ik denk elke avond na over hoe ik het zou doen",
        "ik heb alles opgeruimd en mijn hond weggebracht. vanavond ga ik het doen",
        "Iemand eist geld van mij en ik heb vannacht serieus overwogen mij iets aan te doen.",
        "ik zou willen dat ik gewoon in mijn slaap stierf",
        "mn neef vroeg in de familieapp wie er op zijn begrafenis komt",
        "een meisje liet me haar armen zien, vol sneetjes",
        "ze heeft geprobeerd zich met een sjaal te wurgen",
        "onze dochter zegt dat ze het leven niet meer ziet zitten",
        "ik zie het nut niet meer van verder leven",
        "sinds opa dood is wil ik naar hem toe, ook als dat betekent dat ik dood moet",
        "ik heb al mijn antidepressiva bij elkaar gelegd",
        "vorige week heb ik de gaskraan al opengedraaid, maar toen belde mijn dochter",
        "ik heb een plan, ik weet hoe en wanneer.",
        "I keep thinking about jumping",
        "doodgaan is de enige manier om van ze af te komen",
    ]:
        assert net.match(text), text
    assert net.check_cue("ik heb vanavond bij de brug gestaan.") and not net.match(
        "ik heb vanavond bij de brug gestaan."
    )


def test_session_25_dev_set_19_forms_stay_quiet_on_ordinary_chat():
    """Set 19's forms (session 25) against ordinary messages written here to attack them before
    adopting: the first versions fired on 13 of the first 30 ("jammer dat ik weer wakker werd midden in
    die mooie droom", "God, mag iemand me komen halen van dit feest", "gg op zn leven" in a game: "op
    mijn leven" is an oath, so the alt+f4 / gg form was dropped). Narrowed, none of these fires; two that
    still do were left out on purpose because they say it literally ("ik kan dit leven niet meer
    dragen" in a quoted joke, "ik wens dat ik gewoon omval en niet meer opsta, zo moe van het sporten").
    What set 19 said plainly still fires."""
    net = SafetyNet.from_file("data/safety/suicidal_phrases.yml")
    for text in [
        "ik had spijt dat ik weer wakker werd om 6 uur voor school, zo vroeg",
        "balen dat ik weer wakker werd van de wekker van mn broertje",
        "jammer dat ik weer wakker werd midden in die mooie droom",
        "ik had spijt dat ik weer wakker werd toen ik die berichten zag, ik wou verder slapen",
        "dat account houdt op met bestaan als je het verwijdert toch?",
        "ik zie het nut van doorgaan met die opleiding niet meer",
        "geen zin meer in doorgaan met voetbal",
        "ik zie het nut niet meer van doorgaan met betalen aan die gast",
        "God, mag iemand me komen halen van dit feest, zo saai",
        "ik bid dat mijn moeder me komt halen van school",
        "mijn opa zegt dat God hem komt halen als zijn tijd gekomen is, hij is 94 en heel rustig",
        "de heer van het hotel komt me halen om 8 uur",
        "deze tas kan ik niet meer dragen",
        "alt f4 op mn leven als mijn moeder dit ziet hahaha",
        "gg op zn leven, die gast heeft gewonnen in fortnite",
        "zij heeft paracetamol gespaard voor de ehbo doos van de club",
        "ik zat in de garage met de motor van de auto aan te sleutelen",
        "ik zat met mn vader in de garage, de motor van de scooter draaien laten was zn idee",
        "jullie redden je wel zonder mij vanavond he, ik ga naar de film",
        "iedereen redt zich wel zonder mij op het feest",
        "ik hoop dat ik niet omval en niet meer opsta van de slaap haha",
        "ik ben zo moe dat ik omval en niet meer opsta voor maandag",
        "ik heb spijt dat ik die foto stuurde, ik werd wakker met 20 berichten",
    ]:
        assert not net.match(text), text
    for text in [
        "ik had vanochtend spijt dat ik weer wakker werd.",
        "het lijkt me heerlijk om gewoon op te houden met bestaan",
        "ik wil niet meer bestaan",
        "sinds mijn vrouw overleden is zie ik het nut van doorgaan niet meer",
        "ik bid elke avond dat de Heer mij komt halen",
        "ik vraag God elke nacht om mij tot Zich te nemen",
        "ik kan dit leven niet meer dragen",
        "een leerling spaart paracetamol, zegt haar vriendin",
        "ik heb gisteravond in de dichte garage gezeten met de motor van de auto aan",
        "hij zegt dingen als 'jullie redden je wel zonder mij'",
        "eigenlijk hoop ik dat ik gewoon omval en niet meer opsta",
    ]:
        assert net.match(text), text
