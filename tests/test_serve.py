"""`mtrepair serve` against a real local Prefect server: a drop that arrives gets its report.

The test starts `prefect server start` on a free loopback port with its own
PREFECT_HOME, serves the batch deployment every few seconds, copies the seed
pair in as a new drop, and waits (bounded) for its report, the index and the
summary artifact. Every process it started is stopped, also when it fails.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from conftest import ROOT, SEED_REFERENCE, SEED_TARGET

from repair.engines.languagetool import free_port

pytestmark = pytest.mark.e2e

DEADLINE_S = 300  # far above the usual minute or two, for a busy machine


def start(command, env, log):
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)


def stop(process):
    """SIGINT first (the runner pauses its schedule), then SIGTERM, then SIGKILL, to the whole group."""
    for sig, wait in [(signal.SIGINT, 20), (signal.SIGTERM, 10), (signal.SIGKILL, 10)]:
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue


def wait_for(condition, deadline, what):
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def serve_env(tmp_path, api, languagetool_url, **extra):
    """The environment of a test's Prefect server and `mtrepair serve`: a throwaway Prefect home,
    fast scheduling and polling, one shared LanguageTool server."""
    return {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": api,
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
        **extra,
        "MTREPAIR_LANGUAGETOOL_URL": languagetool_url,
    }


def start_prefect_server(api, env, log):
    """`prefect server start` on the port of `api`, in its own process group."""
    port = api.rsplit(":", 1)[1].split("/")[0]
    prefect = str(Path(sys.executable).with_name("prefect"))
    return start([prefect, "server", "start", "--host", "127.0.0.1", "--port", port], env, log)


def pause_schedule(api, deployment_id, deadline):
    """Pause a deployment's schedule as an operator would. A busy SQLite-backed server answers 503
    ("retry later", which Prefect's own client retries too), so this retries until the deadline."""
    def paused():
        response = requests.patch(f"{api}/deployments/{deployment_id}", json={"paused": True}, timeout=10)
        if response.status_code == 503:
            return False
        response.raise_for_status()
        return True

    wait_for(paused, deadline, "the schedule to pause")


def healthy(api):
    try:
        return requests.get(f"{api}/health", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def idle(api):
    """No flow run is pending or running."""
    busy = {"flow_runs": {"state": {"type": {"any_": ["PENDING", "RUNNING"]}}}}
    return requests.post(f"{api}/flow_runs/filter", json=busy, timeout=10).json() == []


def test_a_served_deployment_repairs_a_drop_that_arrives(tmp_path, languagetool_url):
    deadline = time.monotonic() + DEADLINE_S
    api = f"http://127.0.0.1:{free_port()}/api"
    drops, out = tmp_path / "drops", tmp_path / "out"
    drops.mkdir()
    env = serve_env(tmp_path, api, languagetool_url, PREFECT_LOGGING_LEVEL="INFO")
    server_log = open(tmp_path / "server.log", "w")
    serve_log = open(tmp_path / "serve.log", "w")
    server = start_prefect_server(api, env, server_log)
    serve = None
    try:
        wait_for(lambda: healthy(api), deadline, "the Prefect server")
        serve = start([sys.executable, "-m", "mtrepair", "serve", str(drops), "--out", str(out),
                       "--interval", "5s", "--settle", "0.5", "--name", "test-drops"], env, serve_log)
        wait_for(lambda: "is being served" in (tmp_path / "serve.log").read_text(), deadline, "the deployment")

        (drops / ".incoming").mkdir()  # copied in under a hidden name, then renamed: never seen half-written
        shutil.copy(SEED_TARGET, drops / ".incoming" / "target.txt")
        shutil.copy(SEED_REFERENCE, drops / ".incoming" / "reference.txt")
        (drops / ".incoming").rename(drops / "arrived")

        reports = wait_for(lambda: list(out.glob("arrived/*/report.html")), deadline, "the drop's report")
        index = wait_for(lambda: (out / "index.json").is_file() and json.loads((out / "index.json").read_text()),
                         deadline, "the index")
        [entry] = index["drops"]
        assert entry["name"] == "arrived" and entry["status"] in ("repaired", "unchanged")
        assert (out / entry["report"]) == reports[0]

        def artifacts():
            found = requests.post(f"{api}/artifacts/filter", json={"artifacts": {"key": {"any_": ["mtrepair-batch"]}}},
                                  timeout=10).json()
            return [a for a in found if "arrived" in json.dumps(a.get("data"))]

        assert wait_for(artifacts, deadline, "the summary artifact")
        def completed_runs():  # the artifact is published just before the run's final state
            return requests.post(f"{api}/flow_runs/filter",
                                 json={"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}, timeout=10).json()

        runs = wait_for(completed_runs, deadline, "the completed flow run")
        assert all(run["deployment_id"] for run in runs)

        def run_log():  # the run's log lines reach the server in batches, as the UI shows them
            query = {"logs": {"level": {"ge_": 20}}, "sort": "TIMESTAMP_DESC", "limit": 200}
            return [log for log in requests.post(f"{api}/logs/filter", json=query, timeout=10).json()
                    if "arrived: repaired" in log["message"]]

        assert wait_for(run_log, deadline, "the run's log line")

        # Stop as an operator would: pause the schedule, let the run in progress finish, then stop serving.
        [deployment] = requests.post(f"{api}/deployments/filter", json={}, timeout=10).json()
        pause_schedule(api, deployment["id"], deadline)
        wait_for(lambda: idle(api) and (time.sleep(3) or idle(api)), deadline, "the last run to finish")
    finally:
        if serve is not None:
            stop(serve)
        stop(server)
        server_log.close()
        serve_log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in output and "| ERROR" not in output, output[-3000:]
