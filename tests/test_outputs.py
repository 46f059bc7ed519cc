"""Run folders: one run at a time, never half-written, never two runs mixed.

The kill tests run `write_run` in a child process that SIGKILLs itself at a
chosen step (while staging a file, or between two renames), which is exactly
what a power cut or the OOM killer does, and then look at what is left.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT, SEED_REFERENCE, SEED_TARGET
from repair.errors import SetupError
from repair.reporting.outputs import (
    LOCK_NAME,
    IncompleteRunError,
    check_out_dir,
    run_lock,
    sha256_of,
    to_json,
    verify_run,
    write_run,
)

NAMES = ("cleaned.txt", "proposals.json", "report.html", "report.md", "repaired.txt", "sentences.json")


def run_contents(run_id: str) -> dict[str, str]:
    """The files of a run whose every file names the run."""
    files = {name: f"{name} of run {run_id}\n" * 50 for name in NAMES}
    files["run.json"] = to_json({"run_id": run_id, "sha256": {n: sha256_of(c) for n, c in files.items()}})
    return files


def test_a_written_run_verifies_and_leaves_no_temporary_files(tmp_path):
    write_run(tmp_path / "run", run_contents("A"))
    assert verify_run(tmp_path / "run")["run_id"] == "A"
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == sorted([*NAMES, "run.json"])


def test_a_second_run_replaces_the_first_whole(tmp_path):
    write_run(tmp_path / "run", run_contents("A"))
    write_run(tmp_path / "run", run_contents("B"))
    assert verify_run(tmp_path / "run")["run_id"] == "B"


def test_a_file_from_another_run_is_caught(tmp_path):
    out = tmp_path / "run"
    write_run(out, run_contents("A"))
    (out / "report.md").write_text(run_contents("B")["report.md"])
    with pytest.raises(IncompleteRunError, match="report.md does not belong to run A"):
        verify_run(out)


def test_a_folder_without_run_json_is_no_finished_run(tmp_path):
    with pytest.raises(IncompleteRunError, match="no run.json"):
        verify_run(tmp_path)


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from test_outputs import run_contents
    from repair.reporting import outputs

    step, kind = int(sys.argv[2]), sys.argv[3]
    count = 0
    real = {{"stage": outputs._write_synced, "rename": os.replace}}[kind]

    def dying(*args):
        global count
        if count == step:
            os.kill(os.getpid(), signal.SIGKILL)
        count += 1
        return real(*args)

    if kind == "stage":
        outputs._write_synced = dying
    else:
        outputs.os.replace = dying
    outputs.write_run(sys.argv[1], run_contents("B"))
    """
)

KILL_POINTS = [("stage", n) for n in range(6)] + [("rename", n) for n in range(6)]


@pytest.mark.parametrize("kind, step", KILL_POINTS, ids=[f"{k}-{n}" for k, n in KILL_POINTS])
def test_a_run_killed_while_writing_leaves_the_old_run_or_no_run_never_a_mix(tmp_path, kind, step):
    out = tmp_path / "run"
    write_run(out, run_contents("A"))
    child = subprocess.run(
        [sys.executable, "-c", KILLER.format(tests=str(ROOT / "tests")), str(out), str(step), kind],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert child.returncode == -9, child.stderr  # it really died by SIGKILL, mid-write
    if kind == "stage":
        assert verify_run(out)["run_id"] == "A"  # nothing of B reached the folder
    else:
        with pytest.raises(IncompleteRunError, match="no run.json"):
            verify_run(out)  # mid-commit: the folder says it holds no finished run
    with run_lock(out):  # the next run clears the leftovers and completes
        write_run(out, run_contents("C"))
    assert verify_run(out)["run_id"] == "C"
    assert sorted(p.name for p in out.iterdir()) == sorted([*NAMES, "run.json", LOCK_NAME])


def test_two_runs_cannot_hold_one_folder(tmp_path):
    with run_lock(tmp_path / "run"):
        with pytest.raises(SetupError, match="another mtrepair run is writing to this output folder"):
            with run_lock(tmp_path / "run"):
                pass
    with run_lock(tmp_path / "run"):  # released: the next run may go
        pass


def test_a_second_mtrepair_run_on_a_busy_folder_stops_with_one_line(tmp_path, languagetool_url):
    out = tmp_path / "run"
    with run_lock(out):
        write_run(out, run_contents("A"))
        result = subprocess.run(
            [sys.executable, "-m", "mtrepair", "run", str(SEED_TARGET), "--reference", str(SEED_REFERENCE),
             "--out", str(out)],
            cwd=ROOT, capture_output=True, text=True, timeout=600,
            env={**os.environ, "MTREPAIR_LANGUAGETOOL_URL": languagetool_url},
        )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"mtrepair: error: {out}: another mtrepair run is writing to this output folder; "
        "wait for it to finish or choose another folder"
    ]
    assert verify_run(out)["run_id"] == "A"  # the holder's files are untouched


def test_output_paths_that_cannot_be_folders_are_said_before_anything_is_made(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SetupError, match="is a file, not a folder"):
        check_out_dir(blocker)
    with pytest.raises(SetupError, match=r"cannot be created \(.*file is a file\)"):
        check_out_dir(blocker / "a" / "b")
    check_out_dir(tmp_path / "new" / "deeper")
    assert not (tmp_path / "new").exists()


def test_the_seed_run_folder_verifies(seed_run):
    record, out = seed_run
    assert verify_run(out)["run_id"] == record.run_id
    assert set(json.loads((out / "run.json").read_text())["sha256"]) == set(NAMES)


def test_the_flow_itself_refuses_a_busy_folder(tmp_path, settings):
    from flows.repair_pair import repair_pair

    out = tmp_path / "run"
    with run_lock(out):
        with pytest.raises(SetupError, match="another mtrepair run"):
            repair_pair(str(SEED_TARGET), [str(SEED_REFERENCE)], str(out), settings, publish_artifact=False)
    assert not (out / "run.json").exists()


def test_a_run_that_fails_before_writing_leaves_no_folder_it_made(tmp_path):
    out = tmp_path / "new" / "run"
    with pytest.raises(RuntimeError):
        with run_lock(out):
            raise RuntimeError("the model could not be loaded")
    assert not out.exists()
    existing = tmp_path / "existing"
    existing.mkdir()
    with pytest.raises(RuntimeError):
        with run_lock(existing):
            raise RuntimeError("boom")
    assert existing.is_dir()  # a folder the user made is left alone
