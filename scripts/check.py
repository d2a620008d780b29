"""`make check`: load and check every file a trainer edits, fast and without training.

Prints one ``FOUT <file>:<line>: <what to do>`` per problem and ends with one clear Dutch line:
``OK: …`` or ``FOUT: …`` (exit code 1). With a trained model it also runs the trainer-owned
"must be understood as" list (data/checks/must_understand.yml) against it.

Usage: python scripts/check.py [--files-only] [--model models/nachtlicht.tar.gz]
``--files-only`` skips the model (scripts/train.py runs that before training).
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import hashlib
import logging
import os
import re
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from actions.texts import parse_responses  # noqa: E402
from bot import helplines  # noqa: E402
from bot import web_texts as webtexts  # noqa: E402
from bot.cases import summary  # noqa: E402
from bot.language.money import normalise_amount  # noqa: E402
from bot.language.question_topics import TOPICS_FILE, parse_topics  # noqa: E402
from bot.language.report_phrases import DEFAULT_FILE as REPORT_FILE  # noqa: E402
from bot.language.report_phrases import ReportNet  # noqa: E402
from bot.language.safety_phrases import DEFAULT_FILE as SAFETY_FILE  # noqa: E402
from bot.language.safety_phrases import DOMAIN_FILE, SafetyNet, read_safety_message  # noqa: E402
from bot.language.trainer_files import TrainerFileError, line_of, read_yaml, rel  # noqa: E402
from bot.language.vocab import MONEY_FILE, PLATFORMS_FILE, parse_money, parse_platforms  # noqa: E402

MUST_FILE = ROOT / "data" / "checks" / "must_understand.yml"
# The stamp of the last run in which every sentence was understood (make check skips the slow
# model load while nothing they depend on changed; see understood_stamp).
PASSED_FILE = ROOT / "var" / "must_understand.passed"
MODEL = ROOT / "models" / "nachtlicht.tar.gz"
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\(([^)]*)\)|\{([^}]*)\})")
_REGEX_WORDS = re.compile(r"\\s\?\(([^)]*)\)\\b")

Problem = Tuple[Path, Optional[int], str]


class Report:
    def __init__(self) -> None:
        self.problems: List[Problem] = []
        self.files = 0

    def add(self, path: Path, line: Optional[int], message: str) -> None:
        if (Path(path), line, message) in self.problems:
            return  # the same mistake found by two checks is told once
        self.problems.append((Path(path), line, message))
        where = f"{rel(path)}:{line}" if line else rel(path)
        print(f"FOUT {where}: {message}", flush=True)

    def run(self, path: Path, parse: Callable[[Path], object]) -> Optional[object]:
        self.files += 1
        try:
            return parse(path)
        except TrainerFileError as exc:
            self.add(exc.path, exc.line, exc.message)
        except Exception as exc:
            self.add(path, None, f"kan niet gelezen worden: {exc}")
        return None


def check_yaml_files(report: Report) -> dict:
    """Every YAML file trainers touch parses; returns the parsed data/ files by path."""
    parsed = {}
    files = sorted(
        set(glob.glob(str(ROOT / "data" / "**" / "*.yml"), recursive=True))
        | set(glob.glob(str(ROOT / "texts" / "*.yml")))
        | {str(ROOT / "domain.yml"), str(ROOT / "config.yml")}
    )
    for name in files:
        path = Path(name)
        data = report.run(path, lambda p: read_yaml(p, dict))
        if data is not None:
            parsed[path] = data
    return parsed


def nlu_items(parsed: dict):
    """(path, text, item) for every item under 'nlu:' of the files in data/nlu/."""
    for path, (data, text) in parsed.items():
        if "nlu" in data and ROOT / "data" / "nlu" in path.parents:
            for item in data.get("nlu") or []:
                yield path, text, item


def check_nlu(report: Report, parsed: dict) -> None:
    domain, _ = parsed.get(ROOT / "domain.yml", ({}, ""))
    entities = set(domain.get("entities") or [])
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents") or []}
    for path, text, item in nlu_items(parsed):
        if not isinstance(item, dict):
            report.add(path, None, "een onderdeel onder 'nlu:' is geen '- intent:'-blok")
            continue
        if "intent" in item:
            intent = str(item["intent"])
            if intents and intent not in intents:
                report.add(
                    path,
                    line_of(text, f"intent: {intent}"),
                    f"intent '{intent}' staat niet in domain.yml (bij intents:); voeg hem toe of kies een bestaande",
                )
            examples = item.get("examples")
            if not isinstance(examples, str):
                report.add(
                    path, line_of(text, f"intent: {intent}"), f"{intent}: 'examples: |' met voorbeelden ontbreekt"
                )
                continue
            for example in examples.splitlines():
                check_example(report, path, text, intent, example, entities)


def check_example(report: Report, path: Path, text: str, intent: str, example: str, entities: set) -> None:
    """One example line: it starts with '- ', names known entities, and its amounts read as euros."""
    if example.strip() and not example.lstrip().startswith("- "):
        report.add(
            path,
            line_of(text, example.strip()),
            f"{intent}: '{example.strip()[:40]}' begint niet met '- ': Rasa slaat die regel over. "
            "Zet elk voorbeeld op een eigen regel die begint met '- '",
        )
    for m in _ANNOTATION.finditer(example):
        surface, entity = m.group(1), (m.group(2) or "").split(":")[0].strip()
        if m.group(3) is not None:
            found = re.search(r'"entity"\s*:\s*"([^"]+)"', m.group(3))
            entity = found.group(1) if found else ""
        line = line_of(text, example.strip())
        if entity not in entities:
            close = [e for e in entities if e[:3] == entity[:3]]
            hint = f" Bedoel je '{close[0]}'?" if close else ""
            report.add(path, line, f"entiteit '{entity}' in '[{surface}]' bestaat niet in domain.yml.{hint}")
        elif entity == "amount" and normalise_amount(surface) is None and not _not_euros(surface):
            report.add(
                path,
                line,
                f"bedrag '[{surface}](amount)' is niet als euro's te lezen. Schrijf het "
                "zoals mensen het typen met een getal, of zet het woord in data/vocab/money.yml",
            )


def check_safety_examples(report: Report, parsed: dict, net: SafetyNet) -> None:
    """The classifier and the safety net agree on the training data (docs/safety.md).

    Every express_suicidal example is caught by the net, so what the model was taught to see as
    suicidal also gets 113 when the model is unsure; no example of another intent is, because the
    net always wins: such an example would get the crisis message however well the model learns it.
    """
    for path, text, item in nlu_items(parsed):
        if not isinstance(item, dict) or "intent" not in item:
            continue
        intent = str(item["intent"])
        for example in item_examples(item):
            plain = _ANNOTATION.sub(r"\1", example)
            caught = bool(net.match(plain))
            if intent == "express_suicidal" and not caught:
                report.add(
                    path,
                    line_of(text, example),
                    f"express_suicidal: '{plain[:50]}' wordt niet gevangen door het vangnet. Voeg een zin "
                    "toe aan data/safety/suicidal_phrases.yml (phrases:), zodat 113 ook komt als het model twijfelt",
                )
            elif intent != "express_suicidal" and caught:
                report.add(
                    path,
                    line_of(text, example),
                    f"{intent}: '{plain[:50]}' zet het vangnet voor zelfmoord af (data/safety/suicidal_phrases.yml), "
                    "dus dit bericht krijgt altijd de crisisboodschap. Kies een ander voorbeeld of maak het vangnet nauwer",
                )


def item_examples(item: dict) -> List[str]:
    """The '- ' lines of a synonym or lookup block of an NLU file, without the dash."""
    lines = str(item.get("examples") or "").splitlines()
    return [e.strip()[2:].strip() for e in lines if e.strip().startswith("- ") and e.strip()[2:].strip()]


def check_vocab_ties(report: Report, parsed: dict, platforms: dict, money) -> None:
    """NLU synonyms and lookups know no platform the code does not know; regex.yml and money.yml agree."""
    entities_path = ROOT / "data" / "nlu" / "entities.yml"
    data, text = parsed.get(entities_path, ({}, ""))
    aliases = {alias: p.key for p in platforms.values() for alias in p.aliases}
    # the values the summary can show: a synonym must map to one of them
    known_values = set(platforms) | set(summary.PAYMENT) | set(summary.AUDIENCE) | set(summary.DEMAND)
    for item in data.get("nlu") or []:
        examples = item_examples(item)
        if "synonym" in item and str(item["synonym"]) not in known_values:
            report.add(
                entities_path,
                line_of(text, f"synonym: {item['synonym']}"),
                f"synoniem '{item['synonym']}' is geen bekende waarde (een platform uit {rel(PLATFORMS_FILE)}, "
                f"of een van: {', '.join(sorted(known_values - set(platforms)))})",
            )
            continue
        if "synonym" in item and (str(item["synonym"]) in platforms or any(e in aliases for e in examples)):
            key = str(item["synonym"])
            if key not in platforms:
                report.add(
                    entities_path,
                    line_of(text, f"synonym: {key}"),
                    f"platform '{key}' staat niet in {rel(PLATFORMS_FILE)}; voeg het daar toe (naam, aliases, tips)",
                )
                continue
            for example in examples:
                if aliases.get(example) != key:
                    report.add(
                        entities_path,
                        line_of(text, f"- {example}"),
                        f"'{example}' (synoniem van {key}) staat niet bij {key} in {rel(PLATFORMS_FILE)} (aliases)",
                    )
        if item.get("lookup") == "platform":
            for example in examples:
                if example not in aliases:
                    report.add(
                        entities_path,
                        line_of(text, f"- {example}"),
                        f"'{example}' in de lookup platform staat niet in {rel(PLATFORMS_FILE)} (aliases)",
                    )
    report_net = report_net_money_problems(money)
    if report_net:
        report.add(REPORT_FILE, line_of(REPORT_FILE.read_text(encoding="utf-8"), "money:"), report_net)
    regex_path = ROOT / "data" / "nlu" / "regex.yml"
    for problem in money_regex_problems(parsed.get(regex_path, ({}, ""))[0], money):
        report.add(regex_path, line_of(parsed.get(regex_path, ({}, ""))[1], "ballen"), problem)


def check_placeholders(report: Report) -> None:
    """Every {name} in a text file is a helpline fact (texts/helplines.yml) or filled in by the
    code; anything else would reach the person as "{name}"."""
    files = [DOMAIN_FILE, ROOT / "actions" / "responses.yml", webtexts.WEB_FILE, TOPICS_FILE]
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.lstrip().startswith("#"):
                continue
            for name in sorted(helplines.unknown_placeholders(line)):
                report.add(
                    path,
                    number,
                    f"'{{{name}}}' is geen gegeven uit {rel(helplines.HELPLINES_FILE)} en wordt niet door de code "
                    "ingevuld; kijk de naam na (bijvoorbeeld {zmp_phone})",
                )


def check_payment_lookup(report: Report, parsed: dict) -> None:
    """Every word of the payment_method lookup is read as a payment method: by an NLU synonym
    (entities.yml) or by the code (bot/language/text_facts.py). Else the summary says 'een andere
    manier' for a word the trainer meant as, say, a gift card."""
    from bot.language.text_facts import canonical_payment_method

    entities_path = ROOT / "data" / "nlu" / "entities.yml"
    data, text = parsed.get(entities_path, ({}, ""))
    synonyms = set()
    for item in data.get("nlu") or []:
        if "synonym" in item:
            synonyms |= {e.lower() for e in item_examples(item)}
    for item in data.get("nlu") or []:
        if item.get("lookup") != "payment_method":
            continue
        for word in item_examples(item):
            if word.lower() not in synonyms and canonical_payment_method(word) == "other":
                report.add(
                    entities_path,
                    line_of(text, f"- {word}"),
                    f"'{word}' in de lookup payment_method: zet het ook als voorbeeld bij een synoniem "
                    "(bank, tikkie, paypal, giftcard, crypto), anders ziet de hulpverlener 'een andere manier'",
                )


@lru_cache(maxsize=1)
def _units_without_euros() -> tuple:
    try:
        return parse_money(MONEY_FILE).not_euros
    except TrainerFileError:  # told by its own check
        return ()


def _not_euros(surface: str) -> bool:
    """An amount in a unit with no euro value ("0.01 btc"): annotated, but unknown in euros."""
    units = _units_without_euros()
    return any(re.search(rf"(?<![a-z]){re.escape(u)}\b", surface.lower()) for u in units)


def report_net_money_problems(money) -> Optional[str]:
    """The report net tells a payment demand from blackmail by its 'money:' patterns: every money
    word of data/vocab/money.yml (four letters or more, as the code reads them on their own) must
    match one, or "hij wil 300 ruggen of hij zet het online" is routed as blackmail without money."""
    try:
        net = ReportNet.from_file(REPORT_FILE)
    except Exception:  # told by its own check
        return None
    words = [w for w in money.currency_words + tuple(money.money_multipliers) if len(w) >= 4]
    missing = [w for w in words if not any(p.search(f"hij wil {w}") for p in net.money)]
    if missing:
        return f"geldwoorden {missing} uit {rel(MONEY_FILE)} passen op geen patroon onder 'money:'; voeg ze toe"
    return None


def money_regex_problems(regex_data: dict, money) -> List[str]:
    """Every money word of regex.yml must be in data/vocab/money.yml (else the NLU marks an
    amount that the code cannot read: "300 ruggen" was EUR 300 or nothing)."""
    words = set()
    for item in regex_data.get("nlu") or []:
        if item.get("regex") == "amount":
            for m in _REGEX_WORDS.finditer(str(item.get("examples") or "")):
                words |= {w.replace("\\", "") for w in m.group(1).split("|")}
    words = {w for w in words if re.fullmatch(r"[a-z']+", w)}
    known = set(money.all_words)
    out = []
    if not words:
        out.append("geen geldwoorden gevonden in de regex 'amount'")
    unknown = sorted(words - known)
    if unknown:
        out.append(f"geldwoorden {unknown} staan niet in {rel(MONEY_FILE)}: de bot kan die bedragen dan niet lezen")
    return out


def check_must_understand(report: Report, model: Path) -> int:
    """Run data/checks/must_understand.yml against the model; returns the number of sentences."""
    data = report.run(MUST_FILE, lambda p: read_yaml(p, dict))
    if data is None:
        return 0
    cases, text = data[0].get("must_understand") or [], data[1]
    if not model.exists():
        print(f"  (geen model in {rel(model)}: de zinnen van {rel(MUST_FILE)} zijn niet getest; draai 'make train')")
        return 0
    stamp = understood_stamp(model)
    if PASSED_FILE.exists() and PASSED_FILE.read_text(encoding="utf-8") == stamp:
        print(
            f"  (de {len(cases)} zinnen van {rel(MUST_FILE)} slaagden al met dit model en deze bestanden; "
            "niet opnieuw getest)"
        )
        return len(cases)
    print(f"  Model laden voor {len(cases)} zinnen uit {rel(MUST_FILE)} …", flush=True)
    before = len(report.problems)
    count = _parse_must_understand(report, model, cases, text)
    if len(report.problems) == before:
        PASSED_FILE.parent.mkdir(parents=True, exist_ok=True)
        PASSED_FILE.write_text(stamp, encoding="utf-8")
    return count


def understood_stamp(model: Path) -> str:
    """What the sentences' result depends on: the model and the files the NLU reads at run time
    (the list itself, the phrase nets, the question topics, the vocabularies) and their code."""
    digest = hashlib.sha256()
    inputs = [model, MUST_FILE, *sorted((ROOT / "data" / "safety").glob("*.yml")), TOPICS_FILE]
    inputs += sorted((ROOT / "data" / "vocab").glob("*.yml")) + sorted((ROOT / "bot").glob("**/*.py"))
    for path in inputs:
        digest.update(str(path.relative_to(ROOT) if ROOT in path.parents else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _parse_must_understand(report: Report, model: Path, cases: list, text: str) -> int:
    import warnings

    warnings.filterwarnings("ignore")  # Rasa's and TensorFlow's own warnings are not the trainer's
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    logging.disable(logging.WARNING)
    configure_structlog(logging.ERROR)  # no debug line per parsed sentence
    from bot.language.text_facts import canonical_platform

    agent = Agent.load(str(model))

    async def parse_all():
        return [await agent.parse_message(str(c.get("text", ""))) for c in cases]

    results = asyncio.run(parse_all())
    for case, result in zip(cases, results):
        sentence = str(case.get("text", ""))
        line = line_of(text, sentence[:40]) if sentence else None
        intent = (result.get("intent") or {}).get("name")
        wanted = case.get("intent")
        allowed = wanted if isinstance(wanted, list) else [wanted] if wanted else []
        if allowed and intent not in allowed:
            report.add(MUST_FILE, line, f"'{sentence}' werd {intent}, niet {' of '.join(allowed)}")
        ents = result.get("entities") or []
        if "amount" in case:
            amounts = [normalise_amount(e.get("value")) for e in ents if e.get("entity") == "amount"]
            if float(case["amount"]) not in [a for a in amounts if a is not None]:
                report.add(MUST_FILE, line, f"'{sentence}': bedrag € {case['amount']} niet gevonden (wel: {amounts})")
        if "platform" in case:
            found = [canonical_platform(str(e.get("value"))) for e in ents if e.get("entity") == "platform"]
            if case["platform"] not in found:
                report.add(MUST_FILE, line, f"'{sentence}': platform {case['platform']} niet gevonden (wel: {found})")
    return len(cases)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files-only", action="store_true", help="no model: only the files")
    parser.add_argument("--model", default=str(MODEL))
    args = parser.parse_args(argv)
    t0 = time.time()
    # the loaders' own "refused, last good version used" log lines: here the FOUT lines say it
    logging.getLogger("bot.language.trainer_files").setLevel(logging.CRITICAL)
    report = Report()
    print("Trainersbestanden controleren …", flush=True)
    parsed = check_yaml_files(report)
    net = report.run(SAFETY_FILE, SafetyNet.from_file)
    report.run(REPORT_FILE, ReportNet.from_file)
    report.run(TOPICS_FILE, parse_topics)
    report.run(ROOT / "actions" / "responses.yml", parse_responses)
    report.run(webtexts.WEB_FILE, webtexts.parse)
    report.run(helplines.HELPLINES_FILE, helplines.parse)
    report.run(DOMAIN_FILE, read_safety_message)
    platforms = report.run(PLATFORMS_FILE, parse_platforms)
    money = report.run(MONEY_FILE, parse_money)
    check_nlu(report, parsed)
    if net is not None:
        check_safety_examples(report, parsed, net)
    check_placeholders(report)
    check_payment_lookup(report, parsed)
    if platforms is not None and money is not None:
        check_vocab_ties(report, parsed, platforms, money)
    sentences = 0
    if not args.files_only and not report.problems:
        sentences = check_must_understand(report, Path(args.model))
    seconds = time.time() - t0
    if report.problems:
        path, line, message = report.problems[0]
        where = f"{rel(path)} regel {line}" if line else rel(path)
        more = f" (en nog {len(report.problems) - 1} hierboven)" if len(report.problems) > 1 else ""
        print(f"FOUT: {where}: {message}{more}")
        return 1
    understood = f", {sentences} zinnen goed begrepen" if sentences else ""
    print(f"OK: {report.files} trainersbestanden in orde{understood} ({seconds:.0f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
