"""Mask contact and bank data in transcripts and summaries shown to counsellors.

Masked: e-mail addresses (also written as "jan [at] gmail [dot] com"), social-media handles
("@jan_2009"), IBANs, Dutch phone numbers (06-, +31/0031, 0xx- landlines, 0800/0900, with any
separators incl. Unicode dashes and "06 - 12 34 56 78") and other international numbers, long
digit runs (old bank account numbers, numbers typed without separators), street addresses and
postcodes. Public helpline numbers the bot itself gives out (112, 113,
0800-0113, ...) stay readable. A counsellor can reveal the original text; that is logged
in the audit log by the caller (bot.cases.service.CaseService.reveal).
"""
from __future__ import annotations

import re
from typing import Any

PHONE = "[telefoonnummer verborgen]"
EMAIL = "[e-mailadres verborgen]"
BANK = "[rekeningnummer verborgen]"
NUMBER = "[nummer verborgen]"
HANDLE = "[gebruikersnaam verborgen]"
ADDRESS = "[adres verborgen]"

# Numbers published by helplines (digits only); never masked.
PUBLIC_NUMBERS = frozenset({
    "08000113", "08000188", "09008844", "08000432", "0202615275", "09001450",
})
PUBLIC_EMAILS = frozenset({"info@helpwanted.nl"})

_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# IBAN: country code, 2 check digits, then groups of 4 (optionally separated) and a short tail.
_IBAN_RE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ .-]?[A-Za-z0-9]{4}){2,7}(?:[ .-]?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])")
# A run of digits with separators (spaces, dots, slashes, underscores, any dash incl. Unicode
# ones, also with spaces around: "06 - 12 34 56 78"), optionally starting with + or a bracket.
_SEP = r"(?:\s*[.\-/_\u2010-\u2015\u2212]\s*|\s|\) ?|\()"
_DIGITS_RE = re.compile(r"(?<![\w+])(?:\+|\(\+?)?\d(?:" + _SEP + r"?\d){6,19}(?![\w])")
# "jan [at] gmail [dot] com", "jan (at) gmail.com", "jan at gmail dot com"
_OBFUSCATED_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s*(?:[\[({]\s*(?:at|@)\s*[\])}]|\s(?:at)\s)\s*[\w-]+"
    r"(?:\s*(?:[\[({]\s*(?:dot|punt)\s*[\])}]|\s(?:dot|punt)\s|\.)\s*[\w-]+)+", re.IGNORECASE)
# Social-media handles such as "@jan_devries2009" (not e-mail addresses: those are masked first).
_HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_])?(?![\w@])")
# Dutch street addresses ("Dorpsstraat 12a", "Lange Laan 3") and postcodes ("1234 AB").
_STREET_RE = re.compile(
    r"\b[A-Za-z\u00C0-\u017F'.-]{2,}(?:straat|laan|weg|plein|gracht|kade|singel|dijk|dreef|hof|pad|steeg|"
    r"markt|park|plantsoen|boulevard|kanaal)\s+\d{1,5}(?:\s?[a-zA-Z](?![a-zA-Z]))?(?:[-\s]?\d{1,3}[a-zA-Z]?)?\b",
    re.IGNORECASE)
_POSTCODE_RE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")


def _iban(match: re.Match) -> str:
    raw = re.sub(r"[ .-]", "", match.group(0))
    digits = sum(c.isdigit() for c in raw)
    if 15 <= len(raw) <= 34 and digits >= 8:
        return BANK
    return match.group(0)


def _digits(match: re.Match) -> str:
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    international = text.lstrip("(").startswith("+") or digits.startswith("00")
    if digits in PUBLIC_NUMBERS:
        return text
    if international and len(digits) >= 9:
        return PHONE
    if digits.startswith("0") and 9 <= len(digits) <= 11:
        return PHONE  # Dutch national number (06, 010, 020, 0800, ...)
    if digits.startswith("0") and len(digits) == 8 and digits[:4] in ("0800", "0900", "0906", "0909"):
        return PHONE
    if digits.startswith("6") and len(digits) == 9:
        return PHONE  # mobile number typed without the leading 0
    if len(digits) >= 9:
        return NUMBER  # old bank account number or other long identifier
    return text


def redact(text: str | None) -> str:
    """``text`` with contact and bank data replaced by Dutch placeholders."""
    if not text:
        return text or ""
    text = _EMAIL_RE.sub(lambda m: m.group(0) if m.group(0).lower() in PUBLIC_EMAILS else EMAIL, text)
    text = _OBFUSCATED_EMAIL_RE.sub(EMAIL, text)
    text = _HANDLE_RE.sub(HANDLE, text)
    text = _IBAN_RE.sub(_iban, text)
    text = _STREET_RE.sub(ADDRESS, text)
    text = _POSTCODE_RE.sub(ADDRESS, text)
    return _DIGITS_RE.sub(_digits, text)


def redact_value(value: Any) -> Any:
    """Redact strings inside lists/dicts (for summary fields)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_value(v) for v in value]
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    return value
