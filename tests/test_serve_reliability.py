"""A served deployment whose process dies mid-run, then serve and a manual batch at the same time.

Against a real local Prefect server (as tests/test_serve.py): `mtrepair serve` starts repairing, its
whole process group is killed with SIGKILL while a run folder is being written, then serving starts
again while a manual `mtrepair batch` runs on the same drops and output folder. Both take turns on
the output folder's lock: every drop ends repaired exactly once and the index agrees with the folders.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT
from test_batch_reliability import batch_command, check_consistent, write_drops
from test_serve import healthy, idle, serve_env, start, start_prefect_server, stop, wait_for

from repair.engines.languagetool import free_port

pytestmark = pytest.mark.e2e

DEADLINE_S = 600


def test_a_killed_serve_loses_nothing_and_takes_turns_with_a_manual_batch(tmp_path, languagetool_url):
    deadline = time.monotonic() + DEADLINE_S
    api = f"http://127.0.0.1:{free_port()}/api"
    drops, out = write_drops(tmp_path / "drops", ["s1", "s2", "s3"]), tmp_path / "out"
    env = serve_env(tmp_path, api, languagetool_url)
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("server", "serve1", "serve2")}
    serve_args = [sys.executable, "-m", "mtrepair", "serve", str(drops), "--out", str(out), "--interval", "5s",
                  "--settle", "0", "--name", "kill-test"]
    server = start_prefect_server(api, env, logs["server"])
    serving = []
    try:
        wait_for(lambda: healthy(api), deadline, "the Prefect server")
        serving.append(start(serve_args, env, logs["serve1"]))

        def writing():  # a run folder exists: the served run is repairing
            return [p for p in out.glob("*/*") if p.is_dir()]

        wait_for(writing, deadline, "the served run to start writing")
        os.killpg(serving[0].pid, signal.SIGKILL)  # the serving process and its flow-run subprocess, as a crash
        serving[0].wait(timeout=30)
        check_consistent(drops, out, complete=False)

        serving.append(start(serve_args, env, logs["serve2"]))
        manual = subprocess.run(batch_command(drops, out), cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=max(60, deadline - time.monotonic()))
        output = manual.stdout + manual.stderr
        assert manual.returncode == 0, output
        assert "Traceback" not in output and "ERROR" not in output

        def whole():
            try:
                document = json.loads((out / "index.json").read_text())
            except (OSError, ValueError):
                return False
            return {e["status"] for e in document["drops"]} <= {"repaired", "unchanged"} and len(document["drops"]) == 3

        wait_for(whole, deadline, "an index with every drop repaired")
        wait_for(lambda: idle_or_stale(api), deadline, "the served runs to finish")
        check_consistent(drops, out, complete=True)
    finally:
        for process in serving:
            stop(process)
        stop(server)
        for log in logs.values():
            log.close()


def idle_or_stale(api: str) -> bool:
    """No run in progress, apart from the one whose process was killed (it stays RUNNING on the server)."""
    import requests

    busy = {"flow_runs": {"state": {"type": {"any_": ["PENDING", "RUNNING"]}}}}
    return len(requests.post(f"{api}/flow_runs/filter", json=busy, timeout=10).json()) <= 1 or idle(api)
