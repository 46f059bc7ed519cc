"""Served runs: what a scheduled run of one small drop costs, against the same work done warm.

A real Prefect server is started (as tests/test_serve.py does), then `mtrepair serve`
with a 5-second interval on an empty drops folder, once with its warm Dask cluster
(the default) and once with `--no-warm` (each run loads the model in its own new
process: the baseline). The same small WMT21 drop is put in under a new name,
`drops` times one after another; each scheduled run that repairs it is timed from
the Prefect API, from its PENDING state (the runner took it and is about to start its
process) to its COMPLETED state, so Python's start, `import prefect` and connecting
to the workers are counted. A run that found nothing new is timed the same way: the
floor of a served run. The reference is that drop's batch flow run in this process,
warm (model loaded, LanguageTool up and warmed, same Prefect server), best of three.

Because a served run's time on a shared machine is mostly waiting for a core, the
parts of its process are also measured alone, each in fresh processes, in CPU time
(`process_parts`): Python with `import prefect.flow_engine` (what any Prefect flow-run
process pays), the batch flow's module, and what each mode adds: connecting to the
warm workers, or loading the model and a LanguageTool client in the run itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import requests

from .drops import documents
from .measure import timed

ROOT = Path(__file__).resolve().parent.parent
DEADLINE_S = 600


def small_document(data: Path):
    """The shortest WMT21 document with at least 10 lines: a small drop of real news text."""
    return min((d for d in documents(data / "wmt21-ru-en") if len(d.target) >= 10), key=lambda d: len(d.target))


def write_drop(folder: Path, doc) -> Path:
    """The drop, written under a hidden name and renamed: a scan never sees it half-written."""
    hidden = folder.parent / f".{folder.name}"
    hidden.mkdir(parents=True)
    (hidden / "target.txt").write_text("\n".join(doc.target) + "\n", encoding="utf-8")
    (hidden / "reference.txt").write_text("\n".join(doc.reference) + "\n", encoding="utf-8")
    hidden.rename(folder)
    return folder


def _wait(condition, what: str, deadline: float):
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise RuntimeError(f"timed out waiting for {what}")


def _free_port() -> int:
    from repair.engines.languagetool import free_port

    return free_port()


def _stop(process: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGINT, 30), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=wait)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue


@contextmanager
def prefect_server(folder: Path) -> Iterator[tuple[str, dict]]:
    """A real Prefect server on a free loopback port; its API URL and the environment that uses it."""
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(folder / "prefect-home"), "PREFECT_API_URL": api,
           "PREFECT_UI_ENABLED": "false", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5", "PREFECT_RUNNER_POLL_FREQUENCY": "2",
           "PREFECT_LOGGING_LEVEL": "INFO"}
    env.pop("MTREPAIR_LANGUAGETOOL_URL", None)
    log = open(folder / "prefect-server.log", "w")
    prefect = str(Path(sys.executable).with_name("prefect"))
    server = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait(lambda: _healthy(api), "the Prefect server", time.monotonic() + 120)
        yield api, env
    finally:
        _stop(server)
        log.close()


def _healthy(api: str) -> bool:
    try:
        return requests.get(f"{api}/health", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _time(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def run_timing(api: str, flow_run_id: str) -> dict:
    """A finished flow run's times from its states: scheduled -> taken (PENDING) -> RUNNING -> COMPLETED."""
    states = requests.get(f"{api}/flow_run_states/", params={"flow_run_id": flow_run_id}, timeout=10)
    states.raise_for_status()
    first = {}
    for state in sorted(states.json(), key=lambda s: _time(s["timestamp"])):
        first.setdefault(state["type"], _time(state["timestamp"]))
    return {
        "taken_to_end_s": first["COMPLETED"] - first["PENDING"],
        "running_s": first["COMPLETED"] - first["RUNNING"],
        "process_start_s": first["RUNNING"] - first["PENDING"],
    }


def _completed_runs(api: str, deployment_id: str) -> list[dict]:
    query = {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
             "deployments": {"id": {"any_": [deployment_id]}}, "sort": "START_TIME_ASC"}
    return requests.post(f"{api}/flow_runs/filter", json=query, timeout=10).json()


def _run_that_repaired(api: str, runs: list[dict], name: str) -> dict | None:
    for run in runs:
        query = {"logs": {"flow_run_id": {"any_": [run["id"]]}}, "limit": 200}
        if any(f"{name}: repaired in" in log["message"] for log in requests.post(f"{api}/logs/filter", json=query, timeout=10).json()):
            return run
    return None


def served(api: str, env: dict, folder: Path, doc, warm: bool, drops: int) -> dict:
    """`mtrepair serve` (warm or not) repairing the drop `drops` times: the runs' times, and an empty run's."""
    mode = "warm" if warm else "cold"
    inbox, out = folder / f"drops-{mode}", folder / f"out-{mode}"
    inbox.mkdir()
    log_path = folder / f"serve-{mode}.log"
    log = open(log_path, "w")
    command = [sys.executable, "-m", "mtrepair", "serve", str(inbox), "--out", str(out), "--interval", "5s",
               "--settle", "0", "--dask-workers", "1", "--name", f"bench-{mode}", *([] if warm else ["--no-warm"])]
    serve = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + DEADLINE_S
    try:
        _wait(lambda: "is being served" in log_path.read_text(), "the deployment", deadline)
        [deployment] = requests.post(f"{api}/deployments/filter",
                                     json={"deployments": {"name": {"any_": [f"bench-{mode}"]}}}, timeout=10).json()
        _wait(lambda: _completed_runs(api, deployment["id"]), "an empty scheduled run", deadline)
        repaired = {}
        for number in range(drops):
            name = f"drop-{number}"
            write_drop(inbox / name, doc)
            run = _wait(lambda name=name: _run_that_repaired(api, _completed_runs(api, deployment["id"]), name),
                        f"the run that repairs {name}", deadline)
            repaired[run["id"]] = run_timing(api, run["id"])
        empty = [run_timing(api, run["id"]) for run in _completed_runs(api, deployment["id"]) if run["id"] not in repaired]
    finally:
        _stop(serve)
        log.close()
    text = log_path.read_text()
    runs = list(repaired.values())
    return {
        "runs": runs,
        "median_s": statistics.median(r["taken_to_end_s"] for r in runs),
        "median_process_start_s": statistics.median(r["process_start_s"] for r in runs),
        "empty_runs": len(empty),
        "empty_median_s": statistics.median(r["taken_to_end_s"] for r in empty),
        "log_clean": "Traceback" not in text and "| ERROR" not in text,
    }


def warm_in_process(api: str, folder: Path, doc, repeats: int = 3) -> float:
    """The same drop through the batch flow in this process, model loaded and LanguageTool warm: best of `repeats`."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.batch import run_batch
    from repair.config import Settings
    from repair.engines import resources
    from repair.engines.languagetool import LanguageToolServer

    with LanguageToolServer() as server, temporary_settings(updates={PREFECT_API_URL: api}):
        settings = Settings.from_env(languagetool_url=server.url)
        resources.get_embedder(settings)
        resources.get_checker(settings).warm_up()
        times = []
        for attempt in range(repeats + 1):  # the first one warms Prefect's client and the JIT
            drops = folder / f"inproc-{attempt}"
            write_drop(drops / "drop", doc)
            seconds, document = timed(lambda drops=drops: run_batch(
                str(drops), str(folder / f"inproc-out-{attempt}"), settle_seconds=0,
                settings={"languagetool_url": server.url}))
            if document["counts"]["repaired"] != 1:
                raise RuntimeError(f"the in-process batch did not repair the drop: {document['counts']}")
            if attempt:
                times.append(seconds)
    return min(times)


_CPU = "import time, resource\ndef cpu():\n    u = resource.getrusage(resource.RUSAGE_SELF)\n    return u.ru_utime + u.ru_stime\n"
PARTS = {  # name: (code run before the clock starts, code measured)
    "prefect": ("", "import prefect.flow_engine"),
    "flow module": ("import prefect.flow_engine", "import flows.batch"),
    "warm: connect to the workers": ("import flows.batch", "from prefect_dask import DaskTaskRunner\n"
                                     "from distributed import Client\nClient(ADDRESS).close()"),
    "cold: model and LanguageTool client": ("import flows.batch", "from repair.config import Settings\n"
                                            "from repair.engines import resources\n"
                                            "settings = Settings.from_env(languagetool_url=URL)\n"
                                            "resources.get_embedder(settings).encode(['A short warm-up sentence.'])\n"
                                            "resources.get_checker(settings).warm_up()"),
}


def process_parts(repeats: int = 3) -> dict:
    """CPU and wall seconds of each part of a served run's process, alone in fresh processes (least of `repeats`).

    "prefect" counts from the process's start (Python itself included); the others from after their set-up.
    """
    from distributed import LocalCluster

    from repair.engines.languagetool import LanguageToolServer

    rows = {}
    with LanguageToolServer() as server, LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=":0",
                                                      silence_logs=40) as cluster:
        for name, (before, code) in PARTS.items():
            code = code.replace("ADDRESS", repr(cluster.scheduler_address)).replace("URL", repr(server.url))
            program = f"{_CPU}{before}\nstarted, cpu0 = time.perf_counter(), cpu()\n{code}\nprint(time.perf_counter() - started, cpu() - cpu0)"
            if name == "prefect":
                program = f"{_CPU}{code}\nprint(0, cpu())"
            walls, cpus = [], []
            for _ in range(repeats):
                start = time.perf_counter()
                done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=ROOT)
                wall, cpu = (float(x) for x in done.stdout.split()[-2:])
                walls.append(time.perf_counter() - start if name == "prefect" else wall)
                cpus.append(cpu)
            rows[name] = {"cpu_s": min(cpus), "wall_s": min(walls)}
    return rows


def _in_fresh_process(function, *args):
    """`function(*args)` in a new Python process: Prefect's client is bound to the API of its
    process's first flow run, and `make bench` has run flows on a temporary server before."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def measure(data: Path, drops: int = 3) -> dict:
    doc = small_document(data)
    folder = Path(tempfile.mkdtemp(prefix="mtrepair-bench-served-"))
    try:
        with prefect_server(folder) as (api, env):
            warm_work = _in_fresh_process(warm_in_process, api, folder, doc)
            rows = {mode: served(api, env, folder, doc, mode == "warm", drops) for mode in ("warm", "cold")}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "drop": {"docid": doc.docid, "target_lines": len(doc.target)},
        "warm_work_s": warm_work,
        **{mode: {**row, "ratio": row["median_s"] / warm_work} for mode, row in rows.items()},
        "parts": process_parts(),
        "target": "<= 1.5",
    }


def render_rows(results: dict) -> list[str]:
    """Rows for the benchmark's main table (bench/run.py's render)."""
    if "served" not in results:
        return []
    s = results["served"]
    lines = []
    for mode, label in (("warm", "warm Dask worker (default)"), ("cold", "`--no-warm`: model loaded per run")):
        row = s[mode]
        lines.append(f"| served run of one small drop ({s['drop']['target_lines']} lines), {label} | {row['median_s']:.2f} s "
                     f"(median of {len(row['runs'])}; of which process start {row['median_process_start_s']:.2f} s; "
                     f"a run finding nothing: {row['empty_median_s']:.2f} s) "
                     f"| {s['warm_work_s']:.2f} s (the same batch flow in a warm process) | {row['ratio']:.2f} | {s['target']} |")
    labels = {"prefect": "a served run's process: Python + `import prefect.flow_engine`",
              "flow module": "... + the batch flow's module", "warm: connect to the workers": "... warm: + connecting to "
              "the Dask workers", "cold: model and LanguageTool client": "... `--no-warm`: + the model and a LanguageTool client"}
    for name, part in s.get("parts", {}).items():
        lines.append(f"| {labels[name]} (alone, fresh processes) | {part['cpu_s']:.2f} s CPU ({part['wall_s']:.2f} s wall) "
                     f"| — | — | — |")
    return lines
