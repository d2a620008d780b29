"""Texts of the chat API (errors and notices the web app itself shows in the chat).

Every notice that can stand alone at night names 112 and 113 (tests/bot/test_chat_api.py).
"""
from __future__ import annotations

_HELP_NOW = "Ben je in direct gevaar? Bel 112. Denk je aan zelfdoding? Bel of chat met 113 (gratis: 0800-0113)."

MESSAGES = {
    "empty": "Je bericht is leeg. Typ eerst iets.",
    "bad_json": "Er ging iets mis met het versturen. Probeer het opnieuw.",
    "bad_content_type": "Er ging iets mis met het versturen. Probeer het opnieuw.",
    "bad_payload": "Die knop werkt niet. Typ je antwoord maar gewoon.",
    "bad_request": "Er ging iets mis. Laad de pagina opnieuw.",
    "too_long": "Je bericht is te lang (maximaal {max} tekens). Wil je het in een paar kortere berichten sturen?",
    "not_found": "Dit gesprek bestaat niet (meer). Begin een nieuw gesprek, of kijk of je code goed is.",
    "code_not_found": ("Deze code kennen we niet (meer). Kijk even of je hem goed hebt overgetypt. "
                       "Na het afsluiten van een gesprek werkt de code nog een paar dagen."),
    "rate_limited": "Je stuurt veel berichten snel achter elkaar. Wacht even en probeer het dan opnieuw.",
    # Rasa could not be reached (restart): the message is kept and answered when it is back.
    "restarting": ("Even geduld, Nachtlicht start opnieuw. Je bericht is bewaard: je krijgt vanzelf antwoord, "
                   "je hoeft niets opnieuw te sturen. " + _HELP_NOW),
    # Rasa came back too late for an old message, or timed out on it: ask to send it again.
    "resend": ("Je bericht \"{quote}\" is niet bij mij aangekomen, omdat Nachtlicht opnieuw moest starten. "
               "Sorry! Is het nog belangrijk? Stuur het dan nog een keer."),
    "method_not_allowed": "Dat kan hier niet.",
    # Shown (and stored) when the bot answered nothing, e.g. a custom action failed: silence
    # at night reads as "nobody is there".
    "no_answer": ("Sorry, bij mij ging iets mis en ik kon niet antwoorden. Dat ligt niet aan jou. "
                  "Wil je je bericht nog een keer sturen? " + _HELP_NOW),
    "server_error": ("Er ging iets mis bij Nachtlicht. Probeer het zo opnieuw. " + _HELP_NOW),
}

# What happened to a message that could not reach Rasa at once (bot/chat/delivery.py), as
# counsellors read it in a transcript.
DELIVERY_NOTES = {"pending": " (wacht op de chatbot: die start opnieuw)",
                  "late": " (later afgeleverd: de chatbot startte opnieuw)",
                  "resend": " (niet afgeleverd: de persoon is gevraagd het opnieuw te sturen)"}
