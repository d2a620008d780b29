"""Nachtlicht benchmark: latency, throughput, memory and training time (issue 7).

One run does, for our pipeline (config.yml) and, unless --no-baseline, for the pipeline
`rasa init` writes (bench/rasa_init_config.yml) trained on the same data:
  1. full training time (`rasa train`, empty cache) and the NLU part of it;
  2. starts the whole system (action server, Rasa, web app) on free ports with a throwaway
     database and tracker store, and drives conversations through the web app's chat API
     (`POST /chat/api/conversations/{id}/messages`, the path the chat page uses) at 1, 10 and
     50 concurrent conversations of --messages messages each; every conversation sends its
     next message when the previous answer arrived, after --think seconds;
  3. peak memory (VmHWM) of the Rasa server process.
Writes reports/bench/results.json and results.md (the table for docs/performance.md).

Usage: python bench/run_bench.py [--levels 1,10,50] [--messages 8] [--think 1.0]
                                 [--saturation 10] [--no-baseline] [--skip-training]
--saturation N adds a run of N conversations without think time: the most messages per
second one Rasa server handles.
--skip-training reuses models/nachtlicht.tar.gz (and a baseline model from an earlier run)
and reports no training times. Takes 40-60 minutes with the baseline on 2 cores.
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


NLU_TRAINABLE = ("DIETClassifier", "ResponseSelector", "CountVectorsFeaturizer", "LexicalSyntacticFeaturizer",
                 "RegexFeaturizer")


def train(config: Path, out: Path, name: str) -> dict:
    """One full `rasa train` with an empty private cache (no reuse of earlier trainings).

    The NLU training time is read from the same run: from the start until the last NLU
    component finished training (Rasa trains the NLU graph before the policies)."""
    import re
    from datetime import datetime

    say(f"training the full model with {config.name} (empty cache) ...")
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
        env = dict(rasa_env(), RASA_CACHE_DIRECTORY=cache)
        t = time.time()
        log = subprocess.run([sys.executable, "-m", "rasa", "train", "--config", str(config), "--out", str(out),
                              "--fixed-model-name", name, "--domain", "domain.yml", "--data", "data", "--force"],
                             cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        full = time.time() - t
    stamp = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) INFO\s+rasa\.engine\.training\.hooks\s+-\s+"
                       r"Finished training component '(\w+)'", re.M)
    nlu_done = [datetime.strptime(ts, "%Y-%m-%d %H:%M:%S").timestamp()
                for ts, comp in stamp.findall(log.stdout + log.stderr) if comp in NLU_TRAINABLE]
    nlu = (max(nlu_done) - t) if nlu_done else float("nan")
    say(f"  full {full:.0f} s, of which NLU {nlu:.0f} s")
    return {"train_full_s": full, "train_nlu_s": nlu}


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def find_rasa_pid(parent: int) -> int:
    """The `rasa run` process started by the supervisor `python -m bot run`."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and " rasa run " in f" {cmdline} ":
            return int(proc.name)
    raise RuntimeError("Rasa server process not found")


class Stack:
    """The whole system via `python -m bot run`, on free ports, with throwaway storage."""

    def __init__(self, model: Path):
        self.model = model
        self.tmp = tempfile.TemporaryDirectory(prefix="nachtlicht-bench-")
        self.web_port = free_port()

    def __enter__(self) -> "Stack":
        import urllib.request

        tmp = Path(self.tmp.name)
        endpoints = tmp / "endpoints.yml"
        action_port, rasa_port = free_port(), free_port()
        endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
            f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tmp / "tracker.db"}"\n')
        env = dict(rasa_env(), NACHTLICHT_MODEL=str(self.model), WEB_PORT=str(self.web_port),
                   RASA_PORT=str(rasa_port), ACTION_PORT=str(action_port),
                   RASA_URL=f"http://127.0.0.1:{rasa_port}", RASA_URLS="",
                   DATABASE_URL=f"sqlite:///{tmp / 'nachtlicht.db'}",
                   CHAT_RATE_CONVERSATION="100000", CHAT_RATE_ADDRESS="100000", LOG_LEVEL="WARNING")
        self.log = open(tmp / "stack.log", "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "run", "--endpoints", str(endpoints)],
                                     cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 300
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"stack exited; see {tmp / 'stack.log'}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}/health", timeout=2):
                    pass
                self.rasa_pid = find_rasa_pid(self.proc.pid)
                # the web app is the last process started: the stack is up once it answers
                return self
            except (OSError, RuntimeError):
                time.sleep(2)
        raise RuntimeError("stack did not come up in 5 minutes")

    def __exit__(self, *exc: object) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        self.tmp.cleanup()


async def conversation(session, base: str, n: int, think: float, latencies: list, errors: list) -> None:
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
        await asyncio.gather(*(conversation(session, base, n, think, latencies, errors)
                               for _ in range(concurrency)))
        wall = time.perf_counter() - t
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [float("nan")] * 99
    return {"concurrency": concurrency, "messages": len(latencies), "errors": len(errors),
            "p50_ms": q[49], "p95_ms": q[94], "p99_ms": q[98],
            "throughput_msg_s": len(latencies) / wall, "wall_s": wall}


def measure(model: Path, levels: list, n: int, think: float, saturation: int) -> dict:
    with Stack(model) as stack:
        base = f"http://127.0.0.1:{stack.web_port}"
        asyncio.run(load(base, 2, 3, 0))  # warm-up: first messages load lazy parts of the model
        runs = []
        for c in levels:
            say(f"{c} concurrent conversation(s) x {n} messages ...")
            r = asyncio.run(load(base, c, n, think))
            say(f"  p50 {r['p50_ms']:.0f} ms  p95 {r['p95_ms']:.0f} ms  p99 {r['p99_ms']:.0f} ms  "
                f"{r['throughput_msg_s']:.1f} msg/s  errors {r['errors']}")
            runs.append(r)
        result = {"runs": runs}
        if saturation:
            # No think time: every conversation sends again as soon as it has its answer, so
            # this is what one Rasa server can process at most (capacity planning).
            say(f"saturation: {saturation} conversations x {n} messages without think time ...")
            r = asyncio.run(load(base, saturation, n, 0))
            say(f"  {r['throughput_msg_s']:.1f} msg/s  p95 {r['p95_ms']:.0f} ms  errors {r['errors']}")
            result["saturation"] = r
        result["rasa_peak_rss_mb"] = peak_rss_mb(stack.rasa_pid)
        return result


def table(results: dict, args: argparse.Namespace) -> str:
    ours, base = results["ours"], results.get("rasa_init")
    lines = [f"# Nachtlicht benchmark ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores)", "",
             f"Through the web app's chat API; {args.messages} messages per conversation, think time "
             f"{args.think} s (±50 %) between an answer and the next message.", "",
             "| concurrent conversations | p50 ms | p95 ms | p99 ms | throughput msg/s | errors |"
             + (" p95 rasa-init ms | p95 ratio (ours / init) |" if base else ""),
             "|---|---|---|---|---|---|" + ("---|---|" if base else "")]
    for i, r in enumerate(ours["runs"]):
        row = (f"| {r['concurrency']} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} | "
               f"{r['throughput_msg_s']:.1f} | {r['errors']} |")
        if base:
            b = base["runs"][i]
            row += f" {b['p95_ms']:.0f} | {r['p95_ms'] / b['p95_ms']:.2f} |"
        lines.append(row)
    lines += ["", "| measure | ours | rasa init | ratio (ours / init) |", "|---|---|---|---|"]
    if "saturation" in ours:
        sat_o, sat_b = ours["saturation"], (base or {}).get("saturation")
        for label, key, fmt in ((f"max throughput, {sat_o['concurrency']} conversations without think time (msg/s)",
                                 "throughput_msg_s", "{:.1f}"),
                                ("p95 latency in that run (ms)", "p95_ms", "{:.0f}")):
            a, b = sat_o[key], (sat_b or {}).get(key)
            lines.append(f"| {label} | {fmt.format(a)} | {fmt.format(b) if b else '-'} | "
                         f"{(a / b) if b else float('nan'):.2f} |")

    def row(label: str, key: str, fmt: str) -> None:
        a, b = ours.get(key), (base or {}).get(key)
        if a is None:
            return
        lines.append(f"| {label} | {fmt.format(a)} | {fmt.format(b) if b else '-'} | "
                     f"{(a / b) if b else float('nan'):.2f} |")

    row("peak memory of the Rasa server (MB)", "rasa_peak_rss_mb", "{:.0f}")
    row("full training (s)", "train_full_s", "{:.0f}")
    row("NLU part of the training (s)", "train_nlu_s", "{:.0f}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--messages", type=int, default=8, choices=range(1, len(SCRIPT) + 1))
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--saturation", type=int, default=10,
                        help="conversations of the no-think-time throughput run (0: skip it)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--skip-training", action="store_true")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    OUT.mkdir(parents=True, exist_ok=True)
    models = OUT / "models"
    pipelines = [("ours", ROOT / "config.yml")]
    if not args.no_baseline:
        pipelines.append(("rasa_init", ROOT / "bench" / "rasa_init_config.yml"))
    results: dict = {}
    for name, config in pipelines:
        entry: dict = {}
        model = models / f"{name}.tar.gz"
        if args.skip_training:
            if name == "ours":
                model = ROOT / "models" / "nachtlicht.tar.gz"
            if not model.exists():
                print(f"No model at {model}: run without --skip-training first.", file=sys.stderr)
                return 1
        else:
            entry.update(train(config, models, name))
        say(f"load test with the {name} model ...")
        entry.update(measure(model, levels, args.messages, args.think, args.saturation))
        results[name] = entry
        (OUT / "results.json").write_text(json.dumps(results, indent=2))
    md = table(results, args)
    (OUT / "results.md").write_text(md)
    print("\n" + md)
    say(f"written to {OUT}/results.md (copy the table into docs/performance.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
