"""The team setup for real: PostgreSQL, a Prefect server on it, a process work pool, prefect.yaml, a worker.

One test drives the whole loop as docs/deploy.md describes it: a private
PostgreSQL cluster (Debian's binaries, `deploy.postgres`), `prefect server
start` with PREFECT_API_DATABASE_CONNECTION_URL pointing at it, `prefect
work-pool create --type process`, `prefect deploy` of this repository's
prefect.yaml (with a 5-s interval and this test's folders), and `prefect worker
start`. A good drop and an empty one are waiting; the worker picks up a
scheduled run, which repairs the good drop and records the bad one. The test
then reads through the API what the UI shows (the run named after the drops
folder, one task run per drop with its state, log lines, the artifacts) and
checks that the run is stored in PostgreSQL. Every process is stopped, also when
it fails; each wait is bounded.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from conftest import ROOT, SEED_REFERENCE, SEED_TARGET
from test_serve import healthy, idle, pause_schedule, start, stop, wait_for

from deploy.postgres import Cluster, bin_dir
from repair.engines.languagetool import free_port

pytestmark = pytest.mark.e2e

DEADLINE_S = 900  # the loop takes about 3 minutes on a 2-core machine; far more when it is shared
POOL = "mtrepair-test"


@pytest.fixture
def postgres():
    """A fresh cluster in a folder the `postgres` user can own (PostgreSQL refuses to run as root)."""
    bin_dir()  # fails in one line when PostgreSQL is not installed (make postgres)
    folder = Path(tempfile.mkdtemp(prefix="mtrepair-pg-"))
    cluster = Cluster(folder)
    try:
        cluster.start(free_port())
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def prefect_cli(*args, env, timeout=240):
    prefect = str(Path(sys.executable).with_name("prefect"))
    done = subprocess.run([prefect, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def psql(cluster: Cluster, query: str) -> str:
    done = subprocess.run([str(bin_dir() / "psql"), "--host", "127.0.0.1", "--port", str(cluster.port), "--username",
                           "prefect", "--dbname", "prefect", "--tuples-only", "--no-align", "--command", query],
                          env={**os.environ, "PGPASSWORD": cluster.password}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def post(api, path, body):
    response = requests.post(f"{api}/{path}", json=body, timeout=10)
    response.raise_for_status()
    return response.json()


def test_a_worker_runs_the_deployment_from_prefect_yaml_on_a_postgres_backed_server(tmp_path, postgres, languagetool_url):
    deadline = time.monotonic() + DEADLINE_S
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    drops, out = tmp_path / "drops", tmp_path / "out"
    (drops / "seed").mkdir(parents=True)
    shutil.copy(SEED_TARGET, drops / "seed" / "target.txt")
    shutil.copy(SEED_REFERENCE, drops / "seed" / "reference.txt")
    (drops / "empty").mkdir()
    (drops / "empty" / "target.txt").write_text("")
    shutil.copy(SEED_REFERENCE, drops / "empty" / "reference.txt")
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": api,
        "PREFECT_API_DATABASE_CONNECTION_URL": postgres.url,
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
        "PREFECT_WORKER_QUERY_SECONDS": "2",
        "PREFECT_LOGGING_LEVEL": "INFO",
        "MTREPAIR_LANGUAGETOOL_URL": languagetool_url,  # one server for the session, as a team shares one
    }
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("server", "worker")}
    server = start([str(Path(sys.executable).with_name("prefect")), "server", "start", "--host", "127.0.0.1",
                    "--port", str(port)], env, logs["server"])
    worker = None
    try:
        wait_for(lambda: healthy(api), deadline, "the Prefect server")
        prefect_cli("work-pool", "create", POOL, "--type", "process", env=env)
        params = json.dumps({"drops_dir": str(drops), "out_dir": str(out), "settle_seconds": 0.5,
                             "reports_url": "http://reports.example.internal/mtrepair/"})
        deployed = prefect_cli("deploy", "--name", "drops", "--pool", POOL, "--interval", "5", "--params", params,
                               "--no-prompt", env=env)
        assert "mtrepair-batch/drops" in deployed
        worker = start([str(Path(sys.executable).with_name("prefect")), "worker", "start", "--pool", POOL,
                        "--limit", "1"], env, logs["worker"])

        index = wait_for(lambda: (out / "index.json").is_file() and json.loads((out / "index.json").read_text()),
                         deadline, "the index written by the scheduled run")
        by_name = {d["name"]: d for d in index["drops"]}
        assert by_name["seed"]["status"] == "repaired" and (out / by_name["seed"]["report"]).is_file()
        assert by_name["empty"]["status"] == "error" and by_name["empty"]["error"] == "target.txt: is empty"

        def finished_run():
            runs = post(api, "flow_runs/filter", {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}})
            return [r for r in runs if r["deployment_id"]]

        run = wait_for(finished_run, deadline, "the completed flow run")[0]
        assert run["work_pool_name"] == POOL
        assert run["name"].startswith("drops 20"), run["name"]  # the drops folder and the time, not "pistachio-goat"

        def task_states():  # task runs reach the server through its event pipeline, a little after the flow run
            found = {t["name"]: t["state"] for t in post(api, "task_runs/filter", {"flow_runs": {"id": {"any_": [run["id"]]}}})}
            final = all(found.get(name, {}).get("type") in ("COMPLETED", "FAILED") for name in ("seed", "empty", "repair empty, seed"))
            return found if final else None

        tasks = wait_for(task_states, deadline, "the run's task runs")
        assert tasks["seed"]["type"] == "COMPLETED"
        assert tasks["empty"]["type"] == "FAILED" and tasks["empty"]["message"] == "empty: target.txt: is empty"
        assert tasks["repair empty, seed"]["type"] == "COMPLETED"

        def artifacts():
            found = post(api, "artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
            return {a["key"]: a for a in found} if len(found) >= 2 else None

        published = wait_for(artifacts, deadline, "the run's artifacts")
        assert "seed" in json.dumps(published["mtrepair-batch"]["data"])
        report_url = f"http://reports.example.internal/mtrepair/{by_name['seed']['report']}"
        assert f"[report]({report_url})" in published["mtrepair-batch-reports"]["data"]

        def run_log():  # log lines reach the server in batches
            lines = [log["message"] for log in post(api, "logs/filter", {"logs": {"flow_run_id": {"any_": [run["id"]]}},
                                                                       "limit": 200})]
            return lines if any("seed: repaired" in line for line in lines) else None

        lines = wait_for(run_log, deadline, "the run's log lines")
        assert any("empty: error: target.txt: is empty" in line for line in lines), lines

        # The server really keeps its state in PostgreSQL.
        assert int(psql(postgres, f"SELECT count(*) FROM flow_run WHERE id = '{run['id']}'")) == 1

        [deployment] = post(api, "deployments/filter", {})
        pause_schedule(api, deployment["id"], deadline)
        wait_for(lambda: idle(api) and (time.sleep(3) or idle(api)), deadline, "the last run to finish")
    finally:
        if worker is not None:
            stop(worker)
        stop(server)
        for name, log in logs.items():
            log.close()
            print(f"--- {name}.log (end) ---\n" + (tmp_path / f"{name}.log").read_text()[-4000:])  # shown on failure
    output = (tmp_path / "worker.log").read_text()
    assert "Traceback" not in output, output[-3000:]
