"""LanguageTool faults, for real: the JVM is killed, and the run copes and says so.

These tests are about the server's life, so they start their own server (one
for the module) and kill its JVM with SIGKILL; the command-line tests let
`mtrepair run` start and stop its own, as a user's run does.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

import psutil
import pytest

from conftest import ROOT, SEED_REFERENCE, SEED_TARGET
from repair.engines import resources
from flows.repair_pair import repair_pair
from repair.reporting.run_notes import grammar_notes, sentence_ranges
from repair.text.document import prepare_text
from repair.errors import SetupError
from repair.engines.grammar import GrammarChecker
from repair.engines.languagetool import LanguageToolServer
from repair.text.load import LoadedText
from repair.reporting.outputs import verify_run

PARAGRAPHS = [
    "Moscow recalls its ambassador",
    "He have a car. She go home every days.",
    "The minister said that the talks was over. Their is no way back.",
    "This are the last paragraph of the article.",
]


def document():
    text = "\n".join(PARAGRAPHS)
    return prepare_text("t.txt", "t.txt", LoadedText(text, "utf-8", ())).document


def kill(server: LanguageToolServer) -> int:
    """SIGKILL the server's JVM, as the kernel's OOM killer would, and wait until it is gone."""
    pid = server.process.pid
    server.process.kill()
    server.process.wait(timeout=30)
    return pid


def found(result):
    return [(m.start, m.end, m.rule_id) for m in result.matches]


@pytest.fixture(scope="module")
def own_server():
    server = LanguageToolServer().start()
    yield server
    server.stop()


@pytest.fixture
def server(own_server):
    """The module's server, alive at the start of each test."""
    own_server.revive()
    return own_server


def listening_addresses(pid: int) -> set[tuple[str, int]]:
    try:
        connections = psutil.Process(pid).net_connections(kind="inet")
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return set()
    return {(c.laddr.ip, c.laddr.port) for c in connections if c.status == psutil.CONN_LISTEN}


LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}


def test_the_server_listens_on_loopback_only_on_the_port_chosen(server):
    addresses = listening_addresses(server.process.pid)
    assert addresses, "the JVM listens on no socket"
    assert {ip for ip, _ in addresses} <= LOOPBACK
    assert {port for _, port in addresses} == {server.port}
    assert "--public" not in psutil.Process(server.process.pid).cmdline()


def test_a_server_killed_before_the_check_is_restarted_and_the_check_completes(server):
    checker = GrammarChecker(server.url, threads=2, recover=server.revive)
    baseline = checker.check(document())
    assert baseline.matches and baseline.recoveries == 0
    old_pid = kill(server)
    result = checker.check(document())
    assert found(result) == found(baseline)
    assert result.skipped_sentences == []
    assert result.recoveries >= 1
    assert server.running and server.process.pid != old_pid


def test_a_server_killed_between_paragraphs_is_restarted_and_no_paragraph_is_lost(server):
    checker = GrammarChecker(server.url, threads=1, recover=server.revive)
    baseline = checker.check(document())
    real_check = checker._client.check
    calls = []

    def check_then_kill(text):
        result = real_check(text)
        calls.append(text)
        if len(calls) == 1:
            kill(server)
        return result

    checker._client.check = check_then_kill
    result = checker.check(document())
    assert found(result) == found(baseline)
    assert result.skipped_sentences == [] and result.recoveries == 1
    assert len(calls) == len(PARAGRAPHS)


def test_a_server_that_cannot_come_back_is_reported_sentence_by_sentence(server):
    def cannot_restart():
        raise SetupError("LanguageTool server exited while starting")

    checker = GrammarChecker(server.url, threads=2, recover=cannot_restart)
    kill(server)
    result = checker.check(document())
    every = [s.index for s in document().sentences]
    assert result.matches == [] and result.skipped_sentences == every
    notes = grammar_notes(result)
    assert f"grammar check skipped for {len(every)} sentences (LanguageTool did not answer): sentences 1-{len(every)}" in notes


def test_skipped_sentences_are_named_as_ranges():
    assert sentence_ranges([0, 1, 2, 5, 7, 8]) == "1-3, 6, 8-9"
    assert sentence_ranges([]) == ""


# --- the same faults inside a real run ---------------------------------------------------------------------


@pytest.fixture
def target(tmp_path):
    """The seed article with a paragraph of plain grammar errors added, so LanguageTool has work."""
    path = tmp_path / "target.txt"
    path.write_text(SEED_TARGET.read_text(encoding="utf-8") + "\n" + PARAGRAPHS[1] + "\n", encoding="utf-8")
    return path


def _kill_after_connecting(monkeypatch, server):
    """Let the run connect its checker to the live server, then kill the JVM before the first check."""
    real_get_checker = resources.get_checker

    def get_checker_then_kill(settings):
        checker = real_get_checker(settings)
        if server.running:
            kill(server)
        return checker

    monkeypatch.setattr(resources, "get_checker", get_checker_then_kill)
    monkeypatch.setattr(resources, "_checkers", {})


def test_a_run_whose_server_dies_restarts_it_and_says_so(server, monkeypatch, tmp_path, target, settings, embedder):
    monkeypatch.setattr(resources, "_server", server)  # as if this run had started it
    _kill_after_connecting(monkeypatch, server)
    out = tmp_path / "run"
    record = repair_pair(str(target), [str(SEED_REFERENCE)], str(out), replace(settings, languagetool_url=None),
                         publish_artifact=False)
    assert record.grammar["skipped_sentences"] == [] and record.grammar["recoveries"] >= 1
    assert record.summary["by_kind"]["grammar"] >= 2  # "He have", "She go" in the added paragraph
    assert any("it was restarted" in note for note in record.notes)
    assert "it was restarted" in (out / "report.html").read_text(encoding="utf-8")
    assert server.running


def test_a_run_whose_server_cannot_come_back_says_which_sentences_were_skipped(
    server, monkeypatch, tmp_path, target, settings, embedder
):
    # A user's server (MTREPAIR_LANGUAGETOOL_URL) is never restarted by mtrepair: it stays down.
    _kill_after_connecting(monkeypatch, server)
    out = tmp_path / "run"
    record = repair_pair(str(target), [str(SEED_REFERENCE)], str(out), replace(settings, languagetool_url=server.url),
                         publish_artifact=False)
    sentences = record.summary["sentences"]
    assert record.grammar["skipped_sentences"] == list(range(sentences))
    note = f"grammar check skipped for {sentences} sentences (LanguageTool did not answer): sentences 1-{sentences}"
    assert note in record.notes
    for name in ("report.html", "report.md"):
        assert note in (out / name).read_text(encoding="utf-8"), name
    assert record.grammar["matches"] == 0 and record.summary["by_kind"]["grammar"] == 0
    assert verify_run(out)["run_id"] == record.run_id  # the run still completes, with the gap said


# --- the command line: the JVM it starts is on loopback and gone afterwards ----------------------------------


def _cli(args, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MTREPAIR_LANGUAGETOOL_URL"}
    return subprocess.Popen([sys.executable, "-m", "mtrepair", *args], cwd=ROOT, env=env,
                            stdout=open(tmp_path / "stdout", "w"), stderr=open(tmp_path / "stderr", "w"))


def _java_children(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [c for c in process.children(recursive=True) if "java" in c.name()]
    except psutil.NoSuchProcess:
        return []


def _gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.2)
    return False


def _watch_until_listening(proc, timeout=600):
    """Wait until the CLI's JVM listens; return (java pids seen, addresses they listen on)."""
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        for java in _java_children(parent):
            addresses = listening_addresses(java.pid)
            if addresses:
                return java.pid, addresses
        time.sleep(0.2)
    raise AssertionError("mtrepair run never started a listening LanguageTool server")


def test_mtrepair_run_starts_languagetool_on_loopback_and_leaves_no_jvm_behind(tmp_path):
    target = tmp_path / "target.txt"
    target.write_bytes(SEED_TARGET.read_text(encoding="utf-8").encode("cp1252"))
    out = tmp_path / "run"
    proc = _cli(["run", str(target), "--reference", str(SEED_REFERENCE), "--out", str(out)], tmp_path)
    java, addresses = _watch_until_listening(proc)
    assert {ip for ip, _ in addresses} <= LOOPBACK
    assert proc.wait(timeout=600) == 0, (tmp_path / "stderr").read_text()
    assert _gone(java, timeout=10), "the LanguageTool JVM outlived mtrepair run"
    stdout = (tmp_path / "stdout").read_text()
    assert f"note: {target}: decoded from cp1252" in stdout
    assert "coverage: " in stdout
    assert verify_run(out)


def test_a_killed_run_keeps_the_previous_run_whole_leaves_no_jvm_and_a_rerun_completes(tmp_path, settings, embedder):
    out = tmp_path / "run"
    first = repair_pair(str(SEED_TARGET), [str(SEED_REFERENCE)], str(out), settings, publish_artifact=False)
    proc = _cli(["run", str(SEED_TARGET), "--reference", str(SEED_REFERENCE), "--out", str(out)], tmp_path)
    java, _ = _watch_until_listening(proc)  # half-way: inputs read, model loaded, grammar about to run
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert _gone(java, timeout=15), "the LanguageTool JVM outlived the killed run"
    assert verify_run(out)["run_id"] == first.run_id  # the previous run, whole and unmixed
    again = repair_pair(str(SEED_TARGET), [str(SEED_REFERENCE)], str(out), settings, publish_artifact=False)
    assert verify_run(out)["run_id"] == again.run_id != first.run_id
    assert not [p.name for p in out.iterdir() if p.name.startswith(".partial-")]
