"""Dutch as people write it in a chat: money, platforms and the trainer-owned vocabularies.

Pure functions, no Rasa objects: used by the NLU components (bot/nlu/), the actions and the
counsellor summary. The word lists live in data/vocab/ (bot/language/vocab.py).
"""
