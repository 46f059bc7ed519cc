"""`mtrepair serve` with its warm Dask cluster: two drops, two scheduled runs, one model load.

Against a real local Prefect server (as tests/test_serve.py), real LanguageTool and
the real model. Serve starts one worker, which loads the model when it starts; two
drops arrive one after the other and each is repaired by its own scheduled run. Both
run records carry the worker's own model-load time, and the worker is the same process
before and after: the work ran in the warm worker, and the model was loaded once.
"""

import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
import requests
from conftest import SEED_REFERENCE, SEED_TARGET
from test_serve import healthy, idle, serve_env, start, start_prefect_server, stop, wait_for

from repair.engines.languagetool import free_port

pytestmark = pytest.mark.e2e

DEADLINE_S = 300


def _worker_state(address: str) -> dict:
    """Each worker's pid and its process's start-up record (what its run records copy)."""
    from distributed import Client

    def state():
        from repair.engines import resources

        return {"pid": os.getpid(), "startup": dict(resources.startup_seconds)}

    with Client(address, timeout=30) as client:
        return client.run(state)


def _arrive(drops: Path, name: str) -> None:
    incoming = drops / f".{name}"
    incoming.mkdir()
    shutil.copy(SEED_TARGET, incoming / "target.txt")
    shutil.copy(SEED_REFERENCE, incoming / "reference.txt")
    incoming.rename(drops / name)


def test_served_runs_use_the_warm_worker_that_loaded_the_model_once(tmp_path, languagetool_url):
    deadline = time.monotonic() + DEADLINE_S
    api = f"http://127.0.0.1:{free_port()}/api"
    drops, out = tmp_path / "drops", tmp_path / "out"
    drops.mkdir()
    env = serve_env(tmp_path, api, languagetool_url, PREFECT_LOGGING_LEVEL="INFO")
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("server", "serve")}
    server = start_prefect_server(api, env, logs["server"])
    serve = None
    try:
        wait_for(lambda: healthy(api), deadline, "the Prefect server")
        serve = start([sys.executable, "-m", "mtrepair", "serve", str(drops), "--out", str(out), "--interval", "5s",
                       "--settle", "0", "--dask-workers", "1", "--name", "warm-test"], env, logs["serve"])
        serve_log = tmp_path / "serve.log"
        announced = wait_for(lambda: re.search(r"warm Dask cluster (\S+): the model is loaded in worker processes (\d+)",
                                               serve_log.read_text()), deadline, "the warm cluster")
        address, worker_pid = announced.group(1), int(announced.group(2))
        wait_for(lambda: "is being served" in serve_log.read_text(), deadline, "the deployment")
        [before] = _worker_state(address).values()
        assert before["pid"] == worker_pid and "model load" in before["startup"]

        records = []
        for name in ("first", "second"):  # one after the other: each is found by its own scheduled run
            _arrive(drops, name)
            run_json = wait_for(lambda name=name: list(out.glob(f"{name}/*/run.json")), deadline, f"{name}'s run")[0]
            records.append(json.loads(run_json.read_text()))

        [after] = _worker_state(address).values()
        assert after["pid"] == worker_pid  # the same worker process throughout
        assert after["startup"]["model load"] == before["startup"]["model load"]  # loaded once, at its start
        for record in records:  # each run's work was done in that worker, with the model it already held
            assert record["startup"].get("model load") == before["startup"]["model load"], record["startup"]

        [deployment] = requests.post(f"{api}/deployments/filter", json={}, timeout=10).json()
        assert deployment["parameters"]["task_runner"] == "dask"
        assert deployment["parameters"]["dask_address"] == address
        wait_for(lambda: idle(api), deadline, "the last run to finish")
    finally:
        if serve is not None:
            stop(serve)
        stop(server)
        for log in logs.values():
            log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in output and "| ERROR" not in output and "Warning" not in output, output[-3000:]
