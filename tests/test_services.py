"""`mtrepair up` / `down` / `status` with real processes: a Prefect server and a LanguageTool
server kept warm in the background, found and used by later runs, stopped when idle or told.

Each test's servers live in their own MTREPAIR_CACHE (the state folder), so they never meet
a user's; LanguageTool's jars and the ONNX export are linked in from the machine's cache.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from mtrepair.services import state as up_state
from mtrepair.services.discover import local_versions, use_running_services
from tests.conftest import SEED_REFERENCE, SEED_TARGET

MTREPAIR = [sys.executable, "-m", "mtrepair"]


def services_env(cache: Path) -> dict:
    """The environment of a user whose mtrepair cache is `cache` (no server given), sharing the
    machine's LanguageTool jars and ONNX export."""
    from repair.config import cache_root

    cache.mkdir(parents=True, exist_ok=True)
    for shared in ("onnx", "languagetool"):
        if not (cache / shared).exists():
            (cache / shared).symlink_to(cache_root() / shared, target_is_directory=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("MTREPAIR_LANGUAGETOOL_URL", "PREFECT_API_URL", "MTREPAIR_UP", "PREFECT_HOME")}
    return {**env, "MTREPAIR_CACHE": str(cache)}


def mtrepair(args: list[str], env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*MTREPAIR, *args], env=env, capture_output=True, text=True, timeout=timeout)


def watched_run(out: Path, env: dict) -> tuple[subprocess.CompletedProcess, set[str]]:
    """`mtrepair run` on the seed pair, noting every kind of server process it started."""
    return watched(["run", str(SEED_TARGET), "--reference", str(SEED_REFERENCE), "--out", str(out)], env)


def watched(args: list[str], env: dict) -> tuple[subprocess.CompletedProcess, set[str]]:
    """`mtrepair ARGS`, noting every kind of server process it started."""
    process = subprocess.Popen([*MTREPAIR, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started: set[str] = set()
    parent = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            for child in parent.children(recursive=True):
                command = " ".join(child.cmdline())
                if "org.languagetool.server.HTTPServer" in command:
                    started.add("languagetool")
                if "prefect.server" in command or "uvicorn" in command:
                    started.add("prefect")
        except psutil.Error:
            pass
        time.sleep(0.05)
    stdout, stderr = process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), started


def server_pids(state: up_state.ServicesState) -> list[int]:
    return [state.keeper_pid, *(s.pid for s in (state.prefect, state.languagetool) if s is not None)]


def wait_until(predicate, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def assert_quiet(done: subprocess.CompletedProcess) -> None:
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "ERROR" not in output, output[-3000:]


# ---- pure logic -------------------------------------------------------------------------------


def test_state_round_trip(tmp_path):
    state = up_state.ServicesState(
        keeper_pid=123, started=1.0, idle_timeout_s=60, versions={"mtrepair": "1"}, ready=True,
        prefect=up_state.Server("http://127.0.0.1:1/api", 124, "3.9.1", 2.0), languagetool=None,
    )
    up_state.write_state(state, tmp_path)
    assert up_state.read_state(tmp_path) == state
    (tmp_path / up_state.STATE_FILE).write_text("{not json")
    assert up_state.read_state(tmp_path) is None
    up_state.remove_state(tmp_path)
    assert up_state.read_state(tmp_path) is None


def test_idle_time_counts_from_last_use_and_leases_hold_it(tmp_path):
    state = up_state.ServicesState(keeper_pid=1, started=time.time() - 100, idle_timeout_s=10, versions={})
    assert up_state.idle_seconds(state, tmp_path) >= 99  # never used: idle since the start
    lease = up_state.take_lease(tmp_path)
    assert up_state.idle_seconds(state, tmp_path) == 0  # this process holds a lease
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = up_state.take_lease(tmp_path, pid=dead.pid)
    up_state.drop_lease(lease, tmp_path)
    assert up_state.live_leases(tmp_path) == [] and not stale.exists()  # a killed run's lease is dropped
    assert up_state.idle_seconds(state, tmp_path, now=time.time() + 5) == pytest.approx(5, abs=1)


def test_nothing_started_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("MTREPAIR_CACHE", str(tmp_path))
    for name in ("MTREPAIR_LANGUAGETOOL_URL", "PREFECT_API_URL", "MTREPAIR_UP"):
        monkeypatch.delenv(name, raising=False)
    assert use_running_services() is None
    assert "PREFECT_API_URL" not in os.environ and "MTREPAIR_LANGUAGETOOL_URL" not in os.environ


def test_servers_of_another_version_are_never_used(tmp_path, monkeypatch):
    monkeypatch.setenv("MTREPAIR_CACHE", str(tmp_path))
    for name in ("MTREPAIR_LANGUAGETOOL_URL", "PREFECT_API_URL", "MTREPAIR_UP"):
        monkeypatch.delenv(name, raising=False)
    versions = {**local_versions(), "prefect": "0.0.1"}
    up_state.write_state(up_state.ServicesState(
        keeper_pid=os.getpid(), started=time.time(), idle_timeout_s=60, versions=versions, ready=True,
        prefect=up_state.Server("http://127.0.0.1:9/api", os.getpid(), "0.0.1", time.time())), tmp_path / "up")
    note = use_running_services()
    assert "prefect 0.0.1" in note and "starts its own" in note
    assert "PREFECT_API_URL" not in os.environ


# ---- real processes ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """`mtrepair up` in a cache of its own; stopped at the end whatever happened."""
    env = services_env(tmp_path_factory.mktemp("up-cache"))
    done = mtrepair(["up", "--idle-timeout", "30m"], env)
    assert done.returncode == 0, done.stdout + done.stderr
    yield env
    mtrepair(["down"], env)


@pytest.mark.e2e
def test_up_says_what_runs(warm):
    state = up_state.read_state(Path(warm["MTREPAIR_CACHE"]) / "up")
    assert state.ready and all(up_state.pid_alive(pid) for pid in server_pids(state))
    done = mtrepair(["status"], warm)
    assert done.returncode == 0
    assert state.prefect.url in done.stdout and state.languagetool.url in done.stdout and " MB" in done.stdout
    again = mtrepair(["up"], warm)  # a second `up` finds them
    assert again.returncode == 0 and "already running" in again.stdout
    assert up_state.read_state(Path(warm["MTREPAIR_CACHE"]) / "up").keeper_pid == state.keeper_pid


@pytest.mark.e2e
def test_runs_reuse_the_servers(warm, tmp_path):
    state = up_state.read_state(Path(warm["MTREPAIR_CACHE"]) / "up")
    for name in ("first", "second"):
        done, started = watched_run(tmp_path / name, warm)  # sent to the warm runner: it starts nothing either
        assert done.returncode == 0, done.stderr[-2000:]
        assert_quiet(done)
        assert started == set(), f"the {name} run started its own {started}"
        record = json.loads((tmp_path / name / "run.json").read_text())
        assert record["settings"]["languagetool_url"] == state.languagetool.url
    assert up_state.live_leases(Path(warm["MTREPAIR_CACHE"]) / "up") == []  # the runs let go
    assert "ran in the warm process of `mtrepair up`" in done.stdout


@pytest.mark.e2e
def test_the_warm_runner_gives_what_a_run_here_gives(warm, tmp_path):
    """The same seed run sent to the keeper's warm runner and run in the command's own process (another
    MTREPAIR_* setting keeps it here) writes the same proposals and the same repaired.txt."""
    there = mtrepair(["run", str(SEED_TARGET), "--reference", str(SEED_REFERENCE), "--out", str(tmp_path / "there")], warm)
    here = mtrepair(["run", str(SEED_TARGET), "--reference", str(SEED_REFERENCE), "--out", str(tmp_path / "here")],
                    {**warm, "MTREPAIR_MAX_ARTICLE_BYTES": "1000000"})
    assert there.returncode == 0 and here.returncode == 0, there.stderr + here.stderr
    assert "warm process" in there.stdout and "warm process" not in here.stdout
    proposals = [json.loads((tmp_path / name / "proposals.json").read_text())["proposals"] for name in ("there", "here")]
    assert proposals[0] == proposals[1]
    assert (tmp_path / "there" / "repaired.txt").read_bytes() == (tmp_path / "here" / "repaired.txt").read_bytes()
    record = json.loads((tmp_path / "there" / "run.json").read_text())
    assert record["startup"] == {}  # nothing was started for it


@pytest.mark.e2e
def test_the_warm_runner_refuses_bad_input_in_one_line_from_the_working_folder(warm, tmp_path):
    (tmp_path / "target.txt").write_text(SEED_TARGET.read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run([*MTREPAIR, "run", "target.txt", "--reference", "missing.txt"], env=warm, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["mtrepair: error: missing.txt: no such file"]
    assert not (tmp_path / "outputs").exists()
    ok = subprocess.run([*MTREPAIR, "run", "target.txt", "--reference", str(SEED_REFERENCE)], env=warm, cwd=tmp_path,
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0 and "warm process" in ok.stdout, ok.stderr
    [run_dir] = (tmp_path / "outputs").iterdir()  # relative paths and the default run folder: the command's folder
    assert f"report: outputs/{run_dir.name}/report.html" in ok.stdout


@pytest.mark.e2e
def test_line_mode_uses_them_too(warm, tmp_path):
    lines = tmp_path / "in.txt"
    lines.write_text("He go to school every days.\nThe weather are nice.\n")
    done, started = watched(["correct", "--input", str(lines), "--output", str(tmp_path / "out.txt")], warm)
    assert done.returncode == 0, done.stderr[-2000:]
    assert started == set() and len((tmp_path / "out.txt").read_text().splitlines()) == 2


@pytest.mark.e2e
def test_a_server_killed_from_outside_comes_back(warm, tmp_path):
    folder = Path(warm["MTREPAIR_CACHE"]) / "up"
    before = up_state.read_state(folder)
    os.kill(before.languagetool.pid, signal.SIGKILL)
    done = mtrepair(["run", str(SEED_TARGET), "--reference", str(SEED_REFERENCE), "--out", str(tmp_path / "run")], warm)
    assert done.returncode == 0, done.stderr[-2000:]  # it fell back to its own server, or used the revived one
    assert_quiet(done)

    def revived():
        now = up_state.read_state(folder)
        return now is not None and now.languagetool is not None and now.languagetool.pid != before.languagetool.pid
    assert wait_until(revived, 180), "the keeper did not start LanguageTool again"
    after = up_state.read_state(folder)
    assert after.languagetool.url == before.languagetool.url  # the same port: runs find it where it was


@pytest.mark.e2e
def test_down_leaves_no_process(warm):
    state = up_state.read_state(Path(warm["MTREPAIR_CACHE"]) / "up")
    pids = server_pids(state)
    done = mtrepair(["down"], warm)
    assert done.returncode == 0 and "stopped" in done.stdout
    assert not any(up_state.pid_alive(pid) for pid in pids)
    assert up_state.read_state(Path(warm["MTREPAIR_CACHE"]) / "up") is None
    assert mtrepair(["status"], warm).returncode == 3


@pytest.mark.e2e
def test_idle_servers_stop_by_themselves_and_other_homes_do_not_see_them(tmp_path):
    env = services_env(tmp_path / "alice")
    done = mtrepair(["up", "--idle-timeout", "3s"], env)
    assert done.returncode == 0, done.stdout + done.stderr
    folder = tmp_path / "alice" / "up"
    state = up_state.read_state(folder)
    other = services_env(tmp_path / "bob")
    assert mtrepair(["status"], other).returncode == 3  # another home: nothing runs for bob
    assert wait_until(lambda: not any(up_state.pid_alive(pid) for pid in server_pids(state)), 120)
    assert up_state.read_state(folder) is None
    assert "idle for 3 s" in (folder / "keeper.log").read_text()


@pytest.mark.e2e
def test_a_killed_keeper_takes_its_servers_along_and_runs_fall_back(tmp_path):
    env = services_env(tmp_path / "cache")
    assert mtrepair(["up"], env).returncode == 0
    state = up_state.read_state(tmp_path / "cache" / "up")
    os.kill(state.keeper_pid, signal.SIGKILL)
    assert wait_until(lambda: not any(up_state.pid_alive(pid) for pid in server_pids(state)), 60)
    done = mtrepair(["run", str(SEED_TARGET), "--reference", str(SEED_REFERENCE), "--out", str(tmp_path / "run")], env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert_quiet(done)
    notes = [line for line in done.stderr.splitlines() if "mtrepair up" in line]
    assert len(notes) == 1 and "starts its own" in notes[0]
