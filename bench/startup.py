"""Start-up benchmarks: a cold `mtrepair run` against its physical floor, and the quick commands.

The floor of a cold run is what no code of ours can avoid: a new JVM answering its
first LanguageTool check (it loads the rules and dictionaries then) and reading the
model (the ONNX session and tokenizer built in a fresh process, imports excluded).
Both are measured bare, in the same bench run as the command, because on a shared
machine only a ratio measured side by side means anything.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .measure import run_cli, timed

ROOT = Path(__file__).resolve().parent.parent
SEED_TARGET = ROOT / "seeds" / "000_ab55c3e2a6d3611c.txt"
SEED_REFERENCE = ROOT / "seeds" / "003_985378199c8bf71d.txt"

MODEL_READ = """
import time
from pathlib import Path
import onnxruntime, tokenizers
from repair.alignment.align import resolve_model
from repair.config import DEFAULT_MODEL
from repair.alignment.onnx_embedder import OnnxEmbedder, export_dir
folder = Path(resolve_model(DEFAULT_MODEL))
export = export_dir(folder)
start = time.perf_counter()
OnnxEmbedder(DEFAULT_MODEL, folder, export)
print(time.perf_counter() - start)
"""


def model_read_seconds() -> float:
    """The model read bare: ONNX session and tokenizer from disk, in a fresh process, after its imports."""
    done = subprocess.run([sys.executable, "-c", MODEL_READ], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def languagetool_first_answer(settings) -> tuple[float, float, object]:
    """A new LanguageTool server: seconds until it answers, and its first check; the running server."""
    from repair.engines.grammar import GrammarChecker
    from repair.engines.languagetool import LanguageToolServer

    server = LanguageToolServer(home=settings.languagetool_home)
    started, _ = timed(server.start)
    first_check, _ = timed(lambda: GrammarChecker(server.url).warm_up())
    return started, first_check, server


def cold_run(settings) -> dict:
    """`mtrepair run` on the seeds in fresh processes, against the floor measured bare.

    Three runs on one new Prefect home: the first also creates Prefect's database (once
    per machine); the second is what every later cold run costs, and records the Python
    process's peak memory; the third uses a LanguageTool server that is already up and
    warm (`mtrepair languagetool`), and is compared with that server's own start; the last
    also has a Prefect server already up, so Prefect starts no temporary API server.
    """
    fresh = {"PREFECT_HOME": tempfile.mkdtemp(prefix="mtrepair-bench-cold-"), "MTREPAIR_LANGUAGETOOL_URL": ""}
    out = Path(tempfile.mkdtemp(prefix="mtrepair-bench-cold-run-"))
    seeds = [str(SEED_TARGET), "--reference", str(SEED_REFERENCE)]
    first, _ = run_cli(["run", *seeds, "--out", str(out / "first")], env=fresh)
    command, rss = run_cli(["run", *seeds, "--out", str(out / "second")], env=fresh, rss_file=out / "rss")
    record = json.loads((out / "second" / "run.json").read_text())
    model = model_read_seconds()
    languagetool_start, first_check, server = languagetool_first_answer(settings)
    try:
        shared, _ = run_cli(["run", *seeds, "--out", str(out / "shared")],
                            env={**fresh, "MTREPAIR_LANGUAGETOOL_URL": server.url})
        # The same with a Prefect server already up too (PREFECT_API_URL, as a team deployment
        # has): no temporary API server to start, the rest of Prefect's cost stays.
        from .served import prefect_server

        with prefect_server(out) as (api, _):
            run_cli(["run", *seeds, "--out", str(out / "api-first")],  # the server's first flow run registers the flow
                    env={**fresh, "MTREPAIR_LANGUAGETOOL_URL": server.url, "PREFECT_API_URL": api})
            with_api, _ = run_cli(["run", *seeds, "--out", str(out / "api")],
                                  env={**fresh, "MTREPAIR_LANGUAGETOOL_URL": server.url, "PREFECT_API_URL": api})
    finally:
        server.stop()
    floor = languagetool_start + first_check + model
    return {
        "command_s": command,
        "first_ever_s": first,
        "python_peak_mb": rss / 2**20,
        "embedder": record.get("versions", {}).get("embedder", "sentence-transformers"),
        "languagetool_start_s": languagetool_start,
        "languagetool_first_check_s": first_check,
        "model_read_s": model,
        "floor_s": floor,
        "ratio": command / floor,
        "shared_server_s": shared,
        "shared_server_ratio": shared / languagetool_start,
        "shared_servers_s": with_api,
        "shared_servers_ratio": with_api / languagetool_start,
        "run_startup_s": record.get("startup", {}),
        "run_stages_s": record.get("timings", {}),
        "target": "<= 10 s (quiet machine)",
        "shared_target": "<= 1.5",
        "memory_target": "<= 500 MB",
    }


def quick_commands(repeats: int = 3) -> dict:
    """Wall time of `mtrepair --help` and of refusing a binary file as the target (fastest of `repeats`)."""
    folder = Path(tempfile.mkdtemp(prefix="mtrepair-bench-quick-"))
    binary = folder / "article.txt"
    binary.write_bytes(b"\x00\x01\x02\x03 not text \xff\xfe")
    cases = {
        "help": (["--help"], 0),
        "refusal": (["run", str(binary), "--reference", str(SEED_REFERENCE)], 2),
    }
    rows = {}
    for name, (args, expected) in cases.items():
        times, cpu = [], []
        for _ in range(repeats):
            before = _children_cpu()
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "mtrepair", *args], capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            cpu.append(_children_cpu() - before)
            if done.returncode != expected:
                raise RuntimeError(f"mtrepair {' '.join(args)}: exit {done.returncode}, {done.stderr[-500:]}")
        rows[name] = {"seconds": min(times), "cpu_s": min(cpu), "all_s": times}
    return {**rows, "target": "<= 0.5 s"}


def _children_cpu() -> float:
    """CPU seconds (user + system) used by finished child processes: on a busy machine the
    wall time of a short command is mostly waiting for a core, its CPU time is not."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def render_rows(results: dict) -> list[str]:
    """Rows for the benchmark's main table (bench/run.py's render)."""
    lines = []
    if "cold_start" in results:
        c = results["cold_start"]
        lines.append(f"| cold start, seeds (`mtrepair run`, {c['embedder']}) | {c['command_s']:.1f} s (first ever, with Prefect's "
                     f"database: {c['first_ever_s']:.1f} s) | {c['floor_s']:.1f} s floor (LanguageTool up {c['languagetool_start_s']:.1f} "
                     f"+ first check {c['languagetool_first_check_s']:.1f} + model read {c['model_read_s']:.2f}) "
                     f"| {c['ratio']:.2f} | {c['target']} |")
        lines.append(f"| cold start, seeds, LanguageTool already up (`mtrepair languagetool`) | {c['shared_server_s']:.1f} s "
                     f"| {c['languagetool_start_s']:.1f} s (that server's own start) | {c['shared_server_ratio']:.2f} | {c['shared_target']} |")
        if "shared_servers_s" in c:
            lines.append(f"| cold start, seeds, LanguageTool and a Prefect server already up (`PREFECT_API_URL`) "
                         f"| {c['shared_servers_s']:.1f} s | {c['languagetool_start_s']:.1f} s (that LanguageTool server's own start) "
                         f"| {c['shared_servers_ratio']:.2f} | {c['shared_target']} |")
        lines.append(f"| Python peak memory, cold seed run | {c['python_peak_mb']:.0f} MB | — | — | {c['memory_target']} |")
    if "up" in results:
        u = results["up"]
        lines.append(f"| seed run in a new process with `mtrepair up` (best of {len(u['runs_s'])}) | {u['run_s']:.2f} s "
                     f"| {u['warm_process_s']:.2f} s (the same run in a warm process) | {u['ratio_warm']:.2f} | {u['target_warm']} |")
        lines.append(f"| the same, against the cold run without `up` | {u['run_s']:.2f} s | {u['cold_without_up_s']:.2f} s "
                     f"| {u['ratio_cold']:.2f} | {u['target_cold']} |")
        lines.append(f"| `mtrepair up` itself; a run's first flow on its server | {u['up_s']:.1f} s; {u['first_run_s']:.1f} s | — | — | — |")
        lines.append(f"| Python peak memory, seed run with `mtrepair up`: the command / the keeper's warm process "
                     f"| {u['python_peak_mb']:.0f} MB / {u.get('keeper_peak_mb', 0):.0f} MB | — | — | <= 500 MB |")
    if "quick" in results:
        q = results["quick"]
        for key, label in (("help", "`mtrepair --help`"), ("refusal", "a refused bad input (binary target)")):
            row = q[key]
            cpu = f" ({row['cpu_s']:.2f} s CPU)" if "cpu_s" in row else ""
            lines.append(f"| {label} | {row['seconds']:.2f} s{cpu} | — | — | {q['target']} |")
    return lines


WARM_RUN = """
import json, sys, time
from mtrepair import env
env.configure()
from mtrepair.services.discover import use_running_services
use_running_services()  # the servers of `mtrepair up`, as the CLI finds them
from flows.local import on_demand
from flows.repair_pair import repair_pair
from repair.config import Settings
target, reference, out = sys.argv[1:4]
times = []
with on_demand():
    for i in range(3):
        start = time.perf_counter()
        repair_pair(target, [reference], f"{out}/warm-{i}", Settings.from_env())
        times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


def services_cache(folder: Path) -> Path:
    """A new mtrepair cache (so `mtrepair up` here meets no user's servers) that shares the machine's
    LanguageTool jars and ONNX export."""
    from repair.config import cache_root

    cache = folder / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    for shared in ("onnx", "languagetool"):
        (cache / shared).symlink_to(cache_root() / shared, target_is_directory=True)
    return cache


def up_runs(repeats: int = 3) -> dict:
    """`mtrepair run` on the seeds in new processes with `mtrepair up`'s servers, against the same
    run in a warm process (same servers) and the cold run without `up`, all in one section."""
    import os

    folder = Path(tempfile.mkdtemp(prefix="mtrepair-bench-up-"))
    environment = {"MTREPAIR_CACHE": str(services_cache(folder)), "MTREPAIR_LANGUAGETOOL_URL": "", "PREFECT_API_URL": "",
                   "MTREPAIR_UP": ""}
    seeds = [str(SEED_TARGET), "--reference", str(SEED_REFERENCE)]
    run_cli(["run", *seeds, "--out", str(folder / "cold-first")], env=environment)  # creates Prefect's database
    cold = [run_cli(["run", *seeds, "--out", str(folder / f"cold-{i}")], env=environment)[0] for i in range(2)]
    up_s, _ = timed(lambda: run_cli(["up", "--idle-timeout", "10m"], env=environment))
    try:
        first, _ = run_cli(["run", *seeds, "--out", str(folder / "up-first")], env=environment)  # registers the flow
        with_up = [run_cli(["run", *seeds, "--out", str(folder / f"up-{i}")], env=environment)[0] for i in range(repeats)]
        _, peak = run_cli(["run", *seeds, "--out", str(folder / "up-peak")], env=environment, rss_file=folder / "rss")
        done = subprocess.run([sys.executable, "-c", WARM_RUN, str(SEED_TARGET), str(SEED_REFERENCE), str(folder)],
                              env={**os.environ, **environment}, capture_output=True, text=True, check=True)
        warm = json.loads(done.stdout.strip().splitlines()[-1])
        from mtrepair.services.state import read_state

        from .measure import peak_rss_of_pid

        state = read_state(Path(environment["MTREPAIR_CACHE"]) / "up")
        keeper_peak = peak_rss_of_pid(state.keeper_pid) if state else 0  # where `mtrepair run` did its work
    finally:
        run_cli(["down"], env=environment)
    # best against best, as everywhere in this bench (the least disturbed measurement on a shared machine)
    cold_s, up_cold_s, warm_s = min(cold), min(with_up), min(warm[1:])
    return {
        "up_s": up_s, "first_run_s": first, "runs_s": with_up, "run_s": up_cold_s, "python_peak_mb": peak / 2**20,
        "keeper_peak_mb": keeper_peak / 2**20,
        "warm_process_s": warm_s, "warm_all_s": warm, "cold_without_up_s": cold_s, "cold_all_s": cold,
        "ratio_warm": up_cold_s / warm_s, "ratio_cold": up_cold_s / cold_s,
        "target_warm": "<= 1.5", "target_cold": "<= 0.35",
    }
