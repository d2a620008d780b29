"""Word cues the fact reader (actions/extract.py) uses to judge a message: who writes, whose
images, who demands, where the contact happened, whether money or paying is named, a bare number or
material word, unsure answers. Pure patterns on text folded by bot/language/fold.py (``norm``);
the readers that turn text into facts are in bot/language/text_facts.py and bot/language/money.py.
"""

from __future__ import annotations

import re

ON_BEHALF_WORDS = re.compile(
    r"\b(mijn|mn|m'n|onze|ons) (zoon|dochter|kind|kinderen|leerling\w*|pupil|cliënt|client|kleinzoon|"
    r"kleindochter|kleinkind\w*|neefje|nichtje)\b|"
    # a partner only as the one extorted: "mijn vriendje heeft mijn nudes" names the extorter
    r"\b(mijn|mn|m'n) (man|vrouw|partner|echtgeno\w*)\b.{0,20}\b(wordt|werd|is) (\w+ )?(afgeperst|gechanteerd|bedreigd)|"
    # "het gaat niet om mij maar om mn beste vriend" (session 27, conversation suite e_begin.yml)
    r"\b(het )?gaat (niet om mij\W{0,2} ?(maar )?)?om (mijn|mn|m'n|een) (beste |goede )?(vriend\w*|broer\w*|zus\w*|"
    r"klasgeno\w*|maat|mattie|collega|neef\w*|nicht\w*)\b"
)
OWN_IMAGE = re.compile(
    r"\b(van mij|van mezelf|(mijn|mn|m'n) (eigen )?(naakt)?(foto|fotos|foto's|video|videos|video's|"
    r"nudes?|pics?|beelden|filmpje)|"
    # "iemand op snap heeft nudes van me" (n_crisis.yml, session 32); not "hij wil geld van me"
    r"(naakt)?(foto|fotos|foto's|video|videos|video's|nudes?|pics?|beelden|filmpjes?) van me\b)"
)
DEMANDER = re.compile(
    r"\b(hij|zij|ze|die|diegene|afperser|gast|man|vrouw|persoon|account|iemand)\b.{0,30}"
    r"\b(wil|wilt|willen|wou|wilde|eist|eisen|eiste|vraagt|vragen|vroeg|moet|zegt|zei|dreigt)\b|"
    r"\b(wil|wilt|willen|wou|wilde|eist|eisen|eiste|vraagt|vragen|vroeg|zegt|zei)\s+(hij|zij|ze|die)\b"
)
# the writer's own images ("mijn nudes", "een filmpje van mij"; not "een leerling van mij")
MY_MATERIAL = re.compile(
    r"\b(mijn|mn|m'n) (eigen )?(naakt)?(foto|fotos|foto's|video|videos|video's|filmpje\w*|nudes?|pics?|beelden)\b|"
    r"\b(foto|fotos|foto's|video|filmpje\w*|nudes?|pics?|beelden|naaktfoto\w*) van (mij|mezelf)\b"
)
# "hij is 16 en wordt via telegram afgeperst" (session 14): up to three words between
HE_IS_EXTORTED = re.compile(
    r"\b(hij|zij|ze) ((is|was) \d+ en )?(wordt|werd) ((\w+ ){0,3})(afgeperst|gechanteerd|bedreigd|gesextort)"
)
# "ik word afgeperst", "ik heb hem fotos gestuurd", "van mezelf": the writer tells their own story
# The writer says they are the one extorted: "Ik ben slachtoffer van afpersing", "ik word gechanteerd",
# "ik heb me laten verleiden om me uit te kleden" (session 28: "anders krijgen mijn vrouw, mijn
# kinderen en mijn collega's het filmpje" made a man writing about himself a parent)
I_AM_EXTORTED = re.compile(
    r"\bik (ben|word|werd) (\w+ ){0,2}(afgeperst|gechanteerd|bedreigd|slachtoffer|opgelicht)\b|"
    r"\b(word|ben|werd) ik (\w+ ){0,2}(afgeperst|gechanteerd|bedreigd|slachtoffer)\b|"
    r"\b(heb|had) (ik )?(me|mij|mezelf)\b.{0,30}\b(uitgekleed|uit te kleden|laten verleiden|bloot gegeven|laten zien)\b"
)
ABOUT_ME = re.compile(r"\b(ik|ikke|mij|me|mezelf|mijn|mn|m'n)\b")
THIRD_PERSON = re.compile(
    r"\b(mijn|mn|m'n|onze|ons|een) (zoon|dochter|kind|kinderen|leerling\w*|pupil|cliënt|client|"
    r"vriend\w*|broer\w*|zus\w*|klasgeno\w*|neef\w*|nicht\w*|jongere|kleinzoon|kleindochter|kleinkind\w*)\b|"
    r"\b(mijn|mn|m'n) (man|vrouw|partner|echtgeno\w*)\b.{0,20}\b(wordt|werd|is) (\w+ )?(afgeperst|gechanteerd|bedreigd)|"
    r"\b(hij|zij) wordt\b|"
    r"\b(foto|fotos|video|filmpje|beelden|beeld|nudes?|pics?|geld|naaktfoto\w*) van (hem|haar)\b|"
    r"\bik ben (een |de )?(docent|leraar|lerares|mentor|ouder|moeder|vader|hulpverlener|"
    r"jongerenwerker|begeleider|coach|trainer)"
)
# "mijn vriendin wordt afgeperst": a friend, sibling or classmate is the one extorted (not "mijn
# vriend dreigt …", where the friend is the extorter).
PEER_EXTORTED = re.compile(
    r"\b(mijn|mn|m'n|een|onze) (beste )?(vriend\w*|klasgeno\w*|broer\w*|zus\w*|neef|nicht|"
    r"maat|mattie|collega)\b(?:(?!\b(ik|mij|me)\b).){0,25}?\b(wordt|word|is|zit)\b.{0,30}?"
    r"\b(afgeperst|gechanteerd|bedreigd|geblackmaild|gesextort|chanteert)"
)
AGE_KEYWORDS = (
    (re.compile(r"(jonger dan 18|onder de 18|minderjarig|nog geen 18)"), "under_18"),
    (re.compile(r"(18\+|18 of ouder|ouder dan 18|boven de 18|meerderjarig|volwassene?\b)"), "adult"),
)


# "... anders zet hij het op insta": a platform in a message that only says where it would go
CONTACT_ON = re.compile(
    r"\b(gechat|chatten|chatte|gepraat|leren kennen|contact|gevideobeld|videobellen|ontmoet|"
    r"dm|dms|berichten|appte|appen|snapte|afgeperst|gechanteerd|bedreigd)\b|^(via|op|in) \w+$"
)
SENT_ONLY = re.compile(r"\b(sturen|delen|posten|zetten|verspreiden|plaatsen)\b")


# paid by the intent alone only with a word that says money went ("ik heb hem fotos gestuurd" is
# classified report_paid at times)
PAYMENT_WORDS = re.compile(
    r"\b(betaald|overgemaakt|gestort|betaling|getikkied|code\w* (gestuurd|gegeven|doorgegeven))\b"
)
# "die zei dat hij ook 12 was" became 12 euro demanded (q_gaandeweg.yml, session 34)
ABOUT_AGE = re.compile(
    r"\b(bijna|ongeveer|rond de|zo'?n) \d{1,2}\b|\b(ik ben|hij is|zij is|ze is) (\w+ )?\d{1,2}\b|"
    r"\b(hij|zij|ze|die|ik) (ook|pas|maar|nog maar) \d{1,2} (was|is|ben|waren|zijn)\b"
)
# the classifier's "payment demand" counts as a money demand only with a word about money (or a
# money word of data/vocab/money.yml: says_money); "betaal" as in "als ik niet betaal"
PAYING = re.compile(r"geld|betaa?l|overma|overgema|gestort|€|\d")
# paying, or a payment method named
MONEY_WORDS = re.compile(PAYING.pattern + r"|tikkie|paypal|bitcoin|crypto|kaart|code|bank")
# a message that only names the material ("fotos", "mn nudes"): what they have, not what they want
BARE_MATERIAL = re.compile(
    r"^(de |die |mijn |mn |m'n |met )?(naakt)?(foto|fotos|foto's|video|videos|video's|filmpje|filmpjes|nudes?|"
    r"pics?|beelden|plaatjes)\W*$"
)
BARE_NUMBER = re.compile(r"^\s*\d+([.,]\d+)?\s*$")
# Someone else's image received: "wat moet je doen als je een naaktfoto van iemand anders krijgt? het
# gaat niet over mij" (report_blackmail 1.00) got the victim's script with "Betaal niet" (session 29)
RECEIVED_OTHERS = re.compile(
    r"\b(naakt\w*|foto\w*|nudes?|video\w*|filmpje\w*|pics?)\b.{0,20}\bvan (iemand anders|een ander|een klasgeno\w+|"
    r"een meisje|een jongen|een vriend\w*)\b.{0,40}\b(krijg\w*|kreeg|gekregen|ontvang\w*|doorgestuurd)\b"
)
# The extorter's demand verbs, in one place: the fact reader (actions/extract.py) and the amount
# splitter (text_facts.classify_amounts) both read "hij wil / eist / vraagt ..." as a demand
DEMAND_VERBS = "wil|wilt|willen|eist|eisen|vraagt|vragen"
MIN_BARE_AMOUNT = 5  # below this, a number without a currency is a count ("er 1 gestuurd"), not euros
# "idk of het al rondgaat": spread is not a fact when the person is unsure
# Not unsure whether it spread, only how far: "er stond een link naar het filmpje ... ik weet niet
# hoeveel mensen het gezien hebben" held no spread (session 28, f_luisteren.yml)
UNSURE = re.compile(
    r"\b(idk|weet (ik )?(het )?niet(?! (hoeveel|hoe veel|wie (het|ze|hem|dat) (allemaal )?(gezien|gekregen))\b)|geen idee(?! (hoeveel|hoe veel|wie)\b)|misschien|denk ik|of (het|ze|hij) (al )?)\b"
)

# "gisteren heb ik nog 50 betaald", "ik heb weer 100 overgemaakt": a payment on top of the one known
PAID_AGAIN = re.compile(r"\b(?:nog|weer|opnieuw|nogmaals|extra)\s+(?:eens\s+|een keer\s+)?(\d[\d.,]*\s*(?:k\b|\w+)?)")
