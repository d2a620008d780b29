"""Mask contact and bank data in transcripts and summaries shown to counsellors.

Masked: e-mail addresses (also written as "jan [at] gmail [dot] com"), social-media handles
("@jan_2009"), IBANs, Dutch phone numbers (06-, +31/0031, 0xx- landlines, 0800/0900, with any
separators incl. Unicode dashes and "06 - 12 34 56 78") and other international numbers, long
digit runs (old bank account numbers, numbers typed without separators), street addresses and
postcodes, profile links, crypto wallet addresses and gift-card codes. Public helpline numbers the bot itself gives out (112, 113,
0800-0113, ...) stay readable. A counsellor can reveal the original text; that is logged
in the audit log by the caller (bot.cases.service.CaseService.reveal).
"""

from __future__ import annotations

import re
from typing import Any

from bot import helplines as _helplines

PHONE = "[telefoonnummer verborgen]"
EMAIL = "[e-mailadres verborgen]"
BANK = "[rekeningnummer verborgen]"
NUMBER = "[nummer verborgen]"
HANDLE = "[gebruikersnaam verborgen]"
ADDRESS = "[adres verborgen]"
LINK = "[profiellink verborgen]"
WALLET = "[wallet-adres verborgen]"
CODE = "[code verborgen]"

# Numbers published by helplines (digits only); never masked. From texts/helplines.yml (the one
# source), plus 0900-1450, which this list kept readable before helplines.yml existed.
PUBLIC_NUMBERS = frozenset({"".join(c for c in n if c.isdigit()) for n in _helplines.numbers()} | {"09001450"})
PUBLIC_EMAILS = frozenset(a for a in _helplines.addresses() if "@" in a)

_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# IBAN: country code, 2 check digits, then groups of 4 (optionally separated) and a short tail.
_IBAN_RE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ .-]?[A-Za-z0-9]{4}){2,7}(?:[ .-]?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])"
)
# A run of digits with separators (spaces, dots, slashes, underscores, any dash incl. Unicode
# ones, also with spaces around: "06 - 12 34 56 78"), optionally starting with + or a bracket.
_SEP = r"(?:\s*[.\-/_\u2010-\u2015\u2212]\s*|\s|\) ?|\()"
_DIGITS_RE = re.compile(r"(?<![\w+])(?:\+|\(\+?)?\d(?:" + _SEP + r"?\d){6,19}(?![\w])")
# "jan [at] gmail [dot] com", "jan (at) gmail.com" (a bare " at " is Dutch for "ate": not read)
_OBFUSCATED_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s*[\[({]\s*(?:at|@)\s*[\])}]\s*[\w-]+"
    r"(?:\s*(?:[\[({]\s*(?:dot|punt)\s*[\])}]|\.)\s*[\w-]+)+",
    re.IGNORECASE,
)
# Profile links, wallets and handles are also what bot/language/text_facts.py reads as the extorter's
# identifiers (one pattern for both). Profile links ("instagram.com/jan_2009", "https://t.me/jan"): they identify a person.
LINK_RE = re.compile(
    r"\b(?:https?://)?(?:www\.|m\.)?(?:instagram\.com|snapchat\.com/add|tiktok\.com/@|t\.me|"
    r"facebook\.com|fb\.com|x\.com|twitter\.com|discord(?:app)?\.com/users|roblox\.com/users|"
    r"wa\.me)/[\w@.%/-]{2,80}",
    re.IGNORECASE,
)
# Crypto wallet addresses (Bitcoin bech32 and legacy, Ethereum, Tron).
WALLET_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:bc1[a-z0-9]{25,62}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[a-fA-F0-9]{40}|"
    r"T[1-9A-HJ-NP-Za-km-z]{33})(?![A-Za-z0-9])"
)
# Gift-card and voucher codes in capitals with dashes ("ABCDE-12345-FGHIJ"), with letters and digits.
_CODE_RE = re.compile(r"(?<![\w-])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{4,6}(?:-[A-Z0-9]{4,6}){2,4}(?![\w-])")
# Social-media handles such as "@jan_devries2009" (not e-mail addresses: those are masked first).
HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_])?(?![\w@])")
# Dutch street addresses ("Dorpsstraat 12a", "Kerkweg 3-2"): a word ending in a street type and a
# house number, not an amount or a duration ("onderweg 500 euro", "Kerkhof 3 dagen"). Letters
# only and bounded, so the pattern stays linear on long or crafted text.
_STREET_RE = re.compile(
    r"(?<![\w'-])[A-Za-z\u00C0-\u017F]{2,40}(?:straat|laan|weg|plein|gracht|kade|singel|dijk|dreef|hof|pad|steeg|"
    r"markt|plantsoen|boulevard)\s+\d{1,5}(?:\s?[a-zA-Z](?![a-zA-Z]))?(?:-\d{1,3}[a-zA-Z]?)?\b"
    r"(?!\s*(?:euro|eur|dagen|dag|keer|uur|minuten|min|jaar|weken|week|maanden|maand|km|meter|x)\b)",
    re.IGNORECASE,
)
# Postcodes ("1234 AB"); letter pairs that are common abbreviations are not postcodes.
_POSTCODE_RE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS|EU|NL|BE|DE|UK|US|AM|PM|OK|KM|CM|MB|GB|KB|TB)[A-Z]{2}\b")
# Ranges that are not phone numbers: "09.00 - 17.00", "10.000 - 20.000 euro", "1000 - 25000".
_TIME_RANGE_RE = re.compile(r"\d{1,2}[.:]\d{2}\s*[-\u2010-\u2015\u2212]\s*\d{1,2}[.:]\d{2}")
_SPACED_DASH_RE = re.compile(r"\s[-\u2010-\u2015\u2212]\s|\s[-\u2010-\u2015\u2212]|[-\u2010-\u2015\u2212]\s")


def _iban(match: re.Match) -> str:
    raw = re.sub(r"[ .-]", "", match.group(0))
    digits = sum(c.isdigit() for c in raw)
    if 15 <= len(raw) <= 34 and digits >= 8:
        return BANK
    return match.group(0)


def _is_range(text: str) -> bool:
    """ "09.00 - 17.00", "10.000 - 20.000": two numbers around a spaced dash, the first not a
    Dutch phone prefix (a phone number written "06 - 12345678" starts with 0)."""
    if _TIME_RANGE_RE.fullmatch(text.strip()):
        return True
    parts = _SPACED_DASH_RE.split(text, maxsplit=1)
    if len(parts) != 2:
        return False
    left = re.sub(r"\D", "", parts[0])
    right = re.sub(r"\D", "", parts[1])
    return bool(left) and not left.startswith("0") and len(left) <= 6 and 0 < len(right) <= 6


def _digits(match: re.Match) -> str:
    text = match.group(0)
    if _is_range(text):
        return text
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
    text = LINK_RE.sub(LINK, text)
    text = _EMAIL_RE.sub(lambda m: m.group(0) if m.group(0).lower() in PUBLIC_EMAILS else EMAIL, text)
    text = _OBFUSCATED_EMAIL_RE.sub(EMAIL, text)
    text = HANDLE_RE.sub(HANDLE, text)
    text = _IBAN_RE.sub(_iban, text)
    text = WALLET_RE.sub(WALLET, text)
    text = _CODE_RE.sub(CODE, text)
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
