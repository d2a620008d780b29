"""The conversation suite (issue 15): loading, the named checks, fact scoring, transcripts.

Pure code (no network): ``test_conversations.py`` plays each conversation through the chat API
of a live stack and hands the bot's messages and the final facts to :func:`check_turn` and
:func:`score_facts`. The checks that name bot texts ("no case question", "no generic block")
are derived from the text catalogues, so a reworded question is still recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATA = HERE / "data"
REPORTS = ROOT / "reports" / "conversations"

# Facts scored for precision and recall (the case summary's facts, README "Facts").
SCORED_FACTS = (
    "writer",
    "age",
    "age_group",
    "demand_type",
    "amount_demanded",
    "paid",
    "amount_paid",
    "payment_method",
    "platform",
    "deadline",
    "material_spread",
    "suicide_risk",
    "deepfake",
)
COUNSELLOR_STEPS = ("take_over", "reply", "hand_back", "close")
REPEAT_MIN_WORDS = 5


# --- texts the checks recognise ------------------------------------------------------------------
def _stem(text: str) -> str:
    """The fixed start of a catalogue text (up to its first placeholder), for recognising it."""
    head = re.split(r"\{", str(text), maxsplit=1)[0]
    return re.sub(r"\s+", " ", head).strip().lower()[:60]


@lru_cache(maxsize=1)
def catalogue_stems() -> Dict[str, List[str]]:
    """{'fact_question': [...], 'generic': [...]}: starts of the bot texts the checks look for."""
    responses = yaml.safe_load((ROOT / "actions" / "responses.yml").read_text(encoding="utf-8")) or {}
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8")) or {}

    def stems(items: Any) -> List[str]:
        out = []
        for item in items or []:
            text = item if isinstance(item, str) else (item or {}).get("text", "")
            stem = _stem(text)
            if len(stem) >= 12:
                out.append(stem)
        return out

    questions = [
        s
        for key, value in responses.items()
        if key.startswith("ask_") and key not in ("ask_affirmation", "ask_affirmation_suicidal", "ask_identifiers")
        for s in stems(value)
    ]
    questions += stems(responses.get("facts_start"))
    for key in ("utter_ask_facts_permission", "utter_ask_resume_facts"):
        questions += stems(domain["responses"].get(key))
    generic = stems(responses.get("rephrase")) + stems(responses.get("default_fallback"))
    generic += stems(responses.get("ask_affirmation"))
    generic += stems(domain["responses"].get("utter_out_of_scope")) + stems(responses.get("out_of_scope"))
    return {"fact_question": questions, "generic": generic}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip().lower()


def _has_any(text: str, stems: Iterable[str]) -> bool:
    flat = _flat(text)
    return any(stem in flat for stem in stems)


_SAFETY = re.compile(r"(?<!\d)113(?!\d)")
_SUICIDE_Q = re.compile(r"zelfmoord|jezelf (iets )?(aan ?doen|van het leven)|niet meer (wilt )?leven")
_DONT_PAY = re.compile(
    r"(niet|niets|geen|nooit|stop)\W+(\w+\W+){0,6}(betal|betaal|geld)|"
    r"(betaal|betalen)\W+(\w+\W+){0,3}(niet|niets|nooit)|stop met betalen"
)
_MONEY = re.compile(r"betaal|betalen|betaald|\bgeld\b|\bbank\b|tikkie|euro")
_EVIDENCE = re.compile(r"bewijs|screenshot|schermafdruk|bewaar|opslaan|vastleggen")
_BLOCK = re.compile(r"blokkeer|blokkeren|\bmeld|rapporteer")
_NO_MEETING = re.compile(
    r"(niet|nooit|geen)\W+(\w+\W+){0,6}(afspre|afspraak|naar (hem|haar) toe|ontmoet|heen|langs)|"
    r"(ga|gaan)\W+(\w+\W+){0,3}niet (naar|heen)|spreek niet af|ga er niet heen"
)
_REMOVAL = re.compile(r"verwijder|take it down|stopncii|offlimits|weghalen|weg te (laten )?halen|offline")
_POLICE = re.compile(r"politie|aangifte|\b0900")
_COUNSELLOR = re.compile(r"hulpverlener|medewerker|helpwanted|mens praten|met een mens")
_SAFE_NOW = re.compile(r"veilig")

NAMED_CHECKS = (
    "safety",
    "no_safety",
    "safe_now",
    "dont_pay",
    "no_money",
    "evidence",
    "block_report",
    "no_meeting",
    "removal",
    "police",
    "counsellor",
    "no_fact_question",
    "no_generic",
    "replies",
)


def named_check(name: str, text: str) -> bool:
    """Whether the bot's messages of one turn (joined) pass the named check."""
    low = _flat(text)
    if name == "safety":
        return bool(_SAFETY.search(low))
    if name == "no_safety":
        return not _SAFETY.search(low) and not _SUICIDE_Q.search(low)
    if name == "safe_now":
        return bool(_SAFE_NOW.search(low))
    if name == "dont_pay":
        return bool(_DONT_PAY.search(low))
    if name == "no_money":
        return not _MONEY.search(low)
    if name == "evidence":
        return bool(_EVIDENCE.search(low))
    if name == "block_report":
        return bool(_BLOCK.search(low))
    if name == "no_meeting":
        return bool(_NO_MEETING.search(low))
    if name == "removal":
        return bool(_REMOVAL.search(low))
    if name == "police":
        return bool(_POLICE.search(low))
    if name == "counsellor":
        return bool(_COUNSELLOR.search(low))
    if name == "no_fact_question":
        return not _has_any(text, catalogue_stems()["fact_question"])
    if name == "no_generic":
        return not _has_any(text, catalogue_stems()["generic"])
    if name == "replies":
        return bool(low)
    raise ValueError(f"unknown check {name!r}")


# --- the suite ---------------------------------------------------------------------------------------
@dataclass
class Turn:
    user: Optional[str] = None
    counsellor: Optional[str] = None
    text: Optional[str] = None
    expect: List[str] = field(default_factory=list)
    says_any: List[str] = field(default_factory=list)
    not_says: List[str] = field(default_factory=list)


@dataclass
class Conversation:
    id: str
    persona: str
    turns: List[Turn]
    facts: Dict[str, Any]
    not_known: List[str]
    unsure: List[str]
    source: str


class SuiteError(ValueError):
    pass


def load(folder: Path = DATA) -> List[Conversation]:
    out: List[Conversation] = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in data.get("conversations") or []:
            out.append(_conversation(raw, path.name))
    ids = [c.id for c in out]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise SuiteError(f"duplicate conversation ids: {sorted(dupes)}")
    return out


def _conversation(raw: Dict[str, Any], source: str) -> Conversation:
    cid = str(raw.get("id") or "")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", cid):
        raise SuiteError(f"{source}: bad id {cid!r}")
    turns = []
    for item in raw.get("turns") or []:
        turn = Turn(
            user=item.get("user"),
            counsellor=item.get("counsellor"),
            text=item.get("text"),
            expect=list(item.get("expect") or []),
            says_any=list(item.get("says_any") or []),
            not_says=list(item.get("not_says") or []),
        )
        if (turn.user is None) == (turn.counsellor is None):
            raise SuiteError(f"{source}/{cid}: a turn needs exactly one of user / counsellor: {item}")
        if turn.counsellor and turn.counsellor not in COUNSELLOR_STEPS:
            raise SuiteError(f"{source}/{cid}: unknown counsellor step {turn.counsellor!r}")
        for name in turn.expect:
            if name not in NAMED_CHECKS:
                raise SuiteError(f"{source}/{cid}: unknown check {name!r}")
        for pattern in turn.says_any + turn.not_says:
            re.compile(pattern)
        turns.append(turn)
    facts = dict(raw.get("facts") or {})
    not_known = list(raw.get("not_known") or [])
    unsure = list(raw.get("unsure") or [])
    for name in list(facts) + not_known + unsure:
        if name not in SCORED_FACTS and name not in ("audience",):
            raise SuiteError(f"{source}/{cid}: unknown fact {name!r}")
    return Conversation(
        id=cid,
        persona=str(raw.get("persona") or ""),
        turns=turns,
        facts=facts,
        not_known=not_known,
        unsure=unsure,
        source=source,
    )


# --- checking -----------------------------------------------------------------------------------------
@dataclass
class Result:
    kind: str  # named check, "says_any", "not_says", "no_repeat", "answered", "fact"
    turn: int  # index of the user turn (1-based), 0 for the end
    ok: bool
    detail: str


def check_turn(
    turn: Turn, index: int, bot_text: str, seen: List[str], bot_messages: List[str], paused: bool
) -> List[Result]:
    """Results for one user turn: its expectations plus the suite-wide rules."""
    results: List[Result] = []
    low = _flat(bot_text)
    for name in turn.expect:
        results.append(Result(name, index, named_check(name, bot_text), name))
    if turn.says_any:
        ok = any(re.search(p, low, re.IGNORECASE) for p in turn.says_any)
        results.append(Result("says_any", index, ok, " | ".join(turn.says_any)))
    for pattern in turn.not_says:
        ok = not re.search(pattern, low, re.IGNORECASE)
        results.append(Result("not_says", index, ok, pattern))
    if not paused:
        results.append(Result("answered", index, bool(low), "an answer"))
        for message in bot_messages:
            flat = _flat(message)
            if len(flat.split()) >= REPEAT_MIN_WORDS:
                results.append(Result("no_repeat", index, flat not in seen, flat[:80]))
                seen.append(flat)
    return results


def _same(name: str, expected: Any, held: Any) -> bool:
    if name == "deadline":
        return bool(held) and str(expected).lower() in str(held).lower()
    if name in ("age", "amount_demanded", "amount_paid"):
        try:
            return abs(float(held) - float(expected)) < 0.5
        except (TypeError, ValueError):
            return False
    if isinstance(expected, bool) or isinstance(held, bool):
        return held is expected or (str(held).lower() == str(expected).lower())
    return str(held).lower() == str(expected).lower()


def held(value: Any) -> bool:
    return value is not None and value != [] and value != ""


def score_facts(conv: Conversation, slots: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Per scored fact: expected, held, and whether it counts as tp / fp / fn."""
    rows = []
    for name in SCORED_FACTS:
        value = slots.get(name)
        is_held = held(value)
        if name in ("suicide_risk", "deepfake") and value is False:
            is_held = False  # "no" is the default of a flag, not a claim
        expected = conv.facts.get(name, None)
        row = {"fact": name, "expected": expected, "held": value if is_held else None, "tp": 0, "fp": 0, "fn": 0}
        if name in conv.facts:
            if is_held and _same(name, expected, value):
                row["tp"] = 1
            elif is_held:
                row["fp"] = 1  # a wrong value
                row["fn"] = 1
            elif expected is False and name in ("suicide_risk", "deepfake"):
                row["tp"] = 1
            else:
                row["fn"] = 1
        elif is_held and name not in conv.unsure:
            row["fp"] = 1  # held, never said (or said not to be known)
        rows.append(row)
    return rows


NOT_YET_MET = HERE / "not_yet_met.yml"


def result_id(r: Result) -> str:
    """A failed expectation's name in not_yet_met.yml: 'turn:kind' ('0:fact:paid' for facts)."""
    if r.kind == "fact":
        return f"0:fact:{r.detail.split(':', 1)[0]}"
    return f"{r.turn}:{r.kind}"


def not_yet_met() -> Dict[str, Any]:
    """The expectations known to fail (issue 15 still open), reported as NOT MET instead of failing
    the build; anything else that fails, fails. Remove entries as they pass (never add to pass)."""
    if not NOT_YET_MET.exists():
        return {"expectations": {}, "facts_below_bar": []}
    data = yaml.safe_load(NOT_YET_MET.read_text(encoding="utf-8")) or {}
    return {
        "expectations": {k: set(v or []) for k, v in (data.get("expectations") or {}).items()},
        "facts_below_bar": list(data.get("facts_below_bar") or []),
    }


def transcript(
    conv: Conversation, log: List[Dict[str, Any]], results: List[Result], fact_rows: List[Dict[str, Any]]
) -> str:
    """A readable Markdown transcript with the failed expectations next to each turn."""
    lines = [f"# {conv.id}", "", f"*{conv.persona}* ({conv.source})", ""]
    by_turn: Dict[int, List[Result]] = {}
    for r in results:
        by_turn.setdefault(r.turn, []).append(r)
    for entry in log:
        if entry["who"] == "counsellor":
            lines.append(f"**[hulpverlener: {entry['step']}]** {entry.get('text') or ''}".rstrip())
            lines.append("")
            continue
        lines.append(f"**{entry['index']}. Persoon:** {entry['text']}")
        for message in entry["bot"]:
            lines.append("> " + message.replace("\n", "\n> "))
        if entry.get("nlu") or entry.get("changed"):
            facts = ", ".join(f"{k} = {v!r}" for k, v in (entry.get("changed") or {}).items())
            lines.append(f"*(NLU: {entry.get('nlu') or '-'}{'; facts: ' + facts if facts else ''})*")
        for r in by_turn.get(entry["index"], []):
            if not r.ok:
                lines.append(f"- ✗ `{r.kind}` {r.detail}")
        lines.append("")
    lines.append("## Facts at the end")
    lines.append("| fact | expected | held | |")
    lines.append("|---|---|---|---|")
    for row in fact_rows:
        if row["expected"] is None and row["held"] is None:
            continue
        mark = "✓" if row["tp"] and not row["fp"] else ("✗" if row["fp"] or row["fn"] else "")
        lines.append(f"| {row['fact']} | {row['expected']} | {row['held']} | {mark} |")
    return "\n".join(lines) + "\n"


def summary(
    all_results: Dict[str, List[Result]],
    all_facts: Dict[str, List[Dict[str, Any]]],
    known: Optional[Dict[str, Any]] = None,
) -> str:
    kinds: Dict[str, List[int]] = {}
    for results in all_results.values():
        for r in results:
            counts = kinds.setdefault(r.kind, [0, 0])
            counts[0 if r.ok else 1] += 1
    total_ok = sum(v[0] for v in kinds.values())
    total = sum(sum(v) for v in kinds.values())
    lines = [
        "# Conversation suite",
        "",
        f"{len(all_results)} conversations, {total} expectations, {total_ok} passed ({total - total_ok} failed).",
        "",
        "| expectation | passed | failed |",
        "|---|---|---|",
    ]
    for kind in sorted(kinds):
        lines.append(f"| {kind} | {kinds[kind][0]} | {kinds[kind][1]} |")
    lines += ["", "## Facts", "", "| fact | precision | recall | tp | fp | fn |", "|---|---|---|---|---|---|"]
    for name, p, r, tp, fp, fn in fact_scores(all_facts):
        lines.append(f"| {name} | {_fmt(p)} | {_fmt(r)} | {tp} | {fp} | {fn} |")
    failing = [cid for cid, results in all_results.items() if any(not r.ok for r in results)]
    lines += ["", "Conversations with a failed expectation: " + (", ".join(failing) or "none")]
    if known:
        listed = sum(len(v) for v in known["expectations"].values())
        fixed = sum(
            1
            for cid, ids in known["expectations"].items()
            for i in ids
            if cid in all_results and i not in {result_id(r) for r in all_results[cid] if not r.ok}
        )
        lines += [
            "",
            f"Known not met (tests/conversations/not_yet_met.yml): {listed} expectations listed, "
            f"{fixed} of them passed in this run (remove them from the list).",
        ]
    return "\n".join(lines) + "\n"


def fact_scores(all_facts: Dict[str, List[Dict[str, Any]]]):
    for name in SCORED_FACTS:
        tp = sum(row["tp"] for rows in all_facts.values() for row in rows if row["fact"] == name)
        fp = sum(row["fp"] for rows in all_facts.values() for row in rows if row["fact"] == name)
        fn = sum(row["fn"] for rows in all_facts.values() for row in rows if row["fact"] == name)
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        yield name, precision, recall, tp, fp, fn


def _fmt(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.2f}"
