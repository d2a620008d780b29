"""Try one sentence on the current model: what the bot understands and what it answers (issue 18).

    make try ZIN="hij wil 300 euro anders stuurt hij mijn naaktfoto door"
    make try "hij wil 300 euro anders stuurt hij mijn naaktfoto door"
    .venv/bin/python scripts/try.py [--model models/nachtlicht.tar.gz] "zin"

Loads models/nachtlicht.tar.gz in this process (no servers to start by hand; the action server is
started for the run and stopped again, like scripts/evaluate_outcomes.py does), and prints in
short Dutch-labelled lines: the intent with its confidence and the top 3, the entities, every
amount read as euros, the platform, whether the safety net matched, the question topic, and the
bot's full reply when this sentence is the first message of a new conversation.
Exit code 0 when it worked, 1 on an error (no model, a model that does not load), 2 without a sentence.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import textwrap
import threading
import time
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))
sys.path.insert(0, str(ROOT))
DEFAULT_MODEL = ROOT / "models" / "nachtlicht.tar.gz"
LABEL = 16  # width of the Dutch labels


def line(label: str, value: str = "") -> None:
    """'Intentie:       report_blackmail (0.93)'; continuation lines are indented under the value."""
    pad = " " * (LABEL + 1)
    text = (label + ":" if label else "").ljust(LABEL) + " " + value.replace("\n", "\n" + pad)
    print(text.rstrip(), flush=True)


def euro(value: float) -> str:
    """1500.0 -> '€ 1.500'; 2.5 -> '€ 2,50' (Dutch notation)."""
    if abs(value - round(value)) < 0.005:
        return "€ " + f"{int(round(value)):,}".replace(",", ".")
    return "€ " + f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def normalise_amount(text):
    from bot.language.money import normalise_amount as read  # what the actions store as euros

    return read(text)


def model_is_stale(model: Path) -> bool:
    """Data, config or domain changed since the default model was trained (scripts/train.py)."""
    try:
        import train

        return model == train.MODEL.resolve() and (
            not train.STAMP.exists() or train.STAMP.read_text().strip() != train.fingerprint()
        )
    except Exception:  # a check for a hint only
        return False


def no_warnings() -> None:
    """Library warnings (TensorFlow, SQLAlchemy, pyparsing …) are noise for a trainer; some libraries
    switch warnings back on while they load, so they are also never shown."""
    warnings.filterwarnings("ignore")
    warnings.showwarning = lambda *args, **kwargs: None


def quiet() -> None:
    """Rasa and TensorFlow talk a lot while loading; only errors are of interest here."""
    no_warnings()
    logging.getLogger().setLevel(logging.ERROR)
    for name in ("rasa", "tensorflow", "absl", "sanic", "asyncio", "matplotlib"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.ERROR)
    no_warnings()


def show_parse(parsed: dict, text: str) -> None:
    intent = parsed.get("intent") or {}
    entities = parsed.get("entities") or []
    show_intent(parsed, intent)
    show_entities(entities, text)
    show_amounts(entities, text)
    show_platforms(entities, text)
    show_safety_net(parsed, intent, text)
    show_topic(parsed)


def show_intent(parsed: dict, intent: dict) -> None:
    line("Intentie", f"{intent.get('name') or '(geen)'} ({intent.get('confidence') or 0:.2f})")
    ranking = [r for r in parsed.get("intent_ranking") or []][:3]
    line("Top 3", "  ·  ".join(f"{r.get('name')} {r.get('confidence') or 0:.2f}" for r in ranking) or "(geen)")
    # Who decided: the last of the pipeline's nets that changed the intent (config.yml order:
    # report net, question topics, safety net), and what the classifier itself said.
    for key, who in (
        ("safety_net", "het veiligheidsvangnet"),
        ("question_topic", "een vraagonderwerp"),
        ("report_net", "het meldingsvangnet"),
    ):
        info = parsed.get(key)
        if isinstance(info, dict) and info.get("model_intent") and info.get("model_intent") != intent.get("name"):
            conf = info.get("model_confidence")
            verb = "opzij gezet (ontkenning)" if info.get("denied") else "gekozen"
            line(
                "",
                f"({verb} door {who}; het model zelf zei {info['model_intent']}"
                f"{f' {conf:.2f}' if isinstance(conf, (int, float)) else ''})",
            )
            break


def show_entities(entities: list, text: str) -> None:
    if not entities:
        line("Entiteiten", "geen")
    for i, e in enumerate(entities):
        value = e.get("value")
        shown = f'{e.get("entity")}: "{text[e["start"] : e["end"]] if "start" in e else value}"'
        if value is not None and str(value) != str(text[e.get("start", 0) : e.get("end", 0)]):
            shown += f" → {value}"
        by = {"DIETClassifier": "model", "MoneySpans": "geldpatroon", "RegexEntityExtractor": "patroon"}.get(
            e.get("extractor"), e.get("extractor")
        )
        if "EntitySynonymMapper" in (e.get("processors") or []):
            by = f"{by}, synoniem" if by else "synoniem"
        shown += f"  [{by}]" if by else ""
        line("Entiteiten" if i == 0 else "", shown)


def show_amounts(entities: list, text: str) -> None:
    amounts = [e for e in entities if e.get("entity") == "amount"]
    if not amounts:
        line("Bedrag", "geen bedrag gevonden")
    for i, e in enumerate(amounts):
        surface = text[e["start"] : e["end"]] if "start" in e else str(e.get("value"))
        value = normalise_amount(str(e.get("value") or surface)) or normalise_amount(surface)
        line(
            "Bedrag" if i == 0 else "",
            f'{euro(value)}  (uit "{surface}")'
            if value is not None
            else f"\"{surface}\" is NIET te lezen als bedrag in euro's (zie docs/training.md, 'How amounts are found')",
        )


def show_platforms(entities: list, text: str) -> None:
    from bot.language.text_facts import canonical_platform, platform_name

    platforms = [e for e in entities if e.get("entity") == "platform"]
    for i, e in enumerate(platforms):
        canonical = canonical_platform(str(e.get("value") or ""))
        line(
            "Platform" if i == 0 else "",
            f"{platform_name(canonical)} ({canonical})"
            if canonical
            else f'"{e.get("value")}" is GEEN bekend platform (geen weergavenaam)',
        )
    if not platforms:
        try:
            from bot.language.text_facts import find_platform

            found = find_platform(text)
        except ImportError:
            found = None
        line(
            "Platform",
            f"geen platform-entiteit; de acties lezen uit de tekst: {platform_name(found)} ({found})"
            if found
            else "geen",
        )


def show_safety_net(parsed: dict, intent: dict, text: str) -> None:
    from bot.language.safety_phrases import is_suicidal

    net = parsed.get("safety_net") or {}
    if net.get("matched"):
        how = (
            "zinnen in data/safety/suicidal_phrases.yml" if net.get("by") == "phrases" else "de rangorde van het model"
        )
        line("Vangnet", f"JA: 113/112-bericht (via {how})")
    elif is_suicidal(text):  # the NLU net only steps in when the model did not say express_suicidal itself
        line(
            "Vangnet",
            "JA: de zin matcht data/safety/suicidal_phrases.yml"
            + (" (het model herkende express_suicidal ook zelf)" if intent.get("name") == "express_suicidal" else ""),
        )
    elif net.get("denied"):
        line("Vangnet", "nee (de zin ontkent suïcidale gedachten)")
    else:
        line("Vangnet", "nee")


def show_topic(parsed: dict) -> None:
    topic = parsed.get("question_topic") or {}
    if topic:
        line(
            "Vraagonderwerp",
            f"{topic.get('topic') or '(geen onderwerp)'} → intentie {topic.get('intent')}"
            + (f"; antwoord topic_{topic['topic']} in actions/responses.yml" if topic.get("topic") else ""),
        )
    else:
        line("Vraagonderwerp", "geen")


def wrap(text: str) -> str:
    """A reply's text, each line wrapped at 96 characters and indented under its number."""
    return "\n".join(
        textwrap.fill(p, 96, initial_indent="     ", subsequent_indent="     ") for p in text.splitlines() or [""]
    )


def show_reply(outcome: dict, text: str) -> None:
    from bot.language.safety_phrases import has_safety_line, is_suicidal, safety_message

    replies = [r for r in outcome.get("replies") or [] if isinstance(r, dict)]
    print(flush=True)
    print("Antwoord van de bot (als eerste bericht van een nieuw gesprek):", flush=True)
    if not replies:
        print("  (geen antwoord; de webchat zou zeggen dat het even niet lukt)")
    for i, r in enumerate(replies, 1):
        print(f"  {i}." + (wrap(r["text"])[4:] if r.get("text") else ""))
        if r.get("buttons"):
            print("     [knoppen: " + " | ".join(str(b.get("title")) for b in r["buttons"]) + "]")
        if r.get("image"):
            print(f"     [afbeelding: {r['image']}]")
    texts = [r.get("text") or "" for r in replies]
    if is_suicidal(text) and not has_safety_line(texts):
        print("  + de webchat voegt toe (vangnet, geen 113 in het antwoord):")
        print(wrap(safety_message()))
    actions = [a for a in outcome.get("actions") or [] if a not in ("action_listen", "action_session_start")]
    if actions:
        print(f"  (acties: {', '.join(actions)})", flush=True)


def run(model: Path, text: str) -> int:
    started = time.time()
    no_warnings()
    print(f"Model laden … ({model.name}; dit duurt 30–60 s)", flush=True)
    import evaluate_outcomes as session  # reuses its action-server start and first-reply helpers

    with tempfile.TemporaryDirectory() as tmp:
        # The action server starts in its own process while this one imports Rasa and TensorFlow.
        box: dict = {}

        def start() -> None:
            try:
                box["server"] = session.start_action_server(Path(tmp))
            except Exception as exc:  # reported below
                box["error"] = exc

        starter = threading.Thread(target=start, daemon=True)
        starter.start()
        try:
            quiet()
            import rasa.core.agent  # noqa: F401  (the slow import, next to the server's start)

            starter.join()
            if "error" in box:
                raise RuntimeError(f"de actieserver start niet: {box['error']}")
            _proc, url, token = box["server"]
            agent = session.load_agent(model, url, token)
            if not agent.is_ready():
                raise RuntimeError("het model laadt niet (is het bestand heel? draai make train)")
            print(f"Model geladen in {time.time() - started:.0f} s.", flush=True)

            async def both():
                return await agent.parse_message(text), await session.first_reply(agent, text)

            parsed, outcome = asyncio.run(both())
        finally:
            starter.join()
            if "server" in box:  # stop the action server started for this run
                proc = box["server"][0]
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except Exception:
                    proc.kill()
    print(flush=True)
    line("Zin", text)
    show_parse(parsed, text)
    show_reply(outcome, text)
    print(f"\n(klaar in {time.time() - started:.0f} s)", flush=True)
    return 0


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("zin", nargs="*", help="de zin die je wilt proberen (tussen aanhalingstekens)")
    parser.add_argument("--model", default=str(DEFAULT_MODEL), help="het model (standaard models/nachtlicht.tar.gz)")
    args = parser.parse_args(argv)
    text = " ".join(args.zin).strip()
    if not text:
        print(
            'Geef een zin om te proberen, bijvoorbeeld: make try ZIN="hij wil 300 euro anders stuurt hij mijn '
            'naaktfoto door"',
            file=sys.stderr,
        )
        return 2
    model = Path(args.model).resolve()
    if not model.is_file():
        shown = model.relative_to(ROOT) if model.is_relative_to(ROOT) else model
        print(f"Geen model gevonden ({shown}). Train eerst het model met: make train", file=sys.stderr)
        return 1
    if model_is_stale(model):
        print(
            "Let op: data, config of domain zijn veranderd sinds dit model getraind is; je wijziging zit er "
            "nog niet in. Draai eerst: make train",
            flush=True,
        )
    try:
        return run(model, text)
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130
    except Exception as exc:  # one clear line instead of a Rasa traceback
        print(f"FOUT: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
