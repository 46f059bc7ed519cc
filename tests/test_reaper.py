"""Nothing left behind: commands killed with SIGKILL leave none of the processes they started.

Real processes throughout: a small guarded script with children and grandchildren, then the
real `mtrepair run` and `mtrepair batch`, each killed with SIGKILL (only the command itself,
not its process group) once LanguageTool's JVM and Prefect's temporary API server are up.
The waits are bounds, not timings: the watchdog gives processes up to 10 s after SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest
from conftest import ROOT, SEED_REFERENCE, SEED_TARGET
from test_batch_reliability import write_drops

from mtrepair import reaper

BOUND = 90  # seconds the processes get to disappear (SIGTERM, then SIGKILL after reaper.GRACE_SECONDS)

GUARDED = """
import subprocess, sys, time
from mtrepair import reaper
reaper.guard()
child = subprocess.Popen(["sleep", "600"])
grandparent = subprocess.Popen(["sh", "-c", "sleep 600 & wait"])  # its child is re-parented when it dies
browser = subprocess.Popen(["sleep", "600"], start_new_session=True)  # as webbrowser starts a browser
print(child.pid, grandparent.pid, browser.pid, flush=True)
time.sleep(600)
"""


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def survivors(processes: list[psutil.Process], bound: float = BOUND) -> list[str]:
    """The processes still running (not zombies) after waiting up to `bound` seconds for them to end."""
    _gone, alive = psutil.wait_procs(processes, timeout=bound)
    left = []
    for process in alive:
        try:
            if process.status() != psutil.STATUS_ZOMBIE:
                left.append(f"{process.pid} {' '.join(process.cmdline()[:4])}")
        except psutil.NoSuchProcess:
            pass
    return left


def kill_all(processes: list[psutil.Process]) -> None:
    for process in processes:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass


def wait_for(process: subprocess.Popen, wanted, bound: float = 300) -> list[psutil.Process]:
    """Poll the command's descendants until `wanted(cmdlines)` holds; fail if the command ends first."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the command ended early: {process.stdout.read()}"
        found = descendants(process.pid)
        try:
            lines = [" ".join(p.cmdline()) for p in found]
        except psutil.NoSuchProcess:
            continue
        if wanted(lines):
            return found
        time.sleep(0.2)
    raise AssertionError(f"not started within {bound} s")


def server_and_jvm_up(lines: list[str]) -> bool:
    return any("uvicorn" in line and "prefect" in line for line in lines) and \
        any("org.languagetool.server.HTTPServer" in line for line in lines)


def test_a_killed_guarded_process_leaves_its_children_and_grandchildren_stopped_but_not_a_new_session():
    script = subprocess.Popen([sys.executable, "-c", GUARDED], stdout=subprocess.PIPE, text=True,
                              start_new_session=True)
    _child, _grandparent, browser = (int(pid) for pid in script.stdout.readline().split())
    started = wait_for(script, lambda lines: sum("sleep 600" in line for line in lines) >= 3, bound=60)
    browser_process = psutil.Process(browser)
    watched = [p for p in started if p.pid != browser]
    try:
        assert any("reaper.py" in " ".join(p.cmdline()) for p in watched), "no watchdog"
        script.send_signal(signal.SIGKILL)
        script.wait(timeout=30)
        assert survivors(watched) == []  # the children, the re-parented grandchild and the watchdog itself
        assert browser_process.is_running()  # its own session: meant to outlive the command
    finally:
        kill_all([*watched, browser_process])


def test_the_watchdog_finds_only_its_own_token_in_its_session():
    token = "0123456789abcdef"
    env = {**os.environ, reaper.VARIABLE: f"other {token}"}
    mine = subprocess.Popen(["sleep", "600"], env=env)
    elsewhere = subprocess.Popen(["sleep", "600"], env=env, start_new_session=True)
    unmarked = subprocess.Popen(["sleep", "600"])
    try:
        assert reaper.marked(token, os.getsid(0), os.getpid()) == [mine.pid]
        assert reaper.stop(token, os.getsid(0), grace=5) == [mine.pid]
        assert mine.wait(timeout=30) == -signal.SIGTERM
        assert elsewhere.poll() is None and unmarked.poll() is None
    finally:
        for process in (mine, elsewhere, unmarked):
            process.kill()
            process.wait()


def test_guard_is_once_per_process_and_marks_the_environment(monkeypatch):
    monkeypatch.delenv(reaper.VARIABLE, raising=False)
    monkeypatch.setattr(reaper, "_guarded", None)
    token = reaper.guard()
    assert token and reaper.guard() == token
    assert os.environ[reaper.VARIABLE].split() == [token]


def command_env() -> dict:
    """The CLI as a user runs it: its own LanguageTool JVM and its own temporary Prefect server."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("MTREPAIR_LANGUAGETOOL_URL", "PREFECT_API_URL", reaper.VARIABLE)}
    return env


def kill_when_up(command: list[str], cwd) -> None:
    process = subprocess.Popen(command, cwd=cwd, env=command_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    started: list[psutil.Process] = []
    try:
        started = wait_for(process, server_and_jvm_up)
        process.send_signal(signal.SIGKILL)  # the command alone, as the out-of-memory killer would
        process.wait(timeout=30)
        assert survivors(started) == []
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=60)
        kill_all(started)


@pytest.mark.e2e
def test_a_killed_run_leaves_no_server_behind(tmp_path):
    kill_when_up([sys.executable, "-m", "mtrepair", "run", str(SEED_TARGET), "--reference", str(SEED_REFERENCE),
                  "--out", str(tmp_path / "run")], cwd=tmp_path)


@pytest.mark.e2e
def test_a_killed_batch_leaves_no_server_behind(tmp_path):
    drops = write_drops(tmp_path / "drops", ["d1", "d2"])
    kill_when_up([sys.executable, "-m", "mtrepair", "batch", str(drops), "--out", str(tmp_path / "out"),
                  "--settle", "0"], cwd=ROOT)
