"""Conversations that listen (issue 15), at the choke points every path passes: true facts in
action_extract_facts, the question topics, the permission question asked once, "stop met de
vragen" for the rest of the conversation, and a denial of suicidal thoughts."""

from __future__ import annotations

import pytest
import yaml
from action_helpers import extracted, joined, slots_of, with_message

from actions import texts
from actions.extract import extract_updates
from actions.form import required_facts
from actions.script import ActionAnswerQuestion, ActionAskFactsPermission, ActionInform, ActionOutOfScope, ActionReport
from bot.language.question_topics import answer_topic_of, looks_like_question, question_topic, topic_intent, topics
from bot.language.safety_phrases import denies_suicidal, is_suicidal
from bot.language.text_facts import denies_paid, platform_in_context, wants_questions, wants_to_stop_questions

# One everyday question per topic of texts/question_topics.yml (a topic without one fails).
TOPIC_EXAMPLES = {
    "waiting": "hoe lang duurt het nog?",
    "removal_without_image": "werkt stopncii als ik de foto niet meer heb?",
    "group_chat": "werkt dat ook voor een whatsapp groep?",
    "reply_extorter": "wat moet ik terug zeggen",
    "published_anyway": "maar als ik niet betaal sturen ze het toch gewoon door",
    "money_back": "is dat geld nog terug te krijgen?",
    "talk_with_child": "hoe moet ik het gesprek met hem aangaan?",
    "tell_parents": "moet ik het mn ouders vertellen?",
    "presence": "ben je er nog?",
    "work_or_school": "wat zeg ik tegen mn baas",
    "stored": "worden mijn berichten opgeslagen?",
    "cost": "Is dit gratis?",
    "delete_account": "kan ik gewoon mn account verwijderen?",
    "duty_to_report": "ben ik verplicht dit te melden?",
    "physical_danger": "wat als hij gewoon voor mn deur staat",
    "unmatch": "moet ik hem unmatchen??",
    "phishing": "is dit oplichting denkt u?",
    "give_in_once": "misschien moet ik gewoon gaan dan is het klaar",
    "keep_image": "moet ik die foto bij die leerlingen opvragen zodat we bewijs hebben?",
    "screenshot": "hoe maak ik een screenshot",
    "sent_picture": "ik heb er wel 1 gestuurd gister. in mn bh",
    "called_help": "Oké we hebben gebeld en even met iemand gepraat. Hij is wat rustiger nu.",
    "partner_found_out": "Het probleem is dat mijn partner het vanavond al heeft ontdekt.",
    "delete_messages": "ik wil die dms gwn verwijderen ik wil die foto niet meer zien",
    "forward_chat": "moet ik de chat doorsturen naar mezelf?",
    "parents_dont_know": "ik ben 15 trouwens. mn ouders weten hier niks van",
    "not_to_school": "ik wil morgen echt niet naar school",
    "do_it_myself": "ik ben 17 ik kan dit toch ook zelf regelen voor haar",
    "tell_parents_for_someone": "Ik moet morgen haar ouders bellen. Wat zeg ik tegen hen?",
    "forward_evidence": "hij stuurde mij screenshots van de chat. moet ik die naar iemand doorsturen?",
    "open_now": "Kan dat nu ook? Het is al na twaalven",
    "zmp_contact": "kan ik bij 113 ook gewoon chatten? bellen durf ik niet",
    "screenshot_notice": "maar snap laat zien als je een screenshot maakt",
    "take_phone": "moet ik zn telefoon afpakken?",
    "prevent_upload": "kan ik voorkomen dat die screenshots ergens online komen?",
    "declines_counsellor": "wacht nee. laat maar toch niet. ik durf het niet aan een mens te vertellen",
    "how_to_start": "Goedenavond. Ik weet niet goed hoe ik dit moet beginnen.",
    "think_it_over": "Ik slaap er een nachtje over. Bedankt voor het meedenken.",
    "someone_asleep": "ben 15. mn moeder slaapt",
    "took_phone": "Ik heb haar telefoon afgepakt, ik was zo boos. Was dat verkeerd?",
    "in_trouble": "ga ik nu de cel in?",
    "confront": "ik wil die gast eigenlijk zelf terugpakken",
    "app_unknown": "idk welke app dat was, maakt dat uit?",
    "tell_partner": "moet mn man dit weten denk je",
    "what_now": "wat moet ik nou doen",
    "check_understanding": "ok dus gewoon niet betalen en blokkeren",
    "intent_ask_police": "kan de politie hem uberhaupt vinden?",
    "intent_ask_block": "oke waar kan ik melden op snap",
    "snap_save": "in snapchat kan je toch chats opslaan? moet ik dat doen?",
    "delete_image": "oke en dan verwijder ik hem gewoon van mn telefoon?",
    "is_sextortion": "is dit nou sextortion of zo?",
    "fake_images": "kunnen jullie ook helpen als de fotos nep zijn",
    "come_back": "kan ik hier morgen weer terugkomen?",
    "plan": "ok ik zeg het straks tegen mn moeder als ze wakker is",
    "tell_someone": "moet ik het aan iemand vertellen",
    "language": "mag ik ook in het engels schrijven?",
    "voice_messages": "hoe bewaar ik spraakberichten?",
    "police_worth_it": "heeft aangifte doen wel zin?",
    "spelling": "sorry voor mijn spelling, ik heb dyslexie",
    "removed_news": "ben er weer. de beheerder heeft het verwijderd en iedereen eruit gegooid",
    "intent_goodbye": "oke het gaat wel weer een beetje. ik denk ik ga proberen te slapen",
    "sent_nothing_more": "ik heb het nog niet gedaan. en niks meer gestuurd sinds die ene",
    "not_helping": "wat heb ik daar nou aan. dit helpt echt niks",
    "says_in_trouble": "nu ff serieus ik zit echt in de shit",
    "came_back": "ik heb hier vanavond al gepraat",
    "leave_group": "moet ik uit die groep gaan?",
    "bullying": "ze willen niks van me. ze vinden het gwn grappig",
    "asks_for_pics": "hij vraagt de laatste tijd steeds om pics. is dat normaal of raar",
    "age_corrected": "eigenlijk ben ik 14 niet 16. ik dacht dat je me anders niet wou helpen",
    "chat_gone": "Hij heeft me inmiddels ontmatcht op Tinder, dus het hele gesprek is weg. Heb ik nu geen bewijs meer?",
    "hacked_account": "Mijn wachtwoord is veranderd en mijn e-mailadres ook. Nu krijg ik berichten van een onbekend account.",
    "did_not_tell": "ik ben boos omdat ze het mij niet verteld heeft. drie weken lang",
    "why_questions": "waarom wil je dat allemaal weten. ik ga echt niet zeggen wie ik ben of hoe oud ik ben",
    "blocked_after_evidence": "ik heb niks betaald en hem geblokt, wel eerst screenshots gemaakt. ben 17 btw",
    "wake_someone": "moet ik ze wakker maken?",
    "woke_someone": "ik heb mn moeder wakker gemaakt",
    "plan_police": "ok. ik ga morgen naar de politie denk ik",
    "intent_ask_should_pay": "ik denk niet aan zelfmoord. Mijn vraag is: moet ik betalen of niet?",
    "intent_ask_removal": "kan dat filmpje nog weg??",
    "intent_inform": "ik heb nog niks gezegd over geld",
    "shame": "ik voel me zo'n idioot. 45 jaar en hier intrappen",
    "anger": "ik ben zo kwaad op haar",
    "giftcard_bought": "nee nog niet betaald maar ik heb al wel een kaart gekocht",
    "site_removal": "hoe weet ik of hij het echt op pornhub zet",
    "police_needs": "wat heb ik daarvoor nodig dan",
    "revenge": "hij wil niks hij is gewoon boos omdat ik het uit heb gemaakt",
    "cannot_pay": "ik heb die 200 niet eens",
    # session 36 (s_tegenspraak.yml: people who push back)
    "make_him_stop": "hoe krijg ik hem zover dat hij stopt",
    "not_listening": "dit is gwn een standaard antwoord",
    "bot_advice": "dus een bot zegt me dat ik niet moet betalen",
    "intent_bot_challenge": "praat ik nu met een echt mens?",
    "block_useless": "blokkeren helpt toch niks",
    "police_useless": "de politie doet er toch niks mee",
    "no_police": "ik ga geen aangifte doen",
    "kindertelefoon": "wat is de kindertelefoon?",
    "will_pay_anyway": "ik betaal gewoon, dan ben ik ervan af",
    "sorry_angry": "sorry dat ik zo boos was",
    "nothing_to_do": "moet ik dan niks doen?",
    "report_delete_chat": "als ik hem meld vraagt de app of ik de chat wil verwijderen",
    "bluff": "ik denk dat hij bluft",
    "intent_ask_is_crime": "ik vroeg of het strafbaar is",
    "she_doesnt_know": "het meisje weet het nog niet",
    "account_name": "zijn account heet iets als mike_2009",
    "what_is_aangifte": "wat is aangifte doen",
    "what_is_vertrouwenspersoon": "wat is een vertrouwenspersoon",
    "what_is_melden": "wat bedoel je met melden",
    "what_is_hashing": "wat is hashen",
    "give_back": "moet ik die robux terug geven",
    "fake_code": "kan ik niet een neppe code sturen",
    "was_i_stupid": "was ik dom",
    "he_is_nice": "maar hij is lief tegen me",
    "meeting_told": "hij zegt kom alleen",
    "last_chance": "hij zegt laatste kans",
    "help_now": "HELP",
    "scammed": "ik denk dat ik gescamd word",
    "age_lie": "ik ben 12 maar zeg maar dat ik 15 ben",
    "will_call": "hij zegt vanavond bel ik, neem op anders stuur ik het",
    "says_fake": "het is niet eens echt ik ben dat niet",
    # session 28 (conversation suite f_luisteren.yml)
    "apology": "sorry dat ik zo veel typ en zo door elkaar",
    "already_blocked": "ik heb hem trouwens al geblokt gister",
    "block_notice": "kan hij zien dat ik hem geblokt heb?",
    "go_to_him": "moet ik zaterdag bij hem langskomen?",
    "payment_details": "hij stuurde dit rekeningnr NL91ABNA0417164300 op naam van m jansen",
    "read_receipts": "kan hij zien dat ik zn berichten lees??",
    "intent_request_counsellor": "Kan ik hier ook met een echt persoon over praten?",
    "police_sees_images": "gaat de politie dan mn fotos zien?? dat wil ik nie",
    "intent_prefer_not_to_say": "of ik al wat betaald heb wil ik liever nie zeggen",
    "keeps_contacting": "hij stuurt steeds snaps wtf",
    # session 31 (l_vragen.yml, m_wending.yml)
    "police_parents": "gaat de politie het aan mn ouders vertellen als ik aangifte doe?",
    "export_chat": "hoe exporteer je een chat eigenlijk",
    "says_nothing": "Hij stuurde net: 'grapje, ik heb niks, je bent er ingetuind'. Wat betekent dat??",
    "support_friend": "hoe kan ik haar het beste helpen vannacht? ze zit te huilen aan de telefoon",
    "saw_image": "ze heeft mij de foto laten zien op haar telefoon. is dat erg? ik heb hem niet",
    "anonymous_help": "en kan ze anoniem met ze praten? of moet ze haar naam zeggen",
    "tell_friend_who_got_it": "wat moet ik tegen haar zeggen ze vraagt of ik gek ben geworden",
    "his_punishment": "als ik naar de politie ga krijgt hij dan een strafblad? ik wil hem ook niet helemaal kapot maken",
}
NOT_A_TOPIC = [
    "dan niet",
    "en toen stuurde hij een foto van mij",
    "moet ik betalen?",
    "hoe bewaar ik bewijs",
    "hij wil 500 euro via tikkie",
    "ik snap er niks van",
    "Moet ik de berichten bewaren als bewijs?",
    "hoe lang duurt het voordat een brandwond geneest",
    "ik moet mijn vriend nog 25 euro terugbetalen",
    "hoi",
    "ben je een mens?",  # bot_challenge's own question, not a check that someone reads
    "ben je er klaar mee",
    "ben je daar blij mee",
    "sorry voor alles",  # a farewell, never the apology topic (the safety net has the last word)
    "moet ik hem blokkeren?",  # a question about blocking, not news that it is done
    "ik heb hem nog niet geblokt, moet dat?",
    "hoef ik niet te zeggen wie ik ben toch",  # ask_anonymous's own question, no refusal to say
    "weten mijn ouders hiervan als ik dit invul",  # ask_anonymous (tests/stories/test_questions.yml)
    # a long story that opens with an apology is a story, not the apology topic
    "mijn excuses voor de lange tekst maar drie weken geleden leerde ik iemand kennen op insta en nu heeft hij foto's",
]


def test_every_topic_has_an_example_and_an_answer():
    names = [name for name, _ in topics()]
    assert sorted(names) == sorted(TOPIC_EXAMPLES)
    for name in names:
        if topic_intent(name):
            assert topic_intent(name) in yaml.safe_load(open("domain.yml"))["intents"], name
        else:
            assert texts.variants(f"topic_{name}", {}), name


@pytest.mark.parametrize("topic,text", sorted(TOPIC_EXAMPLES.items()))
def test_topic_examples_are_recognised(topic, text):
    assert question_topic(text) == topic


@pytest.mark.parametrize(
    "topic,text",
    [
        ("what_now", "en dan?"),
        ("what_now", "ok en daarna"),
        # session 30 (j_geld.yml, k_afsluiten.yml)
        ("what_now", "kan je stoppen met vragen stellen. ik wil gwn weten wat ik moet doen"),
        ("block_notice", "als ik haar blok ziet ze dat dan en stuurt ze het dan meteen?? 😬"),
        ("come_back", "Kan ik dan hier verder waar we gebleven waren?"),
        ("give_in_once", "wat moet ik nou doen?? moet ik gwn 1 foto sturen dan stopt ie misschien"),
        ("give_in_once", "300 is te overzien. Liever dat dan dat mijn baas het ziet."),
        ("money_back", "Kan ik vannacht de bank nog bellen, of moet dat morgen?"),
        ("physical_danger", "hij weet ook waar ik werk. ik ben echt bang"),
        ("intent_ask_block", "en telegram, kan je daar iemand melden?"),
        ("published_anyway", "en als die fotos al ergens staan?"),
        # session 35 (Intel kind; k_afsluiten.yml, r_omstanders.yml)
        ("intent_ask_police", "Moet ik dan naar de politie? Voelt wat zwaar voor 300 euro."),
        ("intent_ask_block", "Oké. Wat moet hij nu met dat Instagram-account van haar doen?"),
        ("intent_goodbye", "shit ik moet gaan mn moeder komt"),
        ("zmp_contact", "Hij wil zelf niet met 113 praten denk ik. Kan ik dat ook voor hem doen?"),
        (
            "sent_picture",
            "ik had een keer een nude naar mn beste vriendin gestuurd. gwn om te vragen of ik er goed uitzag",
        ),
        ("parents_dont_know", "ik ben 13. mn moeder denkt dat alles goed gaat op school"),
        ("not_to_school", "Hij zegt steeds dat hij nooit meer naar school durft als dit uitkomt"),
        ("intent_ask_should_pay", "Zou ik dat meisje niet beter geld kunnen aanbieden, zodat zij ophoudt?"),
        (
            "screenshot",
            "Hij zegt dat die foto ook in dat gesprek staat. Mag hij daar dan wel een schermafdruk van maken?",
        ),
        (
            "forward_chat",
            "zal ik die hele chat naar mezelf doorsturen? dan heb ik het bewijs ook. de fotos staan er wel in",
        ),
        ("published_anyway", "Stel dat de foto al rondgaat in de klas. Wat kan de school dan doen?"),
        ("published_anyway", "als hij het wel online zet kan het dan weg?"),
        ("block_notice", "mn zus zegt ik moet m blokken maar dan stuurt ie het toch gwn door?"),
        ("tell_parents", "Zij wil eigenlijk niet dat haar ouders het weten. Mag ik het dan toch vertellen?"),
        ("published_anyway", "wat als mn filmpje al online staat"),
        # someone else's account (session 21: read as a report on behalf, then out of scope)
        ("delete_account", "ze wil haar tiktok verwijderen, is dat slim?"),
        ("delete_account", "mag hij zijn snap account deleten"),
        # session 27 (conversation suite e_begin.yml)
        ("money_back", "kan ik die 100 terug?"),
        ("money_back", "krijg ik mn geld nog terug"),
        ("tell_parents", "durf het echt niet aan mn ouders te zeggen"),
        ("intent_ask_block", "die persoon staat nog gewoon in zijn vriendenlijst. moet ik die verwijderen?"),
        ("intent_ask_block", "moet ik hem ontvrienden"),
        ("presence", "ben je er"),
        ("presence", "hallo? ben je daar nog??"),
        ("presence", "is daar iemand"),
        ("presence", "hoi leest iemand dit"),
        # session 28 (f_luisteren.yml): news, corrections and side questions out of the bot's order
        ("presence", "sry mn moeder kwam binnen. ben je er nog"),
        ("presence", "Sorry, was even weg, mijn huisgenoot kwam thuis. Ben je er nog?"),
        ("apology", "Sorry, ik schrijf veel te lange berichten. Het zit me gewoon heel hoog."),
        ("apology", "sry voor mn lange verhaal"),
        (
            "apology",
            "Excuses voor het lange bericht, ik ben nogal van slag. En ik zie dat ik 2500 schreef: het is 1500, ik heb het net teruggelezen.",
        ),
        ("payment_details", "naar een gewone nederlandse rekening, het iban heeft hij nog"),
        ("payment_details", "De codes die ik gestuurd heb staan nog in mijn mail, en de bonnetjes heb ik ook nog."),
        ("payment_details", "Dit is het adres dat hij stuurde: bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"),
        ("read_receipts", "ziet ze dat ik het gelezen heb"),
        ("already_blocked", "hij is al geblokkeerd"),
        ("stored", "krijgen mn ouders dit te horen?? die mogen het echt niet weten"),
        ("delete_account", "Moet ik mijn Grindr-account niet gewoon verwijderen? Dan is hij me kwijt."),
        ("what_now", "oke. wat moet ik nu eerst doen"),
        ("what_now", "Wat moet ik nu als eerste doen? Vanavond nog?"),
        ("what_now", "wtf moet ik doen"),
        ("cannot_pay", "heb geen 300"),
        # session 36 (r_omstanders.yml on the AMD kind)
        ("cannot_pay", "Ik heb ook helemaal geen bitcoin, ik zou het eerst moeten kopen."),
        ("cannot_pay", "ik heb geen paypal"),
        # session 36 (s_tegenspraak.yml: people who push back)
        (
            "published_anyway",
            "ja maar zij zegt als ik niet betaal stuurt ze het meteen door. dus niet betalen werkt ook niet",
        ),
        ("not_listening", "ja dat weet ik allemaal al. dit is gwn een standaard antwoord"),
        ("not_listening", "dat zei je al"),
        (
            "make_him_stop",
            "je luistert niet. ik wil niet weten wat ik niet moet doen, ik wil weten hoe ik hem laat stoppen",
        ),
        ("police_useless", "de politie doet toch niks met crypto, dat kan je niet traceren"),
        ("police_useless", "En de politie doet toch niks met 50 euro en een foto van een kind in zijn onderbroek."),
        ("intent_bot_challenge", "ben je eigenlijk een echt mens of een bot"),
        ("bot_advice", "dus een bot zegt me dat ik niet moet betalen. top."),
        ("will_pay_anyway", "laat maar. ik regel het zelf wel. ik stuur hem morgen dat geld en klaar"),
        ("will_pay_anyway", "ik ga liever betalen"),
        (
            "bluff",
            "misschien is het gwn nep en overdrijf ik. hij is vast gwn een jongen van school die een grapje maakt",
        ),
        ("bluff", "Ik denk echt dat hij bluft. Hij was altijd al een grote bek."),
        (
            "block_useless",
            "Blokkeren heeft geen zin. Ik heb hem al eens geblokt en toen belde hij met een ander nummer.",
        ),
        ("no_police", "ik ga echt geen aangifte doen. dan weten mn ouders het en dan krijg ik huisarrest tot mn 18e"),
        ("kindertelefoon", "wat is die kindertelefoon dan? weten mn ouders dat dan"),
        ("nothing_to_do", "Dus ik moet niks doen en die vent zijn gang laten gaan?"),
        ("sorry_angry", "Oké. Sorry dat ik zo fel was. Ik ben gewoon zo bang voor hem."),
        ("plan_police", "Ik ga zo naar boven en zeg dat ik niet boos op hem ben. Morgen bellen we samen de politie."),
        ("delete_account", "ik wil gewoon alles verwijderen. die chat, mn telegram, alles. en het vergeten"),
        ("intent_ask_removal", "kan die foto uit die groep? ik was toen al 18 btw"),
        ("report_delete_chat", "Als ik hem meld in WhatsApp vraagt hij of ik de chat wil verwijderen. Moet dat?"),
        (
            "intent_ask_is_crime",
            "Sorry maar ik vroeg niet wat ik moet doen, ik vroeg of het strafbaar is. Dit voelt als een standaard antwoord.",
        ),
        ("will_call", "Hij appt nu: 'vanavond om 10 uur bel ik, neem op of het gaat naar je directeur'"),
        ("delete_image", "moet ik m verwijderen? of ben ik dan bewijs kwijt"),
        ("intent_ask_removal", "ze zegt nu dat ze m verwijderd heeft maar die jongen heeft m dus nog"),
        ("she_doesnt_know", "het meisje weet het wss nog niet. ze zit niet in die app"),
        (
            "account_name",
            "Het account heet iets als 'lisa.x.2010', maar zij weet niet wie het is. Het zou ook een klasgenoot kunnen zijn.",
        ),
        # t_jong.yml (the youngest users), session 36
        ("in_trouble", "ben ik nu in de problemen"),
        ("what_now", "dit is noor weer. hij is ff wc. wat moeten we nu echt doen vanavond"),
        ("tell_parents", "ik durf het nie te zeggen tegen mama. ze word echt boos"),
        ("will_call", "hij belt nu 😨"),
        ("plan", "ok ik neem niet op. morgen ga ik naar de vertrouwens persoon"),
        ("is_sextortion", "mn vriendin zegt dat het sextorsion is. wat is dat"),
        (
            "police_parents",
            "maar dan komt de politie toch bij ons thuis en dan weet mn vader het. mn vader vermoord me",
        ),
        ("what_is_aangifte", "wat is aangiften doen"),
        ("what_is_aangifte", "mn zus zegt aangifte. wat is dat"),
        ("what_is_vertrouwenspersoon", "wat is een vertrouwens persoon"),
        ("what_is_hashing", "op die site staat iets met hash. wat is hashen"),
        ("fake_code", "KAN IK NIET GWN EEN NEPPE CODE STUREN"),
        ("was_i_stupid", "was ik dom? ik heb er zelf nog meer gestuurd"),
        ("he_is_nice", "maar hij is lief tegen me. misschien wil hij alleen praten"),
        ("meeting_told", "hij stuurt nu: zaterdag 2 uur bij de mcdonalds bij het station. kom alleen"),
        ("last_chance", "hij zegt nu: laatste kans vanavond 10 uur 😡"),
        (
            "physical_danger",
            "hij zegt als ik niet kom dan zet hij het ook in onze roblox groep. en hij weet in welke stad ik woon",
        ),
        ("delete_account", "ik heb nog niks betaald. moet ik de club verlaten en discord verwijderen?"),
        (
            "intent_ask_should_pay",
            "vbucks zijn van fortnite, dat koop je met een kaart in de supermarkt. hij heeft zelf 25 euro zakgeld gespaard. zal ik gewoon met hem zo'n kaart gaan kopen",
        ),
        ("give_in_once", "Misschien bluft ze gewoon. Als ik nog 1 keer betaal, dan is het vast klaar"),
        ("plan", "Ik ga morgen eerst zelf met mijn directeur praten denk ik. Bedankt, echt."),
        (
            "plan",
            "ok. ik ga zaterdag niet. morgen vertel ik het aan mijn huisgenoot en dan kijken we samen naar die stopncii",
        ),
        ("keep_image", "zal ik screenshot van die foto maken als bewijs"),
        ("tell_parents", "ze durft t nie tegen haar ouders"),
        ("plan", "ok ik zeg morgen op school dat ze met de mentor moet praten"),
        ("what_now", "moet ik iets doen?"),
        ("what_now", "help wat moet ik nu doen"),
        # session 29 (h_nacht.yml, i_anders.yml, and the older files on a new machine kind)
        ("what_now", "kweetnie wat ik moet doen"),
        ("intent_ask_should_pay", "moet ik die kaart nou kopen of niet"),
        ("intent_ask_should_pay", "ik ben 14 btw. moet ik die steam kaarten nou kopen of nie"),
        ("block_notice", "kan hij zien dat ik hem geblokt heb? want dan zet hij m er misschien meteen in"),
        (
            "block_notice",
            "kan hij zien dat ik hem geblokt heb op grindr? nu stuurt hij berichten vanaf een nieuw profiel",
        ),
        ("give_in_once", "hij heeft m nog niet in de groep gezet. maar als ik nog 1 foto stuur stopt hij misschien?"),
        ("give_in_once", "als ik die kaart koop en de code stuur is het toch klaar?"),
        ("give_in_once", "ze zegt als ik 1 keer facetime dan verwijdert ze alles. is dat zo denk je?"),
        (
            "go_to_him",
            "nu zegt hij als ik niet terug wil moet ik zaterdag in ieder geval bij hem langskomen. moet ik gaan?",
        ),
        ("take_phone", "Ik wil zijn telefoon het liefst in de prullenbak gooien en die app eraf halen"),
        ("published_anyway", "En wat als het morgen al rondgaat op zijn school?"),
        # session 31 (l_vragen.yml, m_wending.yml, and older files on session 24's kind)
        ("delete_account", "en moet ik mn discord acc verwijderen of niet"),
        ("delete_account", "Dus het is voorbij? Dan kan ik het gesprek toch gewoon verwijderen?"),
        ("keeps_contacting", "en als hij een nieuw account maakt en me weer dm't?"),
        ("keeps_contacting", "wat als ze een nieuw account maakt"),
        ("intent_ask_removal", "wat is stopncii precies? ik las dat ergens"),
        ("prevent_upload", "moet ik daar dan mijn foto's naartoe sturen? dat voelt echt raar"),
        ("prevent_upload", "wat is take it down? moet ik daar de foto's voor uploaden"),
        ("published_anyway", "stel hij zet het toch online, is het dan voor altijd op internet?"),
        ("published_anyway", "en als hij ze al ergens heeft gezet, krijg je ze dan ooit echt weg?"),
        ("published_anyway", "hij zei voor 3 uur vannacht. wat gebeurt er als ik gwn niks doe"),
        (
            "physical_danger",
            "O nee. Er komt net een bericht binnen: 'ik weet waar je woont, ik kom langs als je niet betaalt'.",
        ),
        ("physical_danger", "Zouden ze echt kunnen komen? Hij zei dat hij 13 was maar dat geloof ik nu niet meer."),
        ("physical_danger", "kan hij eigenlijk zien waar ik woon via telegram?"),
        ("cost", "wat is die kindertelefoon eig, moet je daar betalen"),
        ("cost", "kost dat geld? ze heeft echt niks"),
        ("work_or_school", "moet ik het tegen school zeggen? hij zit bij mij op school"),
        ("tell_parents", "kan iemand anders het niet voor mij zeggen ofzo? mn mentor?"),
        ("tell_parents", "shit mn pa kwam net binnen en zag het op mn scherm. nu weet hij alles"),
        ("stored", "ik ben 13 maar niet aan mn ouders vertellen ok"),
        ("police_parents", "gaan de politie mn ouders bellen als ik aangifte doe? ben bijna 18"),
        ("police_parents", "Als ik aangifte doe, gaat de politie dan contact met ze opnemen?"),
        ("police_sees_images", "Wat gebeurt er eigenlijk als ik op het bureau kom? Moet ik dan die foto's laten zien?"),
        ("talk_with_child", "Hij heeft het me net verteld, hij zit naast me te huilen."),
        ("talk_with_child", "Hij wil niet met mij praten, alleen met zijn vriend. Wat kan ik doen?"),
        ("what_now", "sorry, ik wil nu even geen vragen beantwoorden. ik wil vooral weten wat ik moet doen"),
        (
            "intent_request_counsellor",
            "Misschien is het toch goed om morgen met iemand van jullie te praten, samen met hem. Kan dat?",
        ),
        ("plan", "ik heb gezegd dat ik het niet doe"),
        ("delete_image", "mag ik hem daarna gewoon verwijderen van mn telefoon? ik wil het echt niet hebben"),
        (
            "reply_extorter",
            "Ik wil die persoon eigenlijk zelf een bericht sturen dat we naar de politie gaan. Slim of niet?",
        ),
        (
            "shame",
            "ik ben 46 en getrouwd. mijn vrouw weet niet dat ik met mannen... nou ja. dat maakt het allemaal nog erger",
        ),
        ("screenshot_notice", "hoe maak ik screenshots zonder dat hij dat ziet? snap geeft toch een melding"),
        ("plan", "ik denk dat ik mn moeder wakker ga maken en het zeggen voordat zij het doet"),
    ],
)
def test_more_ways_to_ask_a_topic(topic, text):
    assert question_topic(text) == topic


@pytest.mark.parametrize(
    "text",
    [
        "Moet ik zijn moeder bellen? Dat is mijn dochter",
        "moeten we haar ouders inlichten?",
        "ik durf het niet aan mn moeder te zeggen",
    ],
)
def test_someone_writing_for_a_young_person_asks_about_their_parents(text):
    assert question_topic(text) == "tell_parents"


@pytest.mark.parametrize("text", NOT_A_TOPIC)
def test_other_messages_are_no_topic(text):
    assert answer_topic_of(text) is None


def test_a_topic_question_gets_its_answer_and_asked_again_no_verbatim_repeat(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "report_payment_demand", "is dat geld nog terug te krijgen?", "ask_other")
    events = ActionAnswerQuestion().run(dispatcher, tracker, domain)
    first = joined(dispatcher)
    assert "bank" in first.lower() and "niet nog een keer" in first
    again = with_message(
        tracker_from, "report_payment_demand", "maar krijg ik mn geld terug?", "ask_other", slots=slots_of(events)
    )
    dispatcher.messages.clear()
    ActionAnswerQuestion().run(dispatcher, again, domain)
    assert joined(dispatcher) != first and "bank" in joined(dispatcher).lower()


def test_an_unknown_question_is_answered_honestly_with_the_counsellor(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "report_payment_demand", "kan hij mijn ip adres zien?", "ask_other")
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "weet ik niet zeker" in text
    assert dispatcher.messages[-1]["buttons"][0]["payload"] == "/request_counsellor"


def test_out_of_scope_question_is_not_a_generic_block(tracker_from, dispatcher, domain):
    tracker = with_message(
        tracker_from, "report_payment_demand", "hoe werkt bitcoin eigenlijk?", "out_of_scope", slots={"stage": "script"}
    )
    ActionOutOfScope().run(dispatcher, tracker, domain)
    assert "weet ik niet zeker" in joined(dispatcher)
    assert "helaas" not in joined(dispatcher) and "niet genoeg van" not in joined(dispatcher)


def test_out_of_scope_short_acknowledgement_mid_conversation(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "report_payment_demand", "hmm ok", "out_of_scope", slots={"stage": "after"})
    ActionOutOfScope().run(dispatcher, tracker, domain)
    assert joined(dispatcher) and "helaas" not in joined(dispatcher) and "niet genoeg van" not in joined(dispatcher)


def test_stel_maar_vragen_starts_the_questions(tracker_from, dispatcher, domain):
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        "stel maar vragen dan",
        "out_of_scope",
        slots={"stage": "script", "topics_done": ["ack", "script"]},
    )
    events = ActionOutOfScope().run(dispatcher, tracker, domain)
    assert any(e.get("event") == "followup" and e.get("name") == "facts_form" for e in events)
    assert slots_of(events)["stage"] == "facts"


def test_a_report_with_a_question_gets_the_answer_too(tracker_from, dispatcher, domain):
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        "hij wil 300 euro, wat moet ik terug zeggen?",
        "report_payment_demand",
        slots={"topics_done": ["ack", "script"], "stage": "script"},
    )
    ActionReport().run(dispatcher, tracker, domain)
    assert "niets terug te zeggen" in joined(dispatcher)


def test_a_question_read_as_a_report_is_answered_without_thanks_for_news(tracker_from, dispatcher, domain):
    """ "waar moet ik dat geld vandaan halen" was read as a report: "Dank je dat je dat vertelt" and
    the platform tips came before the answer (session 12)."""
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        "waar moet ik dat geld vandaan halen",
        "report_payment_demand",
        slots={"topics_done": ["ack", "script"], "stage": "script", "platform": "instagram"},
    )
    ActionReport().run(dispatcher, tracker, domain)
    said = joined(dispatcher)
    assert "hoeft ook niet te betalen" in said
    assert "Dank je dat je dat vertelt" not in said and "Tips voor Instagram" not in said


@pytest.mark.parametrize(
    "text",
    [
        "ik heb die 200 niet eens",
        "waar moet ik dat geld vandaan halen",
        "ik kan dat niet betalen",
        "hij wil 500 euro maar ik heb geen geld",
    ],
)
def test_not_having_the_money_is_a_topic(text):
    assert question_topic(text) == "cannot_pay"


def test_a_meeting_demand_after_a_demand_for_pictures_is_heard(tracker_from):
    """ "hij wil ook dat ik zaterdag naar zijn huis kom" (read as out_of_scope) must change the advice
    to the meeting demand (session 12)."""
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        "hij wil ook dat ik zaterdag naar zijn huis kom",
        "out_of_scope",
        slots={"demand_type": "more_images", "stage": "script"},
    )
    assert extract_updates(tracker)["demand_type"] == "meeting"
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        "wat als hij wil dat ik naar zijn huis kom",
        "ask_other",
        slots={"demand_type": "more_images", "stage": "script"},
    )
    assert "demand_type" not in extract_updates(tracker)


def test_a_statement_without_news_gets_no_pending_tips(tracker_from, dispatcher, domain):
    """ "grapje man, ik ben gwn boos" (ask_other, no topic) got the platform tips (session 12)."""
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        "grapje man, ik ben gwn boos",
        "ask_other",
        slots={"topics_done": ["ack", "script"], "stage": "script", "platform": "snapchat"},
    )
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert "Tips voor Snapchat" not in joined(dispatcher)


# --- the permission question: once, never after "stop met de vragen" ---------------------------------
def test_permission_is_asked_once(tracker_from, dispatcher, domain):
    tracker = tracker_from("report_payment_demand", slots={"topics_done": ["script"]})  # after action_report
    events = ActionAskFactsPermission().run(dispatcher, tracker, domain)
    assert "vragen" in joined(dispatcher)
    dispatcher.messages.clear()
    again = tracker_from("report_payment_demand", slots=dict(tracker.slots, **slots_of(events)))
    assert ActionAskFactsPermission().run(dispatcher, again, domain) == []
    assert dispatcher.messages == []


def test_no_permission_question_without_the_script(tracker_from, dispatcher, domain):
    """A report answered without the script (a phishing mail, a picture sent before any threat) has no case
    to ask about: "Wil hij iets van je, of dreigt hij ergens mee?" was followed by "Mag ik je een paar vragen
    stellen?" (session 35)."""
    tracker = tracker_from("report_payment_demand", slots={"topics_done": ["asked:sent_picture"]})
    assert ActionAskFactsPermission().run(dispatcher, tracker, domain) == []
    assert dispatcher.messages == []


def test_no_permission_question_after_stop(tracker_from, dispatcher, domain):
    tracker = tracker_from("report_payment_demand", slots={"questions_stopped": True})
    assert ActionAskFactsPermission().run(dispatcher, tracker, domain) == []
    assert dispatcher.messages == []
    assert required_facts({"questions_stopped": True, "writer": "victim"}) == []


def test_stop_and_restart_questions_are_read_anywhere(tracker_from):
    stop = with_message(tracker_from, "report_payment_demand", "stop met die vragen", "deny")
    assert extract_updates(stop)["questions_stopped"] is True
    again = with_message(
        tracker_from, "report_payment_demand", "stel maar vragen dan", "affirm", slots={"questions_stopped": True}
    )
    assert extract_updates(again)["questions_stopped"] is False
    # a bare "stop" is only an answer inside the questions, not a wish elsewhere
    assert not wants_to_stop_questions("stop met betalen?", answering=False)
    assert wants_questions("je mag wel vragen stellen") and not wants_questions("stop met die vragen")


# --- true facts ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,denied",
    [
        ("ik heb nog niks betaald", True),
        ("nee heb nog niks betaald", True),
        ("geen cent overgemaakt", True),
        ("ik ga niet betalen", False),
        ("ik heb al 300 betaald", False),
        ("ik wil niet betalen", False),
        ("Hij wil het geld voor vrijdag. Betaald heb ik nog niets.", True),  # session 28
        ("betaald heb ik wel", False),
    ],
)
def test_paid_denials(text, denied):
    assert denies_paid(text) is denied


def test_not_paid_wins_over_the_intent(tracker_from):
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        "ik heb nog niks betaald, hij wil 300 euro",
        "report_paid",
        entities=[{"entity": "amount", "value": "300 euro", "start": 36, "end": 44}],
    )
    updates = extract_updates(tracker)
    assert updates["paid"] is False
    assert "amount_paid" not in updates and updates.get("amount_demanded") == 300


def test_snap_as_a_verb_is_no_platform(tracker_from):
    text = "ik snap er niks meer van"
    tracker = with_message(
        tracker_from,
        "greet",
        text,
        "express_distress",
        entities=[{"entity": "platform", "value": "snapchat", "start": 3, "end": 7}],
        slots={"platform": None},
    )
    assert "platform" not in extract_updates(tracker)
    assert platform_in_context("snap", "via snap") and platform_in_context("snap", "hij zit op snap")


def test_an_app_of_some_kind_is_no_whatsapp():
    """ "iemand op tiktok heeft met zo'n AI app mijn gezicht op een bloot lijf gezet" held WhatsApp
    (conversation suite e_begin.yml, session 27)."""
    text = "iemand op tiktok heeft met zo'n AI app mijn gezicht op een bloot lijf gezet"
    assert not platform_in_context("app", text) and platform_in_context("tiktok", text)
    assert not platform_in_context("app", "hij heeft een app gemaakt van mijn fotos")
    assert platform_in_context("app", "we hadden contact via de app") and platform_in_context("app", "app")


def test_a_platform_that_is_part_of_another_keeps_the_owner(tracker_from):
    """Messenger is Facebook's chat: the account to report is the Facebook one (part_of)."""
    text = "via facebook. een vrouw stuurde een vriendschapsverzoek, daarna videobellen via messenger"
    entities = [
        {"entity": "platform", "value": "facebook", "start": 4, "end": 12},
        {"entity": "platform", "value": "messenger", "start": 82, "end": 91},
    ]
    tracker = with_message(tracker_from, "greet", text, "inform", entities=entities, slots={"platform": None})
    assert extract_updates(tracker)["platform"] == "facebook"
    later = "daarna gingen we verder op messenger"
    entities = [{"entity": "platform", "value": "messenger", "start": 27, "end": 36}]
    tracker = with_message(tracker_from, "greet", later, "inform", entities=entities, slots={"platform": "facebook"})
    assert "platform" not in extract_updates(tracker)
    tracker = with_message(tracker_from, "greet", "via messenger", "inform", entities=[], slots={"platform": None})
    assert extract_updates(tracker)["platform"] == "messenger"


def test_a_corrected_platform_replaces_the_known_one(tracker_from):
    """ "wacht nee het was via snap niet insta" kept Instagram (session 28, f_luisteren.yml)."""
    text = "wacht nee het was via snap niet insta. op snap hebben we gebeld, mn insta heeft hij alleen opgezocht"
    tracker = with_message(tracker_from, "greet", text, "inform", entities=[], slots={"platform": "instagram"})
    assert extract_updates(tracker)["platform"] == "snapchat"
    # naming another platform without taking the known one back changes nothing
    other = "mn insta heeft hij alleen opgezocht, op snap hebben we gebeld"
    tracker = with_message(tracker_from, "greet", other, "inform", entities=[], slots={"platform": "snapchat"})
    assert extract_updates(tracker).get("platform") in (None, "snapchat")


def test_the_audience_of_the_threat_does_not_make_the_writer_a_parent(tracker_from):
    """A man writing about himself got the parents' advice: "mijn kinderen" was the threat's audience
    (session 28, f_luisteren.yml)."""
    text = (
        "Goedenavond. Ik ben slachtoffer van afpersing, denk ik. Ik heb me laten verleiden om me uit te kleden. "
        "Nu eist iemand 2500 euro, anders krijgen mijn vrouw, mijn kinderen en mijn collega's het filmpje."
    )
    tracker = with_message(tracker_from, "greet", text, "report_payment_demand", slots={"writer": None})
    assert extract_updates(tracker)["writer"] == "victim"
    parent = "mijn zoon wordt afgeperst, ze willen 200 euro anders sturen ze zijn foto rond"
    tracker = with_message(tracker_from, "greet", parent, "report_payment_demand", slots={"writer": None})
    assert extract_updates(tracker)["writer"] == "on_behalf"


def test_part_paid_is_no_amount_paid_and_a_tikkie_stays_a_tikkie(tracker_from):
    """Session 28 (f_luisteren.yml): "hij wilde 200 euro via paypal, ik heb al een deel betaald" held
    200 paid; "De Tikkie ging naar een rekening van de ING" made the Tikkie a bank transfer."""
    from bot.language.text_facts import classify_amounts

    part = "hij wilde 200 euro via paypal, ik heb al een deel betaald maar nu wil hij nog 300 extra"
    assert "amount_paid" not in classify_amounts(part, ["200", "300"], "report_paid")
    assert classify_amounts("hij wilde 200, die heb ik betaald", ["200"], "report_paid") == {"amount_paid": 200.0}
    text = "De Tikkie ging naar een rekening van de ING, dat zag ik in zijn bank-app."
    entities = [{"entity": "payment_method", "value": "tikkie"}, {"entity": "payment_method", "value": "rekening"}]
    tracker = with_message(tracker_from, "greet", text, "inform", entities=entities, slots={"payment_method": "tikkie"})
    assert extract_updates(tracker).get("payment_method", "tikkie") == "tikkie"


def test_the_role_said_before_the_report_counts(tracker_from):
    """ "t gaat nie over mij" / "mn vriendin" / "iemand van roblox heeft foto van haar": the friend got the
    parents' tip (session 28, g_kort.yml)."""
    from action_helpers import user_event

    tracker = with_message(
        tracker_from,
        "greet",
        "iemand van roblox heeft foto van haar in ondergoed",
        "report_on_behalf",
        slots={"writer": None},
    )
    event, _ = user_event("mn vriendin", "inform", [])
    tracker.events.insert(len(tracker.events) - 1, event)
    updates = extract_updates(tracker)
    assert updates["writer"] == "on_behalf" and updates["writer_role"] == "peer"


def test_a_number_wanted_is_money(tracker_from):
    tracker = with_message(
        tracker_from, "greet", "wil 250. paypal. voor 12 uur", "inform", entities=[], slots={"demand_type": None}
    )
    assert extract_updates(tracker).get("amount_demanded") == 250


def test_a_new_bare_amount_after_a_money_demand(tracker_from):
    """ "nu 800. voor maandag." after "200 betaald. bitcoin." held no new demand (session 28, g_kort.yml)."""
    held = {"demand_type": "money", "paid": True, "amount_paid": 200.0}
    tracker = with_message(tracker_from, "greet", "nu 800. voor maandag.", "inform", entities=[], slots=held)
    assert extract_updates(tracker).get("amount_demanded") == 800
    pictures = with_message(
        tracker_from, "greet", "nu 800. voor maandag.", "inform", entities=[], slots={"demand_type": "more_images"}
    )
    assert "amount_demanded" not in extract_updates(pictures)  # no money asked: a bare number is no euros


def test_a_corrected_amount_replaces_the_one_held(tracker_from):
    """ "het was in totaal 150 euro, niet 100" after 100 paid became 150 *demanded* (session 28)."""
    text = "Wacht, ik kijk nu in mijn mail: het was in totaal 150 euro, niet 100. Ik was een kaart van 50 vergeten."
    entities = [{"entity": "amount", "value": v} for v in ("150", "100", "50")]
    held = {"amount_paid": 100.0, "amount_demanded": 400.0, "paid": True}
    updates = extract_updates(with_message(tracker_from, "greet", text, "out_of_scope", entities=entities, slots=held))
    assert updates.get("amount_paid") == 150 and "amount_demanded" not in updates
    text = "En ik zie dat ik 2500 schreef: het is 1500, ik heb het net teruggelezen."
    entities = [{"entity": "amount", "value": v} for v in ("2500", "1500")]
    tracker = with_message(
        tracker_from, "greet", text, "nlu_fallback", entities=entities, slots={"amount_demanded": 2500.0}
    )
    updates = extract_updates(tracker)
    assert updates.get("amount_demanded") == 1500 and "amount_paid" not in updates


def test_a_corrected_deadline_is_the_later_one(tracker_from):
    """ "hij zei vrijdag.. nee wacht het was zaterdag" held no deadline (session 28, f_luisteren.yml)."""
    text = "hij zei vrijdag.. nee wacht het was zaterdag ik keek verkeerd"
    held = {"demand_type": "more_images", "writer": "victim"}
    tracker = with_message(tracker_from, "report_payment_demand", text, "out_of_scope", entities=[], slots=held)
    assert extract_updates(tracker).get("deadline") == "zaterdag"


@pytest.mark.parametrize(
    "text,tagged,deadline",
    [
        ("Eerst zei hij vrijdag, nu ineens morgen 12 uur", ["vrijdag", "morgen"], "morgen 12 uur"),
        ("eerst was het zaterdag maar nu wil hij het vanavond", ["zaterdag", "vanavond"], "vanavond"),
        ("hij zei vrijdag.. nee wacht het was zaterdag", ["vrijdag", "zaterdag"], "zaterdag"),
        # no change told: both stay, as written ("voor vanavond" is one deadline tagged in two)
        ("voor vanavond", ["voor", "vanavond"], "voor vanavond"),
        # the time after the change was not tagged: the time written there (session 35, Intel kind)
        ("eerst vrijdag, nu ineens morgen", ["vrijdag"], "morgen"),
        ("hij zei vrijdag.. nee wacht het was zaterdag ik keek verkeerd", ["vrijdag"], "zaterdag"),
        # no time after the change: the tag stays
        ("eerst vrijdag, nu wil hij meer", ["vrijdag"], "vrijdag"),
    ],
)
def test_a_moved_deadline_is_the_later_one(tracker_from, text, tagged, deadline):
    """ "Eerst zei hij vrijdag, nu ineens morgen 12 uur" held "vrijdag morgen" (q_gaandeweg.yml, session 34)."""
    entities = [{"entity": "deadline", "value": v} for v in tagged]
    held = {"demand_type": "money", "amount_demanded": 750.0, "writer": "victim"}
    tracker = with_message(tracker_from, "report_payment_demand", text, "inform", entities=entities, slots=held)
    assert extract_updates(tracker).get("deadline") == deadline


def test_the_writers_own_age_is_not_the_age_of_the_one_they_write_for(tracker_from):
    """A boyfriend's "ik ben 17 ik kan dit toch ook zelf regelen voor haar" made his girlfriend of 16 17
    (r_omstanders.yml, session 35)."""
    held = {"writer": "on_behalf", "age": 16.0, "age_group": "under_18"}
    text = "ik ben 17 ik kan dit toch ook zelf regelen voor haar"
    tracker = with_message(
        tracker_from, "report_payment_demand", text, "inform", entities=[{"entity": "age", "value": "17"}], slots=held
    )
    assert "age" not in extract_updates(tracker)
    both = "ze is 15, ik ben 17"
    tracker = with_message(tracker_from, "report_payment_demand", both, "inform", entities=[], slots=held)
    assert extract_updates(tracker).get("age") == 15
    # someone writing about themself: their age
    victim = with_message(
        tracker_from, "report_payment_demand", "ik ben 14 btw", "inform", entities=[], slots={"writer": "victim"}
    )
    assert extract_updates(victim).get("age") == 14


def test_more_demands_and_times_told_in_other_words(tracker_from):
    """r_omstanders.yml (session 35): "als ze niet terugkomt bij hem" is a demand for the relationship; "voor de
    camera moet gaan zitten" a webcam demand; "Vanavond zat hij te huilen" is when it was told, no deadline;
    "zal ik die hele chat naar mezelf doorsturen? ... de fotos staan er wel in" is no spread."""
    back = "nu zegt hij als ze niet terugkomt bij hem zet hij het online en stuurt hij het naar haar ouders"
    tracker = with_message(tracker_from, "report_payment_demand", back, "report_blackmail", entities=[])
    assert extract_updates(tracker).get("demand_type") == "relationship"
    cam = "Nu zegt dat meisje dat hij voor de camera moet gaan zitten en dingen moet doen. Anders stuurt zij de foto's naar zijn school."
    fotos = [{"entity": "demand", "value": "foto's"}]
    tracker = with_message(tracker_from, "report_payment_demand", cam, "report_blackmail", entities=fotos)
    assert extract_updates(tracker).get("demand_type") == "webcam"
    again = with_message(
        tracker_from, "report_payment_demand", cam, "report_blackmail", entities=fotos, slots={"demand_type": "webcam"}
    )
    assert extract_updates(again).get("demand_type", "webcam") == "webcam"  # the second read of the turn
    cried = "Mijn kleinzoon logeert deze week bij mij. Hij is 17 jaar. Vanavond zat hij te huilen op zijn kamer."
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        cried,
        "report_on_behalf",
        entities=[{"entity": "deadline", "value": "vanavond"}],
    )
    assert "deadline" not in extract_updates(tracker)
    tracker = with_message(tracker_from, "report_payment_demand", "wil geld", "report_payment_demand", entities=[])
    assert extract_updates(tracker).get("demand_type") == "money"  # g_kort.yml on session 35's kind
    held = {"demand_type": "more_images"}
    tracker = with_message(
        tracker_from, "report_payment_demand", "wil geld", "report_payment_demand", entities=[], slots=held
    )
    assert extract_updates(tracker).get("demand_type") == "money"
    ask = "zal ik die hele chat naar mezelf doorsturen? dan heb ik het bewijs ook. de fotos staan er wel in"
    tracker = with_message(tracker_from, "report_payment_demand", ask, "report_images_shared", entities=[])
    tracker.latest_message["intent"]["confidence"] = 0.35
    assert "material_spread" not in extract_updates(tracker)


def test_the_persons_own_sending_is_no_spread(tracker_from):
    """ "ik heb hem gister een foto in mn ondergoed gestuurd" and, after the threat, "ik heb er vandaag toch nog 1
    gestuurd" (read as already spread) got the removal help (a live try, session 35)."""
    for text in ("ik heb hem gister een foto in mn ondergoed gestuurd", "ik heb er vandaag toch nog 1 gestuurd"):
        tracker = with_message(tracker_from, "report_payment_demand", text, "report_images_shared", entities=[])
        assert "material_spread" not in extract_updates(tracker), text
    spread = with_message(
        tracker_from,
        "report_payment_demand",
        "hij heeft mn foto naar mn klas gestuurd",
        "report_images_shared",
        entities=[],
    )
    assert extract_updates(spread).get("material_spread") is True


def test_how_long_ago_is_no_deadline(tracker_from):
    """ "Hij reageert nu helemaal niet meer. Al een uur niks." held the deadline "een uur" (m_wending.yml on
    session 35's kind); "vannacht nog" after the demand is the deadline (g_kort.yml, the same kind)."""
    text = "Hij reageert nu helemaal niet meer. Al een uur niks."
    held = {"demand_type": "money", "amount_demanded": 1200.0, "writer": "victim"}
    entities = [{"entity": "deadline", "value": "een uur"}]
    tracker = with_message(tracker_from, "report_payment_demand", text, "ask_block", entities=entities, slots=held)
    assert "deadline" not in extract_updates(tracker)
    tracker = with_message(tracker_from, "report_payment_demand", "vannacht nog", "inform", entities=[], slots=held)
    assert extract_updates(tracker).get("deadline") == "vannacht"
    # "binnen een uur" stays a deadline
    entities = [{"entity": "deadline", "value": "binnen een uur"}]
    tracker = with_message(
        tracker_from, "report_payment_demand", "hij wil het binnen een uur", "inform", entities, slots=held
    )
    assert extract_updates(tracker).get("deadline") == "binnen een uur"


def test_a_count_of_pictures_is_no_money_and_a_video_call_no_demand(tracker_from):
    """ "... ze heeft er 1 gestuurd en nu zegt hij dat hij die anders naar haar klas stuurt" (report_payment_demand
    1.00) held a money demand; "tinder match. videocall." held a webcam demand, which kept the money demand
    told later out (session 35, Intel kind: c_anderen.yml, g_kort.yml)."""
    text = "een of andere gast wil dat ze meer filmpjes stuurt. ze heeft er 1 gestuurd en nu zegt hij dat hij die anders naar haar klas stuurt"
    tracker = with_message(tracker_from, "report_payment_demand", text, "report_payment_demand", entities=[])
    assert extract_updates(tracker).get("demand_type") != "money"
    for more in ("hij wil er nog 3 & anders", "nu zegt hij dat hij hem naar mn klas stuurt als ik er geen meer stuur"):
        tracker = with_message(tracker_from, "report_payment_demand", more, "report_payment_demand", entities=[])
        assert extract_updates(tracker).get("demand_type") == "more_images", more  # live tries, session 35
    tracker = with_message(
        tracker_from, "report_payment_demand", "hij wil er nog 30 euro", "report_payment_demand", entities=[]
    )
    assert extract_updates(tracker).get("demand_type") == "money"
    call = [{"entity": "demand", "value": "videocall"}]
    tracker = with_message(tracker_from, "report_payment_demand", "tinder match. videocall.", "inform", entities=call)
    assert "demand_type" not in extract_updates(tracker)
    wants = with_message(tracker_from, "report_payment_demand", "hij wil een videocall", "inform", entities=call)
    assert extract_updates(wants).get("demand_type") == "webcam"


def test_an_age_is_no_money(tracker_from):
    """ "Een leerling, een meisje van 13, ... als zij geen nieuwe foto's stuurt" (report_on_behalf 0.91, no demand
    tagged) held a money demand: the 13 counted as money, and the first script said "Niet betalen" to a mentor
    (r_omstanders.yml on session 36's kind)."""
    text = (
        "Een leerling, een meisje van 13, liet mij vanmiddag na de les een bericht op Instagram zien. Iemand dreigt "
        "een foto van haar in ondergoed naar haar klasgenoten te sturen als zij geen nieuwe foto's stuurt."
    )
    ents = [{"entity": "age", "value": "13"}, {"entity": "platform", "value": "instagram"}]
    updates = extract_updates(with_message(tracker_from, "report_on_behalf", text, "report_on_behalf", entities=ents))
    assert updates.get("demand_type") == "more_images" and updates.get("age") == 13
    money = "mijn zoon van 13 wordt afgeperst, iemand wil geld van hem"
    updates = extract_updates(with_message(tracker_from, "report_on_behalf", money, "report_on_behalf", entities=[]))
    assert updates.get("demand_type") == "money"


def test_a_spread_reading_of_a_demand_is_no_spread(tracker_from):
    """ "hij wil het morgen hebben" read as report_images_shared (0.58) held "already spread"; "jongen
    heeft mn pics" (0.90) got "de beelden zijn al verspreid" (session 28, f_luisteren.yml, g_kort.yml)."""
    for text in ("hij wil het morgen hebben", "jongen heeft mn pics", "iemand heeft n foto van mij"):
        tracker = with_message(tracker_from, "report_payment_demand", text, "report_images_shared")
        assert "material_spread" not in extract_updates(tracker), text
    spread = with_message(
        tracker_from, "report_payment_demand", "hij heeft mn pics in de groep gezet", "report_images_shared"
    )
    assert extract_updates(spread)["material_spread"] is True


def test_not_knowing_how_many_saw_it_is_still_spread(tracker_from):
    """ "... een reactie met een link naar het filmpje. Ik heb die reactie meteen verwijderd, maar ik weet
    niet hoeveel mensen het gezien hebben" held no spread (session 28, f_luisteren.yml)."""
    text = (
        "Vanochtend stond er onder een foto van mij op Facebook een reactie met een link naar het filmpje. "
        "Ik heb die reactie meteen verwijderd, maar ik weet niet hoeveel mensen het gezien hebben."
    )
    tracker = with_message(tracker_from, "report_payment_demand", text, "report_images_shared")
    assert extract_updates(tracker).get("material_spread") is True
    unsure = with_message(tracker_from, "report_payment_demand", "idk of het al rondgaat", "report_images_shared")
    assert "material_spread" not in extract_updates(unsure)


def test_where_images_would_go_is_not_the_platform():
    assert not platform_in_context("linkedin", "hij dreigt het naar mn collega's op linkedin te sturen")
    # where he looked people up (session 28, f_luisteren.yml: Tinder became LinkedIn)
    looked_up = "We zijn van Tinder naar videobellen gegaan. Mijn collega's heeft hij al opgezocht op LinkedIn."
    assert not platform_in_context("linkedin", looked_up) and platform_in_context("tinder", looked_up)
    assert platform_in_context("insta", "ik heb hem gevonden op insta")
    # where he found the person's own account (session 29, h_nacht.yml and i_anders.yml: Grindr became
    # Facebook, and LinkedIn)
    found = "Via Grindr contact gehad met iemand. Nu heeft hij mijn gezicht erbij en mijn facebook gevonden."
    assert not platform_in_context("facebook", found) and platform_in_context("grindr", found)
    assert not platform_in_context("linkedin", "Hij had mijn LinkedIn gevonden.")
    assert platform_in_context("insta", "hij stuurde me een dm op mijn insta")
    assert platform_in_context("tinder", "ik leerde hem kennen op tinder")
    # a hacked account is where it happens: the account to get back and to report (q_gaandeweg.yml,
    # session 34: Messenger, named later, was held instead of Facebook)
    assert platform_in_context("facebook", "Mijn Facebook account is gehackt en ik kan niet meer inloggen.")
    assert platform_in_context("insta", "hij heeft mn insta gehackt")


# --- denial of suicidal thoughts ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "ik denk niet aan zelfmoord. Mijn vraag is: moet ik betalen of niet?",
        "nee ik ga mezelf niks aandoen ... kan dat filmpje nog weg??",
        "ik wil niet dood ofzo",
        # a correction before the bot asked anything (found by playing a conversation, session 12)
        "Nee, ik bedoel niet dat ik mezelf iets wil aandoen. Ik weet gewoon niet wat ik moet doen.",
        "het is niet dat ik dood wil, ik wil alleen dat het stopt",
    ],
)
def test_a_denial_is_no_suicidal_language(text):
    assert denies_suicidal(text) and not is_suicidal(text)


@pytest.mark.parametrize(
    "text",
    [
        "ik denk niet aan zelfmoord maar ik wil wel dood",
        "ik wil dood",
        "ik ga mezelf niks aandoen maar ik wil er niet meer zijn",
        "ik zeg niet dat ik dood wil, maar eigenlijk wel",
        "nee ik bedoel niet dat ik dood wil maar ik wil er niet meer zijn",
    ],
)
def test_suicidal_language_next_to_a_denial_still_counts(text):
    assert is_suicidal(text) and not denies_suicidal(text)


def test_questions_are_recognised_without_a_question_mark():
    assert looks_like_question("hoe werkt dat") and looks_like_question("kan dat?") and not looks_like_question("ok")


@pytest.mark.parametrize(
    "text,spread",
    [
        ("hij heeft het al naar mn beste vriendin gestuurd", True),
        ("het staat op zo'n pornosite", True),
        ("mijn ex heeft een filmpje van mij in een groepsapp gezet", True),
        ("anders stuurt hij het naar mn vrienden", False),
        ("ik heb hem een foto gestuurd", False),
        ("hij heeft me net een screenshot gestuurd", False),
        ("ze hebben nog niks verstuurd", False),
        # the threat, not news (session 28, f_luisteren.yml: got the removal help)
        ("hij zei voor 12 uur vannacht anders gaat het rond", False),
        ("als ik niet betaal dan gaat het online", False),
        ("het gaat rond op school", True),
        ("heeft er al 1 naar n vriend van me gestuurd", True),  # no subject, as people chat (session 28)
    ],
)
def test_spread_is_read_from_the_words(text, spread):
    from bot.language.text_facts import says_spread

    assert says_spread(text) is spread


@pytest.mark.parametrize(
    "text,denied",
    [
        ("nee voor zover ik weet hebben ze nog niks verstuurd", True),
        ("hij heeft het nog niet gedeeld", True),
        ("ik heb niks verstuurd", False),
    ],
)
def test_spread_denials(text, denied):
    from bot.language.text_facts import denies_spread

    assert denies_spread(text) is denied


@pytest.mark.parametrize(
    "text,age",
    [
        ("34", 34),
        ("ik ben trouwens 16", 16),
        ("sorry ik ben 17", 17),
        ("300", None),
        ("ik heb 20 euro betaald", None),
        ("hij is 13 jaar", 13),
    ],
)
def test_an_age_is_not_an_amount(text, age):
    from bot.language.text_facts import age_in_text

    assert age_in_text(text) == age


def test_the_demand_heard_and_a_correction(tracker_from):
    from bot.language.text_facts import heard_demand, not_about_money

    assert heard_demand("hij wil dat ik zaterdag naar hem toe kom") == "meeting"
    assert heard_demand("hij wil meer fotos") == "more_images" and heard_demand("hij heeft mn fotos") is None
    assert not_about_money("ik heb nog niks gezegd over geld") and not not_about_money("hij wil 500 euro")
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        "hij wil geen geld hij wil mij",
        "inform",
        slots={"demand_type": "money", "amount_demanded": 300.0},
    )
    updates = extract_updates(tracker)
    assert updates["demand_type"] == "meeting" and updates["amount_demanded"] is None


def test_news_read_as_a_question_still_gets_its_advice(tracker_from, dispatcher, domain):
    """A mentor: "leerlingen hebben de foto al in een groepsapp gezien" (classified ask_other) got
    "Prima. Heb je nog een vraag?" instead of removal help."""
    text = "ik hoorde net van een collega dat er leerlingen zijn die de foto al in een groepsapp hebben gezien"
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        text,
        "ask_other",
        slots={"stage": "after", "topics_done": ["ack", "script"], "material_spread": True},
    )
    tracker.events.append({"event": "slot", "name": "material_spread", "value": True})
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert "verwijder" in joined(dispatcher).lower() or "offline" in joined(dispatcher).lower()


def test_a_shamed_child_is_not_the_extorter_and_the_police_question_stays_one():
    assert question_topic("Wat moet ik tegen hem zeggen, hij schaamt zich zo") == "shame"
    assert question_topic("hij schaamt zich kapot en wil niet naar de politie. is dat nodig?") != "shame"
    assert question_topic("wat moet ik tegen hem zeggen") != "shame"


@pytest.mark.parametrize(
    "text",
    [
        "Goedenavond, ik ben een oma en mijn kleinzoon logeert bij mij",
        "ik ben docent en heb een vraag over een leerling",
    ],
)
def test_someone_starting_to_tell_about_a_child_is_invited_to_tell_more(tracker_from, dispatcher, domain, text):
    """The grandmother's first message got "Daar kan ik je helaas niet goed mee helpen" (session 13)."""
    tracker = with_message(tracker_from, "report_payment_demand", text, "out_of_scope", slots={"stage": None})
    ActionOutOfScope().run(dispatcher, tracker, domain)
    assert "helaas" not in joined(dispatcher) and "vertel" in joined(dispatcher).lower()
    plain = with_message(
        tracker_from,
        "report_payment_demand",
        "mijn vriend en ik hebben ruzie over geld",
        "out_of_scope",
        slots={"stage": None, "platform": None},
    )
    dispatcher.messages.clear()
    ActionOutOfScope().run(dispatcher, plain, domain)
    assert "vertel me maar" not in joined(dispatcher).lower()


def test_the_first_piece_of_a_story_is_invited_to_go_on(tracker_from, dispatcher, domain):
    """ "onbekend nummer op whatsapp" after "hey" got "Sorry, daar weet ik niet genoeg van" (session 28, g_kort.yml)."""
    text = "onbekend nummer op whatsapp"
    tracker = with_message(
        tracker_from, "report_payment_demand", text, "out_of_scope", slots={"stage": None, "platform": "whatsapp"}
    )
    ActionOutOfScope().run(dispatcher, tracker, domain)
    assert "niet genoeg van" not in joined(dispatcher) and "vertel" in joined(dispatcher).lower()


@pytest.mark.parametrize(
    "text, crisis_line",
    [
        ("ik weet niet of ik hier goed zit maar ik heb een mail gekregen van de ING", False),
        ("mijn vriend en ik hebben ruzie over geld", False),
        ("ik wil er gewoon niet meer zijn maar goed, hoe laat is het", True),  # a risk word: 113 stays
        ("het maakt allemaal niks meer uit, ik heb alles geregeld", True),
    ],
)
def test_out_of_scope_names_113_only_with_a_risk_word(tracker_from, dispatcher, domain, text, crisis_line):
    """A phishing mail got "Denk je aan zelfdoding?" (conversation suite, session 15); a message with
    a word of death, ending or an arrangement that reached this answer keeps 113 (issue 12)."""
    tracker = with_message(tracker_from, "report_payment_demand", text, "out_of_scope", slots={"stage": None})
    ActionOutOfScope().run(dispatcher, tracker, domain)
    assert ("113" in joined(dispatcher)) is crisis_line


def test_a_question_about_the_cost_of_the_chat_is_not_taken_from_a_demand(tracker_from, dispatcher, domain):
    """ "Is dit gratis?" is about the service (session 24); the same words beside what someone wants
    are about the extorter's demand and must not get "ja, deze chat is gratis"."""
    for text in ["Is dit gratis?", "kost het geld om deze chat te gebruiken?", "moet ik hiervoor betalen?"]:
        assert question_topic(text) == "cost", text
    for text in [
        "is dit gratis of moet ik betalen want hij wil 50 euro",
        "moet ik ervoor betalen?",
        "hij zegt dat het niet gratis is als ik de fotos terug wil",
        "kost het veel om die kaart te kopen die hij wil",
    ]:
        assert question_topic(text) != "cost", text
    tracker = with_message(tracker_from, "report_payment_demand", "is dit gratis?", "ask_other")
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    answer = joined(dispatcher)
    assert "gratis" in answer and "anoniem" in answer and "0800-0432" in answer and "{" not in answer


def test_a_number_paid_over_is_money(tracker_from):
    """ "als ik geen 150 overmaak" held no amount (session 28, g_kort.yml)."""
    text = "als ik geen 150 overmaak"
    tracker = with_message(tracker_from, "greet", text, "inform", entities=[], slots={"demand_type": None})
    updates = extract_updates(tracker)
    assert updates.get("amount_demanded") == 150 and updates.get("demand_type") == "money"


@pytest.mark.parametrize(
    "text",
    [
        "als ik de politie bel stopt hij dan?",
        "moet ik de foto sturen of niet",
        "kan ik gaan slapen",
        "ik heb hem al geblokt",
    ],
)
def test_session_29_topics_stay_off_look_alikes(text):
    assert question_topic(text) not in ("give_in_once", "intent_ask_should_pay", "block_notice")


def test_a_real_photo_with_a_face_is_no_deepfake():
    """ "foto's uitgewisseld, ook met mijn gezicht erop" made the case say deepfake and gave the deepfake
    text instead of the script (session 29, i_anders.yml); a face put on a body still is one."""
    from bot.language.text_facts import is_deepfake

    assert not is_deepfake("We hebben foto's uitgewisseld, ook met mijn gezicht erop.")
    assert is_deepfake("mn gezicht is van mn profielfoto geknipt ofzo en op iemand anders zn lichaam gezet")
    assert is_deepfake("ze hebben mijn gezicht op een naakt lichaam gezet")
    assert is_deepfake("mijn gezicht erop geplakt")


def test_more_pictures_demanded_in_chat_words():
    from bot.language.text_facts import heard_demand

    text = "nu zegt hij dat ik er nog meer moet sturen anders stuurt hij hem naar iedereen van mn klas"
    assert heard_demand(text) == "more_images"
    assert heard_demand("ik heb er nog meer gemaakt") is None
    assert heard_demand("hij stuurt het naar mijn ouders als ik niet bij hem terug kom") == "relationship"


def test_a_raised_amount_after_the_script_gets_dont_pay_again(tracker_from):
    """ "nu wil hij 1500" after 500 (nothing paid) gets "Betaal niet" again, once (session 29)."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions.common import Reply, new_demand_now
    from actions.script import new_topics

    held = {"demand_type": "money", "amount_demanded": 1500.0, "topics_done": ["script", "demand:money", "intro"]}
    tracker = with_message(tracker_from, "greet", "nu wil hij 1500", "report_payment_demand", entities=[], slots=held)
    idx = max(i for i, e in enumerate(tracker.events) if e.get("event") == "user")
    tracker.events.insert(idx, {"event": "slot", "name": "amount_demanded", "value": 500.0})
    tracker.events.append({"event": "slot", "name": "amount_demanded", "value": 1500.0})
    assert new_demand_now(tracker)
    dispatcher = CollectingDispatcher()
    new_topics(Reply(dispatcher, tracker))
    assert "Betaal niet" in joined(dispatcher)
    tracker.events.append(
        {"event": "slot", "name": "topics_done", "value": held["topics_done"] + ["demand:again:1500.0"]}
    )
    tracker.slots["topics_done"] = held["topics_done"] + ["demand:again:1500.0"]
    dispatcher = CollectingDispatcher()
    new_topics(Reply(dispatcher, tracker))
    assert "Betaal niet" not in joined(dispatcher)
    user = max(i for i, e in enumerate(tracker.events) if e.get("event") == "user")
    tracker.events.insert(user, {"event": "slot", "name": "amount_demanded", "value": 1500.0})
    assert not new_demand_now(tracker)  # the same amount again is no new demand


def test_a_report_inside_a_suicidal_first_message_says_who_is_extorted(tracker_from):
    """The crisis reading of a first message that also tells the threat left the writer unknown in the
    counsellor's case (session 29, h_nacht.yml)."""
    text = (
        "iemand op insta heeft een video van mij en ze wil 500 euro voor 7 uur anders stuurt ze t naar "
        "iedereen. ik wil echt niet meer leven"
    )
    tracker = with_message(tracker_from, "greet", text, "express_suicidal", entities=[], slots={"writer": None})
    assert extract_updates(tracker).get("writer") == "victim"
    plain = with_message(tracker_from, "greet", "ik wil niet meer leven", "express_suicidal", slots={"writer": None})
    assert "writer" not in extract_updates(plain)


def test_someone_elses_image_received_is_a_receiver_even_when_read_as_blackmail(tracker_from):
    """ "wat moet je doen als je een naaktfoto van iemand anders krijgt? het gaat niet over mij" was read
    as report_blackmail and got the victim's script, "Betaal niet" included (session 29, i_anders.yml)."""
    text = "wat moet je doen als je een naaktfoto van iemand anders krijgt? het gaat niet over mij"
    tracker = with_message(tracker_from, "greet", text, "report_blackmail", entities=[], slots={"writer": None})
    assert extract_updates(tracker).get("writer") == "receiver"
    own = "ik heb een naaktfoto van een jongen gekregen en nu wil hij dat ik er ook een van mij stuur"
    tracker = with_message(tracker_from, "greet", own, "report_blackmail", entities=[], slots={"writer": None})
    assert extract_updates(tracker).get("writer") != "receiver"


def test_a_receiver_telling_more_gets_the_steps_once_more(tracker_from, domain):
    """After the receiver's advice, more of the story got only "Goed dat je dat zegt" (session 29)."""
    from rasa_sdk.executor import CollectingDispatcher

    text = "iemand heeft in onze groepsapp een foto van een meisje uit mijn klas gezet. ze is helemaal bloot"
    slots = {"writer": "receiver", "topics_done": ["intro", "receiver"]}
    tracker = with_message(tracker_from, "greet", text, "report_received_image", entities=[], slots=slots)
    dispatcher = CollectingDispatcher()
    ActionReport().run(dispatcher, tracker, domain)
    said = joined(dispatcher)
    assert "niet door" in said and "Meld" in said and "Betaal" not in said


def test_news_inside_a_question_gets_its_advice_too(tracker_from, dispatcher, domain):
    """ "Sorry, ik was even weg. Ik heb het toch gedaan. Net 250 overgemaakt." got only "Ja, ik ben er"
    (session 31, m_wending.yml): the payment gets its advice after the topic's answer."""
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        "Sorry, ik was even weg. Ik heb het toch gedaan. Net 250 overgemaakt. Ik wist niet wat ik anders moest.",
        "ask_other",
        slots={"stage": "script", "topics_done": ["ack", "script"], "demand_type": "money", "amount_demanded": 250.0},
    )
    ActionAnswerQuestion().run(dispatcher, extracted(tracker), domain)
    said = joined(dispatcher).lower()
    assert "ik ben er" in said and "bank" in said and "betaal" in said


def test_news_with_an_unknown_question_gets_the_advice_not_dat_weet_ik_niet(tracker_from, dispatcher, domain):
    """ "WACHT hij heeft het net naar mn beste vriendin gestuurd wat nu???" got "Dat weet ik niet zeker"
    before the removal help (session 31, a live try): the news' advice answers "wat nu"."""
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        "WACHT hij heeft het net naar mn beste vriendin gestuurd wat nu???",
        "ask_other",
        slots={"stage": "script", "topics_done": ["ack", "script"], "demand_type": "money"},
    )
    ActionAnswerQuestion().run(dispatcher, extracted(tracker), domain)
    said = joined(dispatcher)
    assert "Take It Down" in said and "weet ik niet zeker" not in said
    dispatcher.messages.clear()
    # a question with no topic and no news still gets the honest answer
    plain = with_message(
        tracker_from,
        "report_payment_demand",
        "hoe werkt de blockchain eigenlijk?",
        "ask_other",
        slots={"stage": "script", "topics_done": ["ack", "script"], "demand_type": "money"},
    )
    ActionAnswerQuestion().run(dispatcher, extracted(plain), domain)
    assert "weet ik niet zeker" in joined(dispatcher)


@pytest.mark.parametrize("text", ["ok ik ga naar beneden naar mn moeder", "ok. ik ga morgen naar de politie denk ik"])
def test_a_plan_after_a_crisis_names_113_again(tracker_from, dispatcher, domain, text):
    # A plan is often the last message of the night (n_crisis.yml, session 32); after suicidal
    # language the answer names 113 once more, as the thanks and the closing do.
    crisis = with_message(tracker_from, "report_payment_demand", text, "inform", slots={"suicide_risk": True})
    ActionAnswerQuestion().run(dispatcher, crisis, domain)
    assert "113" in joined(dispatcher)
    dispatcher.messages.clear()
    calm = with_message(tracker_from, "report_payment_demand", text, "inform")
    ActionAnswerQuestion().run(dispatcher, calm, domain)
    assert "113" not in joined(dispatcher) and joined(dispatcher)


def test_a_should_i_pay_question_read_as_a_report_after_the_script_gets_dont_pay(tracker_from, dispatcher, domain):
    # "moet ik gwn betalen?" read as report_paid (0.64) after the script got tips and questions, no
    # "betaal niet" (h_nacht.yml, session 32)
    text = "maar wat moet ik nou met die video. moet ik gwn betalen? ik heb maar 120 op mn rekening"
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        text,
        "report_paid",
        slots={"topics_done": ["ack", "script"], "stage": "script"},
    )
    ActionReport().run(dispatcher, tracker, domain)
    assert "Betaal niet" in joined(dispatcher) or "betaal niet" in joined(dispatcher).lower()


def test_sent_nothing_more_is_praised_only_when_a_demand_is_known(tracker_from, dispatcher, domain):
    # "ik heb het nog niet gedaan" as a first message got "Goed zo ... wat hij vraagt" (a live try, session 32)
    text = "ik heb het nog niet gedaan. en niks meer gestuurd sinds die ene"
    ActionAnswerQuestion().run(dispatcher, with_message(tracker_from, "greet", text, "ask_other"), domain)
    assert "Goed zo" not in joined(dispatcher) and "hij" not in joined(dispatcher)
    dispatcher.messages.clear()
    known = with_message(tracker_from, "greet", text, "ask_other", slots={"demand_type": "webcam"})
    ActionAnswerQuestion().run(dispatcher, known, domain)
    assert "Goed zo" in joined(dispatcher) and "videobellen" in joined(dispatcher)


def test_an_intent_topic_in_a_report_that_is_no_question_gets_the_nothing_new_ack(tracker_from, dispatcher, domain):
    # "de politie weet het al" matches the police question's pattern but asks nothing: it got
    # neither the police answer nor "Dank je. De belangrijkste stappen blijven ..." (session 32's
    # condition tested the topic, not whether an answer was given; fixed in session 33)
    slots = {"topics_done": ["ack", "script"], "stage": "script"}
    statement = with_message(
        tracker_from, "report_payment_demand", "de politie weet het al", "report_blackmail", slots=slots
    )
    ActionReport().run(dispatcher, statement, domain)
    said = joined(dispatcher)
    assert "belangrijkste stappen" in said or "Onthoud" in said
    assert "aangifte" not in said.lower()
    dispatcher.messages.clear()
    question = with_message(
        tracker_from, "report_payment_demand", "moet ik naar de politie?", "report_blackmail", slots=slots
    )
    ActionReport().run(dispatcher, question, domain)
    assert "politie" in joined(dispatcher).lower() and "belangrijkste stappen" not in joined(dispatcher)


def test_a_new_way_to_pay_and_not_having_paid_get_their_advice(tracker_from, dispatcher, domain):
    """A man writing Dutch as a second language (p_schrijfstijl.yml, session 33): "Ik heb nog niet betaald"
    got "Dank je, dat helpt.", and gift cards demanded after bitcoin got no "betaal niet"."""
    slots = {"topics_done": ["ack", "script"], "stage": "script", "demand_type": "money", "amount_demanded": 1000}
    told = extracted(
        with_message(
            tracker_from,
            "report_payment_demand",
            "Ik heb nog niet betaald. Ik heb ook geen bitcoin",
            "inform",
            slots=slots,
        )
    )
    ActionInform().run(dispatcher, told, domain)
    assert "Goed" in joined(dispatcher) and "niet hebt betaald" in joined(dispatcher)
    dispatcher.messages.clear()
    text = "Nu zij zegt ik moet gift card kopen dan, van de Apple. 4 kaart van 250"
    cards = extracted(with_message(tracker_from, "report_payment_demand", text, "inform", slots=slots))
    assert cards.slots.get("payment_method") == "giftcard" and cards.slots.get("paid") is not True
    ActionInform().run(dispatcher, cards, domain)
    assert "Koop geen cadeaukaarten" in joined(dispatcher) and "Betaal niet" in joined(dispatcher)
    dispatcher.messages.clear()
    # a payment made with a card is no new demand: its own advice (not "koop geen cadeaukaarten")
    paid = extracted(
        with_message(
            tracker_from, "report_payment_demand", "ik heb 250 betaald met een apple kaart", "report_paid", slots=slots
        )
    )
    ActionReport().run(dispatcher, paid, domain)
    assert "Koop geen cadeaukaarten" not in joined(dispatcher)


def test_a_webcam_demand_later_is_told_not_to_do_it(tracker_from, dispatcher, domain):
    # "nu wil hij dat ik het weer doe op kamera" got "Stuur niets meer" (p_schrijfstijl.yml, session 33)
    slots = {"topics_done": ["ack", "script"], "stage": "script"}
    text = "nu wil hij dat ik het weer doe op kamera anders gaat hij het ferspreiden op tiktok"
    tracker = extracted(with_message(tracker_from, "report_payment_demand", text, "report_blackmail", slots=slots))
    assert tracker.slots.get("demand_type") == "webcam"
    ActionReport().run(dispatcher, tracker, domain)
    assert "niet op in" in joined(dispatcher) and "camera" in joined(dispatcher)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("moet ik dan toch gaan vrijdag om het uit te praten hij is niet gevaarlijk denk ik", "Ga niet naar hem toe"),
        ("Maar als ik niet betalen, zij stuurt het. Zij heeft lijst van mijn vrienden", "echte angst"),
        ("moet ik de politie belle? krijg ik dan zelf ook straf omdat ik het gedaan heb", "Jij bent het slachtoffer"),
        ("hoe bewaar ik het bewijs want het zijn ook spraakberichten op whats app", "Noteer per bericht"),
        ("en aan gifte doen bij de politie heeft dat zin want het is mijn ex", "ook als het je ex is"),
        ("sorry ik spreek dit in want ik zit in de auto maar ik sta stil hoor", "geen sorry"),
        ("wat als hij het toch al naar mijn moeder heeft gestuurd en zij heeft het gezien", "echte angst"),
    ],
)
def test_questions_in_simple_or_spoken_dutch_get_their_topic(tracker_from, dispatcher, domain, text, words):
    """Voice-to-text and Dutch as a second language (p_schrijfstijl.yml, session 33)."""
    ActionAnswerQuestion().run(
        dispatcher, with_message(tracker_from, "report_payment_demand", text, "ask_other"), domain
    )
    assert words in joined(dispatcher)


def test_only_crying_emoji_get_a_listening_answer(tracker_from, dispatcher, domain):
    # "😭😭😭" got "Bedoel je: je beelden zijn al verspreid of online gezet?" (p_schrijfstijl.yml, session 33)
    from bot.language.question_topics import question_topic

    assert question_topic("😭😭😭") == "sad_emoji" and question_topic("👍") is None
    assert question_topic("😭 ik weet het niet") != "sad_emoji"
    ActionAnswerQuestion().run(
        dispatcher, with_message(tracker_from, "report_payment_demand", "😭😭😭", "ask_other"), domain
    )
    assert "verdriet" in joined(dispatcher) and "Bedoel je" not in joined(dispatcher)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("nu ff serieus ik zit echt in de shit", "says_in_trouble"),
        ("ik zit in de problemen denk ik", "says_in_trouble"),
        ("hallo ik heb een groot probleem", "says_in_trouble"),
        ("help ik zit zo erg in de nesten", "says_in_trouble"),
        ("ik zit niet in de problemen hoor", None),
        ("ik zit in de shit want hij heeft mn nudes en wil geld", None),
        ("ik heb een probleem met mn foto's", None),
    ],
)
def test_being_in_trouble_without_the_story_is_an_invitation_to_tell_it(text, topic):
    # "nu ff serieus ik zit echt in de shit" got the police text (ask_police 0.34; p_schrijfstijl.yml,
    # found in session 33): short news of trouble invites the story; a message with the story is not this
    from bot.language.question_topics import question_topic

    assert (question_topic(text) == "says_in_trouble") == (topic == "says_in_trouble")


def test_being_in_trouble_gets_an_invitation_not_the_police(tracker_from, dispatcher, domain):
    ActionAnswerQuestion().run(
        dispatcher, with_message(tracker_from, "greet", "nu ff serieus ik zit echt in de shit", "ask_other"), domain
    )
    text = joined(dispatcher)
    assert "Vertel maar" in text and "niet jouw schuld" in text and "politie" not in text


def test_facts_told_bit_by_bit_are_read_as_told(tracker_from):
    """q_gaandeweg.yml (session 34): stories that come out bit by bit, with corrections."""
    from bot.language.text_facts import classify_amounts, denies_spread, says_spread

    # "eerst wou hij 200 nu zegt ie 400" (report_paid 0.76) held 600 paid: a raised demand
    raised = "eerst wou hij 200 nu zegt ie 400 omdat ik hem geblokt had"
    assert classify_amounts(raised, ["200", "400"], "report_paid") == {"amount_demanded": 400.0}
    amounts = [{"entity": "amount", "value": "200"}, {"entity": "amount", "value": "400"}]
    slots = extract_updates(
        with_message(
            tracker_from, "report_paid", raised, "report_paid", entities=amounts, slots={"demand_type": "money"}
        )
    )
    assert slots.get("paid") is not True and slots.get("amount_demanded") == 400.0
    # gift-card codes sent are money, not the images spread
    assert not says_spread("Hij heeft al voor 50 euro aan kaarten gekocht en de codes gestuurd. Dat hoor ik nu pas.")
    # a "no" taken back with "maar"
    told = "en ik zei net dat hij ze niet rondgestuurd had maar hij heeft er al 1 naar mn nicht gestuurd"
    assert not denies_spread(told) and says_spread(told)
    assert denies_spread("hij heeft ze nog niet rondgestuurd")
    # the person's own sending, in a clause of its own, is no spread
    own = "Die persoon zegt dat hij al mijn berichten in Messenger heeft gelezen. Daar staan foto's in die ik vroeger naar mijn vrouw heb gestuurd. Intieme foto's."
    assert (
        extract_updates(with_message(tracker_from, "greet", own, "report_images_shared")).get("material_spread")
        is not True
    )
    # a meeting demand with "moet" between
    meeting = "hij zegt dat ik zaterdag naar zijn huis moet komen anders stuurt hij ze naar mn vader"
    assert (
        extract_updates(with_message(tracker_from, "greet", meeting, "report_blackmail")).get("demand_type")
        == "meeting"
    )
    # someone else's age is no amount
    age = "Hij heeft op Roblox iemand leren kennen die zei dat hij ook 12 was."
    assert (
        extract_updates(
            with_message(tracker_from, "greet", age, "inform", entities=[{"entity": "amount", "value": "12"}])
        ).get("amount_demanded")
        is None
    )
    # a "general question" that turns out to be about one's son
    son = "Eerlijk gezegd gaat het om mijn zoon. Hij is 12."
    assert (
        extract_updates(with_message(tracker_from, "greet", son, "inform", slots={"writer": "victim"}))["writer"]
        == "on_behalf"
    )
    mine = "het gaat om mijn vriend, hij heeft mijn nudes"
    assert (
        extract_updates(with_message(tracker_from, "greet", mine, "report_blackmail", slots={"writer": "victim"})).get(
            "writer", "victim"
        )
        == "victim"
    )


def test_the_police_question_after_paying_says_paying_changes_nothing(tracker_from, dispatcher, domain):
    slots = {"demand_type": "money", "paid": True, "amount_paid": 250.0}
    tracker = with_message(
        tracker_from, "report_paid", "Moet ik aangifte doen ook al heb ik betaald?", "ask_police", slots=slots
    )
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert "ook als je al hebt betaald" in joined(dispatcher)


def test_a_demand_and_its_deadline_told_later_are_read(tracker_from):
    """A mother: "... naar zijn klas stuurt als hij geen Roblox-kaarten koopt" (report_blackmail) got no
    "betaal niet"; "En nu wil hij nog 100 euro, voor zaterdag." (out_of_scope) held no deadline
    (q_gaandeweg.yml, session 34)."""
    told = "Nu zegt die persoon dat hij de foto's naar zijn klas stuurt als hij geen Roblox-kaarten koopt."
    slots = extract_updates(
        with_message(tracker_from, "greet", told, "report_blackmail", slots={"writer": "on_behalf"})
    )
    assert slots.get("demand_type") == "money"
    later = "En nu wil hij nog 100 euro, voor zaterdag."
    known = {"demand_type": "money", "stage": "script", "amount_paid": 50.0, "paid": True}
    slots = extract_updates(with_message(tracker_from, "report_paid", later, "out_of_scope", slots=known))
    assert "zaterdag" in (slots.get("deadline") or "")


def test_someone_pressing_to_come_hears_do_not_go(tracker_from, dispatcher, domain):
    text = "hij stuurt nu steeds berichten hoe laat ik moet komen"
    slots = {"demand_type": "meeting", "stage": "script"}
    ActionAnswerQuestion().run(dispatcher, with_message(tracker_from, "greet", text, "ask_other", slots=slots), domain)
    assert "Ga niet naar hem toe" in joined(dispatcher) and "112" in joined(dispatcher)


def test_a_person_named_in_a_farewell_is_no_audience_of_a_threat(tracker_from):
    """ "ik ben het zat allemaal. zorg goed voor mn moeder" held the mother as the audience, and the next
    answer said "Ik heb ook gelezen dat iemand je bedreigt" (a live try, session 34)."""
    mother = [{"entity": "audience", "value": "moeder"}]
    farewell = with_message(
        tracker_from, "greet", "ik ben het zat allemaal. zorg goed voor mn moeder", "express_suicidal", entities=mother
    )
    assert "audience" not in extract_updates(farewell)
    threat = with_message(
        tracker_from, "greet", "ik wil dood, hij stuurt het naar mn moeder", "express_suicidal", entities=mother
    )
    assert extract_updates(threat).get("audience") == ["family"]


def test_a_statement_before_any_story_gets_an_invitation_not_anything_else(tracker_from, dispatcher, domain):
    """ "ik weet niet meer wat ik moet doen, het heeft allemaal geen zin meer" (ask_other 0.32) got "Oké. Je
    kunt me alles vragen" as its second message (a live try, session 34)."""
    from bot.language.question_topics import question_topic

    text = "ik weet niet meer wat ik moet doen, het heeft allemaal geen zin meer"
    assert question_topic(text) == "says_in_trouble"
    statement = "het is allemaal zo raar gelopen vandaag"
    ActionAnswerQuestion().run(dispatcher, with_message(tracker_from, "greet", statement, "ask_other"), domain)
    said = joined(dispatcher)
    assert "Prima" not in said and "Je kunt me alles vragen" not in said and "Vertel" in said


def test_push_back_topics_keep_their_neighbours():
    """The new topics of session 36 come first in texts/question_topics.yml; what they must not take."""
    from bot.language.question_topics import complains, question_topic

    assert question_topic("dat weet ik al, maar moet ik aangifte doen?") != "not_listening"
    assert question_topic("is dit een bot of een echt persoon die me afperst") != "intent_bot_challenge"
    assert question_topic("ik ga gewoon slapen") != "will_pay_anyway"
    assert question_topic("ik betaal hem gewoon niks") != "will_pay_anyway"
    assert question_topic("ik ga morgen naar de politie") == "plan_police"
    assert question_topic("ik ben zo boos op hem") == "anger"
    assert complains("je luistert niet. ik wil niet weten wat ik niet moet doen, ik wil weten hoe ik hem laat stoppen")
    assert not complains("hoe laat ik hem stoppen")


def test_a_complaint_inside_the_questions_stops_them(tracker_from, dispatcher, domain):
    """ "ja dat weet ik allemaal al. dit is gwn een standaard antwoord" and "je luistert niet ..." while a case
    question was open got the next case question (s_tegenspraak.yml, session 36)."""
    from action_helpers import joined, with_message

    from actions.script import ActionAnswerQuestion

    text = "je luistert niet. ik wil niet weten wat ik niet moet doen, ik wil weten hoe ik hem laat stoppen"
    known = {"topics_done": ["greeting", "intro", "script"], "stage": "facts", "requested_slot": "paid"}
    tracker = with_message(tracker_from, "form_answer", text, "ask_other", slots=known)
    tracker.active_loop = {"name": "facts_form"}
    events = ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert {"event": "slot", "name": "questions_stopped", "value": True, "timestamp": None} in events or any(
        e.get("name") == "questions_stopped" and e.get("value") is True for e in events
    )
    assert "garantie" in joined(dispatcher)
    plain = with_message(tracker_from, "form_answer", "hoe laat ik hem stoppen?", "ask_other", slots=known)
    plain.active_loop = {"name": "facts_form"}
    assert not any(e.get("name") == "questions_stopped" for e in ActionAnswerQuestion().run(dispatcher, plain, domain))


def test_should_pay_read_for_a_demand_of_pictures_answers_that_demand(tracker_from, dispatcher, domain):
    """ "hij zegt ik moet het voor zaterdag sturen" (ask_should_pay 0.62) after a demand for a video got "Nee,
    betaal niet" (s_tegenspraak.yml, session 36)."""
    from action_helpers import joined, with_message

    from actions.script import ActionAnswerQuestion

    known = {"demand_type": "more_images", "topics_done": ["greeting", "intro", "script"], "stage": "after"}
    tracker = with_message(
        tracker_from, "greet", "hij zegt ik moet het voor zaterdag sturen", "ask_should_pay", slots=known
    )
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    said = joined(dispatcher)
    assert "niets sturen" in said and "etaal" not in said, said
    money = with_message(tracker_from, "greet", "moet ik hem 50 euro betalen?", "ask_should_pay", slots=known)
    from rasa_sdk.executor import CollectingDispatcher

    other = CollectingDispatcher()
    ActionAnswerQuestion().run(other, money, domain)
    assert "betaal niet" in joined(other).lower()


def test_no_topic_pattern_looks_for_punctuation():
    """The topics read the message without punctuation (normalise in bot/language/safety_phrases.py), so "(?!.*\\?)"
    ("not a question") never did anything in 12 patterns; they were taken out in session 36 (the same topics for
    every suite message before and after). A trainer who writes one again is told here."""
    import re

    for name, patterns in topics():
        for p in patterns:
            assert not re.search(r"\\[?.!,]", p.pattern), (name, p.pattern)


def test_facts_told_again_with_a_topic_get_the_topics_answer(tracker_from, dispatcher, domain):
    """ "Hij appt nu: 'vanavond om 10 uur bel ik, neem op of het gaat naar je directeur'" (out of scope) set the
    deadline, whose text was said before, and got only "Dank je, dat helpt." (s_tegenspraak.yml, session 36)."""
    from action_helpers import extracted, joined, with_message

    from actions.script import ActionInform

    text = "Hij appt nu: 'vanavond om 10 uur bel ik, neem op of het gaat naar je directeur'"
    known = {
        "demand_type": "webcam",
        "writer": "victim",
        "stage": "after",
        "topics_done": ["greeting", "intro", "script", "deadline", "platform_tips", "demand:images"],
        "advice_given": ["dont_pay", "keep_evidence", "stop_block_report", "platform_tips"],
    }
    ents = [{"entity": "deadline", "value": "vanavond om 10 uur"}]
    tracker = extracted(with_message(tracker_from, "greet", text, "out_of_scope", ents, slots=known))
    ActionInform().run(dispatcher, tracker, domain)
    said = joined(dispatcher)
    assert "Neem niet op" in said and "screenshot" in said, said


def test_a_nude_passed_on_before_any_threat_gets_help_not_out_of_scope(tracker_from, dispatcher, domain):
    """ "en nu blijkt dat ze m heeft doorgestuurd naar een jongen uit de 4e. ze zegt dat het een grapje was" (out of
    scope 0.83, the second message) got "Daar kan ik je helaas niet goed mee helpen" (r_omstanders.yml, session 36)."""
    from action_helpers import extracted, joined, with_message

    from actions.script import ActionOutOfScope

    text = "en nu blijkt dat ze m heeft doorgestuurd naar een jongen uit de 4e. ze zegt dat het een grapje was"
    tracker = extracted(with_message(tracker_from, "greet", text, "out_of_scope", slots={"writer": "victim"}))
    assert tracker.slots.get("material_spread") is True
    ActionOutOfScope().run(dispatcher, tracker, domain)
    said = joined(dispatcher)
    assert "niet goed mee helpen" not in said and "verwijderd" in said and "etaal" not in said, said
