"""Intent-design comparison (issue 13, docs/nlu.md session 13): score an NLU model on development
data only (old set tests/nlu/test_set.yml and the scripts/nlu_devset_*.yml sets), with the
deterministic splitters a merged design needs. Never on tests/nlu/blind/.

    # a merged design: a relabelled copy of data/nlu, trained NLU-only (about 6 minutes on 2 cores)
    python bench/intent_designs.py prepare /tmp/designs
    PYTHONPATH=. .venv/bin/python -m rasa train nlu --config config.yml --nlu /tmp/designs/d1/nlu \
        --out /tmp/designs/d1 --fixed-model-name d1
    # score: d0 = today's intents, d1 = money merged, d2 = money and who merged
    PYTHONPATH=. .venv/bin/python bench/intent_designs.py score /tmp/designs/d1/d1.tar.gz d1
    PYTHONPATH=. .venv/bin/python bench/intent_designs.py score models/nachtlicht.tar.gz d0

d1 and d2 decide payment/blackmail with a simple rule (any amount or payment-method entity, or a
money word); the split production kept (split_family) is stricter about bare numbers and denials.
"""

import asyncio
import json
import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from evaluate_nlu import load_examples  # noqa: E402

from bot.language.report_phrases import default_net  # noqa: E402
from bot.language.safety_phrases import normalise  # noqa: E402

FAMILY = {"report_blackmail", "report_payment_demand"}
REPORTS = FAMILY | {"report_paid", "report_images_shared", "report_on_behalf"}
NET = default_net()


def money(text, ents):
    norm = normalise(text)
    return any(e["entity"] in ("amount", "payment_method") for e in ents) or any(p.search(norm) for p in NET.money)


def third(text):
    norm = normalise(text)
    return any(p.search(norm) for p in NET.third_person)


def split(design, text, parsed):
    p = parsed["intent"]["name"]
    if design == "d0" or p not in FAMILY:
        return p
    if design == "d2" and third(text):
        return "report_on_behalf"
    return "report_payment_demand" if money(text, parsed.get("entities") or []) else "report_blackmail"


DEV = {
    "payment": "report_payment_demand",
    "blackmail": "report_blackmail",
    "on_behalf": "report_on_behalf",
    "other": "out_of_scope",
}


def load_sets():
    sets = {"old": [(e["text"], e["intent"]) for e in load_examples(ROOT / "tests/nlu/test_set.yml")]}
    for f in sorted((ROOT / "scripts").glob("nlu_devset_*.yml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        sets[f.stem] = [(t, DEV[k]) for k, v in data.items() for t in v]
    return sets


async def main(model, design, out):
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    res = {}
    for name, items in load_sets().items():
        rows = []
        for text, gold in items:
            parsed = await agent.parse_message(text)
            rows.append((text, gold, parsed["intent"]["name"], split(design, text, parsed)))
        fam = [r for r in rows if r[1] in FAMILY]
        oth = [r for r in rows if r[1] not in REPORTS and r[1] != "express_suicidal"]
        nonfam = [r for r in rows if r[1] not in FAMILY]
        beh = [r for r in rows if r[1] == "report_on_behalf"]
        m = {
            "n": len(rows),
            "family_recall": sum(r[3] in FAMILY for r in fam) / max(len(fam), 1),
            "family_fa(nonfamily->family)": sum(r[3] in FAMILY for r in nonfam) / max(len(nonfam), 1),
            "any_report_recall": sum(r[3] in REPORTS for r in fam + beh) / max(len(fam + beh), 1),
            "other->report": sum(r[3] in REPORTS for r in oth) / max(len(oth), 1),
            "pay_vs_blackmail": sum(r[3] == r[1] for r in fam) / max(len(fam), 1),
            "on_behalf_exact": sum(r[3] == "report_on_behalf" for r in beh) / max(len(beh), 1) if beh else None,
            "intent_acc": sum(r[3] == r[1] for r in rows) / len(rows),
        }
        res[name] = m
        print(
            design,
            name,
            json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in m.items()}),
            flush=True,
        )
    Path(out).write_text(json.dumps(res, indent=1))


def prepare(out: Path) -> None:
    """Relabelled copies of data/nlu: d1 (payment demand -> blackmail), d2 (also on behalf -> blackmail)."""
    import re

    merge = {"d1": ("report_payment_demand",), "d2": ("report_payment_demand", "report_on_behalf")}
    for design, names in merge.items():
        target = out / design / "nlu"
        target.mkdir(parents=True, exist_ok=True)
        for f in (ROOT / "data" / "nlu").glob("*.yml"):
            text = f.read_text(encoding="utf-8")
            for name in names:
                text = re.sub(rf"^- intent: {name}$", "- intent: report_blackmail", text, flags=re.M)
            (target / f.name).write_text(text, encoding="utf-8")
        print(f"{target}: {', '.join(names)} -> report_blackmail")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "prepare":
        prepare(Path(sys.argv[2]))
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "score":
        asyncio.run(main(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) == 5 else "/tmp/intent_design.json"))
    else:
        raise SystemExit(__doc__)
