"""Obtain the Dutch spaCy pipeline ``nl_core_news_sm`` for Rasa's SpacyNLP.

Order (first that works wins):
  1. already importable in this Python (and, if it is our own substitute, built from
     the current data and config);
  2. a wheel or package folder named by ``NL_CORE_NEWS_SM`` (e.g. the official wheel);
  3. the official download, when the network allows it;
  4. a locally trained substitute, built reproducibly from ``../shared/ud-dutch``
     (override with ``UD_DUTCH_DIR``): trained on the LassySmall files, evaluated on
     the Alpino files, packaged and pip-installed as ``nl_core_news_sm``.

Step 4 is cached under ``$NACHTLICHT_CACHE`` (default ``~/.cache/nachtlicht``), keyed on
a hash of the treebank files, the training config and this script, so a second setup
on the same machine only reinstalls the cached wheel.

Run: python spacy_nl/build.py [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CONFIG = HERE / "config.cfg"
PACKAGE = "nl_core_news_sm"
VERSION = "3.4.0"
TRAIN_FILES = ["nl_lassysmall-ud-train.conllu", "nl_lassysmall-ud-dev.conllu"]
SELECT_FILES = ["nl_lassysmall-ud-test.conllu"]  # model selection during training
EVAL_FILES = ["nl_alpino-ud-dev.conllu", "nl_alpino-ud-test.conllu"]  # out-of-domain score
MIN_POS = 0.88
MIN_LEMMA = 0.85


def say(msg: str) -> None:
    print(f"[spacy-nl {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def ud_dir() -> Path:
    return Path(os.environ.get("UD_DUTCH_DIR", ROOT.parent / "shared" / "ud-dutch")).resolve()


def cache_root() -> Path:
    return Path(os.environ.get("NACHTLICHT_CACHE", Path.home() / ".cache" / "nachtlicht"))


def build_key() -> str:
    """Hash of everything that determines the trained pipeline: spaCy version, training
    config, treebank files and which file plays which role (not the rest of this script)."""
    h = hashlib.sha256()
    import spacy

    h.update(f"{spacy.__version__}|{VERSION}|{TRAIN_FILES}|{SELECT_FILES}|{EVAL_FILES}".encode())
    for path in [CONFIG] + [ud_dir() / f for f in TRAIN_FILES + SELECT_FILES + EVAL_FILES]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def run(cmd: list, **kw) -> None:
    say("$ " + " ".join(str(c) for c in cmd))
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def installed_meta() -> dict | None:
    """Meta of the installed pipeline package, or None if it is not installed.

    Reads meta.json next to the package without importing it (importing spaCy is slow);
    a subprocess is used so a package installed a moment ago is seen.
    """
    code = (
        "import importlib.util, json, pathlib, sys\n"
        "spec = importlib.util.find_spec(%r)\n"
        "if spec is None or not spec.origin: sys.exit(3)\n"
        "meta = pathlib.Path(spec.origin).parent / 'meta.json'\n"
        "print(json.dumps(json.loads(meta.read_text()) if meta.exists() else {}))\n" % PACKAGE
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode != 0:
        return None
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {}


def loads_ok() -> bool:
    """True if spacy.load() works for the installed package (the real test)."""
    code = "import spacy; nlp = spacy.load(%r); assert len(nlp('ik word afgeperst')) == 3" % PACKAGE
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, env=env).returncode == 0


def pip_install(target: str) -> None:
    run([sys.executable, "-m", "pip", "install", "--no-deps", "--force-reinstall", "-q", target])


def try_env_package() -> bool:
    target = os.environ.get("NL_CORE_NEWS_SM")
    if not target:
        return False
    if not Path(target).exists():
        say(f"NL_CORE_NEWS_SM={target} does not exist; ignoring it.")
        return False
    say(f"Installing {PACKAGE} from NL_CORE_NEWS_SM={target}")
    pip_install(target)
    return installed_meta() is not None and loads_ok()


def try_official_download() -> bool:
    if os.environ.get("NACHTLICHT_SKIP_DOWNLOAD") == "1":
        return False
    say("Trying the official download (skipped quickly when there is no network) ...")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "spacy", "download", PACKAGE, "--", "--no-deps", "-q"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        say("Official download timed out.")
        return False
    if proc.returncode == 0 and installed_meta() is not None and loads_ok():
        say("Installed the official pipeline.")
        return True
    say("Official download not available here; building the substitute instead.")
    return False


def concat(files: list, dest: Path) -> None:
    with dest.open("wb") as out:
        for name in files:
            data = (ud_dir() / name).read_bytes()
            out.write(data.rstrip(b"\n") + b"\n\n")


def convert(files: list, work: Path, name: str) -> Path:
    conllu = work / f"{name}.conllu"
    concat(files, conllu)
    outdir = work / "corpus"
    outdir.mkdir(exist_ok=True)
    run(
        [
            sys.executable,
            "-m",
            "spacy",
            "convert",
            conllu,
            outdir,
            "--converter",
            "conllu",
            "--n-sents",
            "10",
            "--merge-subtokens",
        ],
        stdout=subprocess.DEVNULL,
    )
    return outdir / f"{name}.spacy"


def evaluate(model: Path, data: Path, out: Path) -> dict:
    run([sys.executable, "-m", "spacy", "evaluate", model, data, "--output", out])
    return json.loads(out.read_text())


def build_substitute(key: str, cache: Path) -> Path:
    t0 = time.time()
    work = cache / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    say(f"Building a substitute {PACKAGE} from {ud_dir()} (key {key}); takes about 8-12 minutes on 2 cores.")
    train = convert(TRAIN_FILES, work, "train")
    select = convert(SELECT_FILES, work, "select")
    evaluation = convert(EVAL_FILES, work, "alpino")
    steps = re.search(r"^max_steps = (\d+)", CONFIG.read_text(), re.M).group(1)
    say(f"Converted treebanks in {time.time() - t0:.0f}s; training {steps} steps (a score line every 500 steps) ...")
    run(
        [
            sys.executable,
            "-m",
            "spacy",
            "train",
            CONFIG,
            "--output",
            work / "model",
            "--paths.train",
            train,
            "--paths.dev",
            select,
        ]
    )
    scores = evaluate(work / "model" / "model-best", evaluation, work / "alpino-scores.json")
    pos, lemma = scores.get("pos_acc", 0.0), scores.get("lemma_acc", 0.0)
    say(
        f"Alpino (out of domain): POS {pos:.3f}  morph {scores.get('morph_acc', 0):.3f}  "
        f"lemma {lemma:.3f}  UAS {scores.get('dep_uas', 0):.3f}  LAS {scores.get('dep_las', 0):.3f}"
    )
    if pos < MIN_POS or lemma < MIN_LEMMA:
        raise SystemExit(
            f"Substitute pipeline too weak: POS {pos:.3f} (need {MIN_POS}) / lemma {lemma:.3f} "
            f"(need {MIN_LEMMA}). Check the treebank files in {ud_dir()} and spacy_nl/config.cfg."
        )
    meta = {
        "lang": "nl",
        "name": "core_news_sm",
        "version": VERSION,
        "description": (
            "LOCALLY TRAINED SUBSTITUTE for spaCy's official nl_core_news_sm, built by Nachtlicht's "
            "spacy_nl/build.py because the official package could not be downloaded. Trained on "
            "UD_Dutch-LassySmall (train+dev; test used for model selection), evaluated on UD_Dutch-Alpino "
            "(dev+test, out of domain). No NER, no word vectors."
        ),
        "author": "Nachtlicht (substitute build)",
        "license": "CC BY-SA 4.0",
        "sources": [
            {
                "name": "UD_Dutch-LassySmall",
                "url": "https://github.com/UniversalDependencies/UD_Dutch-LassySmall",
                "license": "CC BY-SA 4.0",
                "author": "Gosse Bouma, Gertjan van Noord",
            },
            {
                "name": "UD_Dutch-Alpino",
                "url": "https://github.com/UniversalDependencies/UD_Dutch-Alpino",
                "license": "CC BY-SA 4.0",
                "author": "Gosse Bouma, Gertjan van Noord and others",
            },
        ],
        # Out-of-domain (Alpino) scores, not the in-domain ones spaCy would put here.
        "performance": {
            k: scores.get(k)
            for k in (
                "pos_acc",
                "morph_acc",
                "lemma_acc",
                "dep_uas",
                "dep_las",
                "sents_p",
                "sents_r",
                "sents_f",
                "speed",
            )
        },
        "nachtlicht_substitute": True,
        "nachtlicht_build_key": key,
        "nachtlicht_eval": {
            "data": "UD_Dutch-Alpino dev+test",
            "pos_acc": pos,
            "morph_acc": scores.get("morph_acc"),
            "lemma_acc": lemma,
            "dep_uas": scores.get("dep_uas"),
            "dep_las": scores.get("dep_las"),
            "sents_f": scores.get("sents_f"),
            "speed_wps": scores.get("speed"),
            "build_seconds": round(time.time() - t0),
        },
    }
    meta_path = work / "meta.json"
    meta_path.write_text(json.dumps(meta, indent=2))
    pkg_dir = work / "package"
    pkg_dir.mkdir()
    run(
        [
            sys.executable,
            "-m",
            "spacy",
            "package",
            work / "model" / "model-best",
            pkg_dir,
            "--meta-path",
            meta_path,
            "--build",
            "wheel",
            "--force",
        ],
        stdout=subprocess.DEVNULL,
    )
    wheels = sorted(pkg_dir.rglob("*.whl"))
    if not wheels:
        raise SystemExit("spacy package produced no wheel; see the output above.")
    wheel = cache / wheels[0].name
    shutil.copy2(wheels[0], wheel)
    (cache / "meta.json").write_text(json.dumps(meta, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    say(f"Built {wheel.name} in {time.time() - t0:.0f}s.")
    return wheel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--force", action="store_true", help="rebuild the substitute even if cached")
    args = parser.parse_args()

    key = build_key()
    meta = installed_meta()
    if meta is not None and not args.force:
        if not meta.get("nachtlicht_substitute"):
            say(f"{PACKAGE} {meta.get('version', '?')} is already installed (official or provided); nothing to do.")
            return
        if meta.get("nachtlicht_build_key") == key:
            say(f"Substitute {PACKAGE} for key {key} already installed; nothing to do.")
            return
        say("Installed substitute was built from other data/config; replacing it.")

    if not args.force and (try_env_package() or try_official_download()):
        return

    cache = cache_root() / "spacy-nl" / key
    cache.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache.glob("*.whl"))
    if wheels and not args.force:
        say(f"Using the cached substitute {wheels[0]} (no retraining).")
        wheel = wheels[0]
    else:
        wheel = build_substitute(key, cache)
    pip_install(str(wheel))
    importlib.invalidate_caches()
    meta = installed_meta()
    if not meta or not loads_ok():
        raise SystemExit(
            f"{PACKAGE} does not load after installing {wheel}. Run "
            f"'{sys.executable} spacy_nl/build.py --force' to rebuild it."
        )
    say(
        f"{PACKAGE} ready (Alpino POS {meta['nachtlicht_eval']['pos_acc']:.3f}, "
        f"lemma {meta['nachtlicht_eval']['lemma_acc']:.3f})."
    )


if __name__ == "__main__":
    main()
