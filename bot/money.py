"""Find written amounts of money in chat text ("500 euro", "€ 50,-", "2k", "60 ballen").

Used by the NLU component ``bot.nlu.money_spans.MoneySpans`` to give ``amount`` entities the
exact span of the annotation guide (number *with* its currency word or sign). DIET finds bare
numbers from context well but often cuts the span short ("60" of "60 ballen") or calls a
clear sum of money an age or a time; a pattern is more reliable for the unambiguous cases.
Only unambiguous money is matched here: a bare number ("ik moet 200 sturen") is left to DIET.
"""
from __future__ import annotations

import re
from typing import Iterator, Tuple

_NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_WORD_NUMBER = (
    r"(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|vijftien|twintig|dertig|"
    r"veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd|duizend|anderhalve|anderhalf)"
    r"(?:(?:\s?en\s?|\s|-)?(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twintig|dertig|"
    r"veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd|duizend|ton))*"
)
_MULTIPLIER = r"(?:k|K|mille|duizend|ton)"
# Currency words that only mean money after a number. Not "e" (2e = second) and not "geld".
_CURRENCY = (r"(?:euro'?s|euros|euro|eur|eu|ballen|piek|pegels|ruggen|knaken|ekkies|eggies|"
             r"dollars?|bucks|usd|pond)")
_SIGN = r"[€$£]"
_DASH = r"(?:\s?,-|\s?,=|\s?\.-)"

_PATTERNS = [
    # € 50 / €1.500,- / $200 / €2k
    rf"{_SIGN}\s?(?:{_NUMBER})(?:\s?{_MULTIPLIER}\b)?{_DASH}?",
    # 500 euro / 2k euro / 2 duizend euro / 300eu / 50 ballen / 1.500,- / 50€
    rf"\b(?:{_NUMBER})(?:\s?{_MULTIPLIER})?\s?(?:{_CURRENCY}\b|{_SIGN}){_DASH}?",
    rf"\b(?:{_NUMBER}){_DASH}",
    # 2k / 2,5k / 10K (a number glued to k is money in chat)
    rf"\b\d+(?:[.,]\d)?[kK]\b",
    # honderd euro / vijfhonderd ballen / twee duizend euro
    rf"\b{_WORD_NUMBER}\s?{_CURRENCY}\b",
]
_MONEY = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def money_spans(text: str) -> Iterator[Tuple[int, int]]:
    """(start, end) of every unambiguous money expression in ``text``, left to right."""
    for match in _MONEY.finditer(text or ""):
        start, end = match.span()
        # trailing whitespace can be swallowed by optional groups
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            yield start, end


# A bare number that DIET called an amount, but the words around it say otherwise.
_BARE = re.compile(r"\d+(?:[.,]\d+)?")
_COUNT_AFTER = re.compile(
    r"\s*(?:e|ste|de|x|keer|maal|views|likes|volgers|followers|foto'?s|pics|video'?s|berichten|"
    r"dagen|dag|uur|u|min|minuten|weken|maanden|jaar|jr|kaarten|codes|paysafecards?)\b",
    re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:ik ben|ben|bn|im|i'm|was)\s+(?:pas\s+|nog\s+maar\s+|net\s+|bijna\s+)?$",
                         re.IGNORECASE)
_AGE_AFTER = re.compile(r"\s*(?:jaar|jr|ben)\b", re.IGNORECASE)


def bare_number_kind(text: str, start: int, end: int) -> str:
    """For a bare number at text[start:end]: "age", "count" (not money) or "amount" (no objection)."""
    if not _BARE.fullmatch(text[start:end]):
        return "amount"
    after, before = text[end:], text[:start]
    if _AGE_BEFORE.search(before) or re.match(r"\s*(?:jaar\s+oud|ben)\b", after, re.IGNORECASE):
        return "age"
    if _COUNT_AFTER.match(after):
        return "count"
    return "amount"
