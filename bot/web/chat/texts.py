"""Texts of the chat API (errors and notices the web app itself shows in the chat), from texts/web.yml.

Every notice that can stand alone at night names 112 and 113 (tests/bot/test_chat_api.py).
"""

from __future__ import annotations

from bot.web_texts import section

# The texts themselves live in texts/web.yml (sections "chat" and "delivery_notes").
MESSAGES = section("chat")

# What happened to a message that could not reach Rasa at once (bot/web/chat/delivery.py), as
# counsellors read it in a transcript.
DELIVERY_NOTES = section("delivery_notes")
