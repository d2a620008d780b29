"""Nachtlicht benchmark: latency, throughput, memory and training time (issue 7).

One run does, for our pipeline (config.yml) and, unless --no-baseline, for the pipeline
`rasa init` writes (bench/rasa_init_config.yml) trained on the same data:
  1. full training time (`rasa train`, empty cache) and the NLU part of it;
  2. starts the whole system (action server, Rasa, web app) on free ports with a throwaway
     database and tracker store, and drives conversations through the web app's chat API
     (`POST /chat/api/conversations/{id}/messages`, the path the chat page uses) at 1, 10 and
     50 concurrent conversations of --messages messages each; every conversation sends its
     next message when the previous answer arrived, after a think time (each of --think);
  3. peak memory (VmHWM) of the Rasa server process.
Writes reports/bench/results.json and results.md (the table for docs/performance.md).

Usage: python bench/run_bench.py [--levels 1,10,50] [--messages 8] [--think 6,1]
                                 [--saturation 10] [--no-baseline] [--skip-training]
--saturation N adds a run of N conversations without think time: the most messages per
second one Rasa server handles.
With PostgreSQL and Redis on this machine it also load-tests our model in the production
profile (two Rasa replicas, `python -m bot run --profile prod`; --no-prod skips it).
--skip-training reuses the models of an earlier run (ours: else models/nachtlicht.tar.gz) and
reports no training times; --merge adds to an earlier results.json. Takes about an hour with
the baseline on 2 cores (its training is most of it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "reports" / "bench"

# A realistic first contact, message by message (the bot may ask other things in between;
# any answer counts as an answer).
SCRIPT = [
    "hoi",
    "ik word afgeperst door iemand die ik op snap heb leren kennen",
    "hij heeft naaktfoto's van me en wil 250 euro anders stuurt ie ze naar mn vrienden",
    "via snapchat",
    "vanavond om 10 uur",
    "nee nog niks betaald",
    "ik ben 15",
    "ik ben echt bang",
    "wat moet ik doen",
    "oke dankje",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def say(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def rasa_env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")


def training_split(log_text: str) -> dict:
    """Seconds spent training NLU components and policies, from `rasa train`'s log: the sum of
    each component's "Starting to train" .. "Finished training" span (Rasa may train the
    policies first). Policies are the components whose name ends in "Policy"."""
    import re
    from datetime import datetime

    line = re.compile(
        r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) INFO\s+rasa\.engine\.training\.hooks\s+-\s+"
        r"(Starting to train|Finished training) component '(\w+)'",
        re.M,
    )
    totals = {"train_nlu_s": 0.0, "train_policies_s": 0.0}
    started: dict = {}
    for ts, what, comp in line.findall(log_text.replace("\r", "\n")):
        when = datetime.strptime(ts, "%Y-%m-%d %H:%M:%S").timestamp()
        if what.startswith("Starting"):
            started[comp] = when
        elif comp in started:
            totals["train_policies_s" if comp.endswith("Policy") else "train_nlu_s"] += when - started.pop(comp)
    return totals


def train(config: Path, out: Path, name: str) -> dict:
    """One full `rasa train` with an empty private cache (no reuse of earlier trainings).

    The NLU and policy training times are read from the same run's log (training_split)."""
    log_path = OUT / f"train_{name}.log"
    say(f"training the full model with {config.name} (empty cache; follow it in {log_path.relative_to(ROOT)}) ...")
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache, open(log_path, "w") as log_file:
        env = dict(rasa_env(), RASA_CACHE_DIRECTORY=cache)
        t = time.time()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "rasa",
                "train",
                "--config",
                str(config),
                "--out",
                str(out),
                "--fixed-model-name",
                name,
                "--domain",
                "domain.yml",
                "--data",
                "data",
                "--force",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            text=True,
        )
        full = time.time() - t
    log_text = log_path.read_text(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"training with {config.name} failed; see {log_path}")
    split = training_split(log_text)
    say(f"  full {full:.0f} s: NLU components {split['train_nlu_s']:.0f} s, policies {split['train_policies_s']:.0f} s")
    return dict(split, train_full_s=full)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def find_rasa_pids(parent: int) -> list:
    """The Rasa servers (`bot.rasa.server run`, one per replica) started by `python -m bot run`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and " bot.rasa.server run " in f" {cmdline} ":
            found.append(int(proc.name))
    return sorted(found)


PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432")
REDIS_DB = os.environ.get("BENCH_REDIS_DB", "12")


def prod_services_ok() -> str:
    """'' when PostgreSQL and Redis for the prod profile are reachable, else the reason."""
    try:
        import psycopg2
        import redis

        psycopg2.connect(f"{PG_URL}/postgres", connect_timeout=3).close()
        redis.Redis(host="127.0.0.1", port=6379, db=int(REDIS_DB), socket_timeout=3).ping()
    except Exception as exc:
        return f"{exc.__class__.__name__}: {str(exc).strip()[:160]}"
    return ""


class Stack:
    """The whole system via `python -m bot run`, on free ports, with throwaway storage.

    embedded: one Rasa server, SQLite tracker store and tables, in-memory lock store.
    prod: `--profile prod`, two Rasa replicas on a throwaway PostgreSQL tracker store and tables
    (dropped afterwards) and Redis locks (database BENCH_REDIS_DB, a key prefix of this run)."""

    def __init__(self, model: Path, profile: str = "embedded"):
        self.model, self.profile = model, profile
        self.tmp = tempfile.TemporaryDirectory(prefix="nachtlicht-bench-")
        self.web_port = free_port()
        self.tag = f"{os.getpid()}{random.randrange(10**6)}"
        self.databases: list = []

    def __enter__(self) -> "Stack":
        import urllib.request

        tmp = Path(self.tmp.name)
        action_port = free_port()
        env = dict(
            rasa_env(),
            NACHTLICHT_MODEL=str(self.model),
            WEB_PORT=str(self.web_port),
            ACTION_PORT=str(action_port),
            RASA_URLS="",
            RASA_URL="",
            RASA_ENDPOINTS="",
            CHAT_RATE_CONVERSATION="100000",
            CHAT_RATE_ADDRESS="100000",
            LOG_LEVEL="WARNING",
        )
        if self.profile == "prod":
            self.databases = [f"nachtlicht_bench_{self.tag}", f"nachtlicht_bench_tracker_{self.tag}"]
            env.update(
                DATABASE_URL=f"{PG_URL}/{self.databases[0]}",
                TRACKER_STORE_URL=f"{PG_URL}/{self.databases[1]}",
                RASA_PORTS=f"{free_port()},{free_port()}",
                REDIS_HOST="127.0.0.1",
                REDIS_PORT="6379",
                REDIS_DB=REDIS_DB,
                LOCK_STORE_PREFIX=f"bench{self.tag}",
                ACTION_ENDPOINT_URL="",
            )
            argv = ["--profile", "prod"]  # endpoints.prod.yml; python -m bot run creates the databases
        else:  # endpoints.yml; python -m bot run gives it ACTION_PORT and TRACKER_STORE_URL (bot/settings.py)
            env.update(
                RASA_PORT=str(free_port()),
                RASA_PORTS="",
                DATABASE_URL=f"sqlite:///{tmp / 'nachtlicht.db'}",
                TRACKER_STORE_URL=f"sqlite:///{tmp / 'tracker.db'}",
                ACTION_ENDPOINT_URL="",
            )
            argv = ["--profile", "embedded"]
        self.log_path = tmp / "stack.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", *argv], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.time() + 300
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("stack exited:\n" + self.log_path.read_text(errors="replace")[-3000:])
            try:
                # the web app is the last process started: the stack is up once it answers
                with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}/health", timeout=2):
                    pass
                self.rasa_pids = find_rasa_pids(self.proc.pid)
                if self.rasa_pids:
                    return self
            except OSError:
                pass
            time.sleep(2)
        raise RuntimeError("stack did not come up in 5 minutes")

    def __exit__(self, *exc: object) -> None:
        self.proc.send_signal(signal.SIGTERM)  # the supervisor stops its processes
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        self.tmp.cleanup()
        if self.databases:
            import psycopg2
            import redis

            admin = psycopg2.connect(f"{PG_URL}/postgres")
            admin.autocommit = True
            with admin.cursor() as cur:
                for name in self.databases:
                    cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
            r = redis.Redis(host="127.0.0.1", port=6379, db=int(REDIS_DB))
            for key in r.scan_iter(f"bench{self.tag}*"):
                r.delete(key)


async def conversation(session, base: str, n: int, think: float, latencies: list, errors: list) -> None:
    # Conversations begin at random moments within one think time, as people do, instead of
    # all sending their first message in the same millisecond.
    if think:
        await asyncio.sleep(random.uniform(0, think))
    async with session.post(f"{base}/chat/api/conversations") as resp:
        if resp.status != 201:
            errors.append(f"create {resp.status}")
            return
        cid = (await resp.json())["conversation_id"]
    for text in SCRIPT[:n]:
        t = time.perf_counter()
        async with session.post(f"{base}/chat/api/conversations/{cid}/messages", json={"text": text}) as resp:
            body = await resp.json(content_type=None)
            elapsed = (time.perf_counter() - t) * 1000
        if resp.status != 200 or not body.get("messages"):
            errors.append(f"message {resp.status}")
        else:
            latencies.append(elapsed)
        if think:
            await asyncio.sleep(think * random.uniform(0.5, 1.5))


async def load(base: str, concurrency: int, n: int, think: float) -> dict:
    import aiohttp

    latencies: list = []
    errors: list = []
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=concurrency + 5)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        t = time.perf_counter()
        await asyncio.gather(*(conversation(session, base, n, think, latencies, errors) for _ in range(concurrency)))
        wall = time.perf_counter() - t
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [float("nan")] * 99
    return {
        "concurrency": concurrency,
        "messages": len(latencies),
        "errors": len(errors),
        "p50_ms": q[49],
        "p95_ms": q[94],
        "p99_ms": q[98],
        "throughput_msg_s": len(latencies) / wall,
        "wall_s": wall,
    }


def measure(model: Path, levels: list, n: int, thinks: list, saturation: int, profile: str = "embedded") -> dict:
    with Stack(model, profile) as stack:
        base = f"http://127.0.0.1:{stack.web_port}"
        # warm-up (not measured): TensorFlow traces its graphs for each new input shape on first use
        # with several replicas, enough conversations that the hash routing reaches each of them
        asyncio.run(load(base, 4 * len(stack.rasa_pids), n, 0))
        runs = []
        for think in thinks:
            for c in levels:
                say(f"{c} concurrent conversation(s) x {n} messages, think time {think} s ...")
                r = dict(asyncio.run(load(base, c, n, think)), think_s=think)
                say(
                    f"  p50 {r['p50_ms']:.0f} ms  p95 {r['p95_ms']:.0f} ms  p99 {r['p99_ms']:.0f} ms  "
                    f"{r['throughput_msg_s']:.1f} msg/s  errors {r['errors']}"
                )
                runs.append(r)
        result = {"runs": runs, "profile": profile, "rasa_servers": len(stack.rasa_pids)}
        if saturation:
            # No think time: every conversation sends again as soon as it has its answer, so
            # this is the most the system processes (capacity planning).
            say(f"saturation: {saturation} conversations x {n} messages without think time ...")
            r = dict(asyncio.run(load(base, saturation, n, 0)), think_s=0)
            say(f"  {r['throughput_msg_s']:.1f} msg/s  p95 {r['p95_ms']:.0f} ms  errors {r['errors']}")
            result["saturation"] = r
        # the largest replica (they run the same model)
        result["rasa_peak_rss_mb"] = max(peak_rss_mb(pid) for pid in stack.rasa_pids)
        return result


LABELS = {
    "ours": "ours (embedded: 1 Rasa server, SQLite)",
    "ours_prod": "ours (prod profile: 2 Rasa replicas, PostgreSQL, Redis)",
    "rasa_init": "`rasa init` pipeline (embedded)",
}


def table(results: dict, args: argparse.Namespace) -> str:
    ours, base = results.get("ours"), results.get("rasa_init")
    lines = [
        f"# Nachtlicht benchmark ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores)",
        "",
        f"Through the web app's chat API; {args.messages} messages per conversation; think time = "
        "mean pause (±50 %) between an answer and the person's next message; conversations start "
        "at random moments within one think time.",
        "",
        "| system | think s | concurrent conversations | p50 ms | p95 ms | p99 ms | throughput msg/s | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, entry in results.items():
        for r in entry["runs"] + ([entry["saturation"]] if "saturation" in entry else []):
            level = f"{r['concurrency']}" + (" (saturation)" if r is entry.get("saturation") else "")
            lines.append(
                f"| {LABELS.get(key, key)} | {r.get('think_s', '-')} | {level} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | "
                f"{r['p99_ms']:.0f} | {r['throughput_msg_s']:.1f} | {r['errors']} |"
            )
    if not (ours and base):
        return "\n".join(lines) + "\n"
    lines += ["", "| measure | ours | rasa init | ratio (ours / init) |", "|---|---|---|---|"]

    def row(label: str, a: float | None, b: float | None, fmt: str) -> None:
        if a is None:
            return
        ratio = f"{a / b:.2f}" if b else "-"
        lines.append(f"| {label} | {fmt.format(a)} | {fmt.format(b) if b is not None else '-'} | {ratio} |")

    for r, b in zip(ours["runs"], base["runs"]):
        row(
            f"p95 latency at {r['concurrency']} concurrent, think {r.get('think_s', '-')} s (ms)",
            r["p95_ms"],
            b["p95_ms"],
            "{:.0f}",
        )
    if "saturation" in ours and "saturation" in base:
        row(
            f"max throughput, {ours['saturation']['concurrency']} conversations without think time (msg/s)",
            ours["saturation"]["throughput_msg_s"],
            base["saturation"]["throughput_msg_s"],
            "{:.1f}",
        )
    row("peak memory of the Rasa server (MB)", ours.get("rasa_peak_rss_mb"), base.get("rasa_peak_rss_mb"), "{:.0f}")
    row("full training (s)", ours.get("train_full_s"), base.get("train_full_s"), "{:.0f}")
    row("NLU components' training (s)", ours.get("train_nlu_s"), base.get("train_nlu_s"), "{:.0f}")
    row("policies' training (s)", ours.get("train_policies_s"), base.get("train_policies_s"), "{:.0f}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--messages", type=int, default=8, choices=range(1, len(SCRIPT) + 1))
    parser.add_argument(
        "--think",
        default="6,1",
        help="comma-separated mean think times in seconds, each run at every level (default: "
        "6 = reading the answer and typing on a phone, 1 = stress)",
    )
    parser.add_argument(
        "--saturation", type=int, default=10, help="conversations of the no-think-time throughput run (0: skip it)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the `rasa init` pipeline")
    parser.add_argument("--no-prod", action="store_true", help="skip the prod-profile run (2 replicas)")
    parser.add_argument(
        "--skip-training",
        action="store_true",
        help="reuse reports/bench/models/<name>.tar.gz (ours: else models/nachtlicht.tar.gz)",
    )
    parser.add_argument("--only", default="", help="comma-separated subset of ours,ours_prod,rasa_init")
    parser.add_argument(
        "--reuse-models",
        action="store_true",
        help="reuse reports/bench/models/<name>.tar.gz where it exists, train the others",
    )
    parser.add_argument(
        "--merge", action="store_true", help="add to the existing reports/bench/results.json instead of starting anew"
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="only rewrite results.md from results.json (training split re-read from the logs)",
    )
    args = parser.parse_args()
    if args.report:
        results = json.loads((OUT / "results.json").read_text())
        for key, entry in results.items():
            log = OUT / f"train_{'ours' if key == 'ours_prod' else key}.log"
            if "train_full_s" in entry and log.exists():
                entry.update(training_split(log.read_text(errors="replace")))
        (OUT / "results.json").write_text(json.dumps(results, indent=2))
        md = table(results, args)
        (OUT / "results.md").write_text(md)
        print(md)
        return 0
    levels = [int(x) for x in args.levels.split(",")]
    thinks = [float(x) for x in args.think.split(",")]
    OUT.mkdir(parents=True, exist_ok=True)
    models = OUT / "models"
    # (result key, config, profile); ours_prod load-tests the model trained for "ours"
    runs = [("ours", ROOT / "config.yml", "embedded")]
    if not args.no_prod:
        problem = prod_services_ok()
        if problem:
            say(f"no prod-profile run: PostgreSQL/Redis not usable ({problem}); --no-prod silences this")
        else:
            runs.append(("ours_prod", ROOT / "config.yml", "prod"))
    if not args.no_baseline:
        runs.append(("rasa_init", ROOT / "bench" / "rasa_init_config.yml", "embedded"))
    if args.only:
        keep = {k.strip() for k in args.only.split(",")}
        runs = [r for r in runs if r[0] in keep]
    results_file = OUT / "results.json"
    results: dict = json.loads(results_file.read_text()) if args.merge and results_file.exists() else {}
    trained: dict = {}
    for key, config, profile in runs:
        entry: dict = {}
        name = "ours" if key == "ours_prod" else key
        model = models / f"{name}.tar.gz"
        if name in trained or args.skip_training or (args.reuse_models and model.exists()):
            if not model.exists() and name == "ours":
                model = ROOT / "models" / "nachtlicht.tar.gz"
            if not model.exists():
                print(f"No model at {model}: run without --skip-training first.", file=sys.stderr)
                return 1
        else:
            entry.update(train(config, models, name))
            trained[name] = True
        say(f"load test: {LABELS.get(key, key)} ...")
        entry.update(measure(model, levels, args.messages, thinks, args.saturation, profile))
        if key in results and "train_full_s" not in entry:  # keep training times measured earlier
            entry = dict({k: v for k, v in results[key].items() if k.startswith("train_")}, **entry)
        results[key] = entry
        results_file.write_text(json.dumps(results, indent=2))
    md = table(results, args)
    (OUT / "results.md").write_text(md)
    print("\n" + md)
    say(f"written to {OUT}/results.md (copy the table into docs/performance.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
