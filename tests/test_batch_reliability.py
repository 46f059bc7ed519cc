"""Nothing lost: real `mtrepair batch` processes killed with SIGKILL, run side by side, and given hostile names.

Every process here is the real CLI with the real model and the session's real LanguageTool
server. After each kill and after every finished batch the output folder must be consistent:
every drop repaired exactly once (one run folder per content, its files matching run.json),
no half-written run folder with a run.json, and index.json and index.html agreeing with the
folders. The drops are small (three sentences) to keep each batch short.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import ROOT

from repair.batch.batch_index import out_lock
from repair.reporting.outputs import verify_run

KILLER = Path(__file__).with_name("batch_killer.py")
PLACES = ["Geneva", "Oslo", "Lisbon", "Vienna", "Prague", "Dublin"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def write_drops(root: Path, names: list[str]) -> Path:
    """One small drop per name, each with its own content (so each gets its own hash)."""
    root.mkdir(parents=True, exist_ok=True)
    old = time.time() - 60
    for i, name in enumerate(names):
        folder = root / name
        folder.mkdir()
        place, day = PLACES[i % len(PLACES)], DAYS[i % len(DAYS)]
        (folder / "target.txt").write_text(
            f"Talks in {place} end without deal\n"
            f"The delegations was meeting in {place} on {day} for a {i + 3} hours. "
            f"They has not agree on the price of the gas. A next round will be in the spring.\n", encoding="utf-8")
        (folder / "reference.txt").write_text(
            f"The delegations met in {place} on {day} for {i + 3} hours. "
            f"They did not agree on the price of gas. The next round will be held in the spring.\n", encoding="utf-8")
        for path in [folder, *folder.iterdir()]:
            os.utime(path, (old, old))
    return root


def batch_command(drops: Path, out: Path, kill_at: str | None = None) -> list[str]:
    head = [sys.executable, str(KILLER), kill_at] if kill_at else [sys.executable, "-m", "mtrepair"]
    return [*head, "batch", str(drops), "--out", str(out), "--settle", "0"]


def start(command: list[str], languagetool_url: str) -> subprocess.Popen:
    env = {**os.environ, "MTREPAIR_LANGUAGETOOL_URL": languagetool_url}
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def finish(process: subprocess.Popen, timeout: float = 600) -> tuple[int, str]:
    try:
        output, _ = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    return process.returncode, output


def kill_group(process: subprocess.Popen) -> None:
    """kill -9 the batch and every process it started (as a reboot would)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate(timeout=60)


def repaired_count(output: str) -> int:
    summary = [line for line in output.splitlines() if " repaired, " in line][-1]
    return int(summary.split()[0])


def check_consistent(drops: Path, out: Path, complete: bool) -> None:
    """The output folder's promises, after a finished batch (`complete`) or right after a kill."""
    names = sorted(p.name for p in drops.iterdir() if p.is_dir() and not p.name.startswith("."))
    for name in names:
        folder = out / name
        finished = [run for run in folder.iterdir() if (run / "run.json").exists()] if folder.is_dir() else []
        for run in finished:
            verify_run(run)  # every file there is the one run.json lists
            assert not list(run.glob(".partial-*")), run
        assert len(finished) <= 1, f"{name} repaired twice: {finished}"
        if complete:
            assert len(finished) == 1, f"{name} has no finished run"
            assert [p.name for p in folder.iterdir() if p.is_dir()] == [finished[0].name], "a stray run folder"
    index_json = out / "index.json"
    if not index_json.exists():
        assert not complete
        return
    document = json.loads(index_json.read_text(encoding="utf-8"))
    for entry in document["drops"]:
        if entry["status"] in ("repaired", "unchanged"):  # marked repaired: its files are there and whole
            verify_run((out / unquote(entry["report"])).parent)
    if complete:
        assert sorted(e["name"] for e in document["drops"]) == names
        assert {e["status"] for e in document["drops"]} <= {"repaired", "unchanged"}
        html = (out / "index.html").read_text(encoding="utf-8")
        assert document["generated"] in html
        for entry in document["drops"]:
            assert entry["report"] in html
    assert not list(out.glob(".index.*.tmp")) or not complete


def test_killed_batches_lose_nothing_and_repair_each_drop_once(tmp_path, languagetool_url):
    drops, out = write_drops(tmp_path / "drops", ["d1", "d2", "d3"]), tmp_path / "out"
    kills = 0
    # each dangerous moment, hit exactly: hashing, mid-write of the second run folder, between index.json and index.html
    for point in ["hash:2", "write:5", "index"]:
        code, output = finish(start(batch_command(drops, out, point), languagetool_url))
        assert code == -signal.SIGKILL, output
        kills += 1
        check_consistent(drops, out, complete=False)
    # and at a random moment (seeded), the whole process group at once, as a reboot would
    (drops / "d4").mkdir()
    write_drops(tmp_path / "more", ["d4"])
    for path in (tmp_path / "more" / "d4").iterdir():
        path.rename(drops / "d4" / path.name)
    process = start(batch_command(drops, out), languagetool_url)
    time.sleep(random.Random(15).uniform(2.0, 8.0))
    kill_group(process)
    kills += 1
    check_consistent(drops, out, complete=False)

    code, output = finish(start(batch_command(drops, out), languagetool_url))
    assert code == 0, output
    assert "Traceback" not in output and "ERROR" not in output
    check_consistent(drops, out, complete=True)
    assert kills == 4
    again = finish(start(batch_command(drops, out), languagetool_url))
    assert again[0] == 0 and repaired_count(again[1]) == 0  # all four are done, once


def test_two_batches_at_once_and_a_third_that_waits(tmp_path, languagetool_url):
    drops, out = write_drops(tmp_path / "drops", ["a", "b", "c"]), tmp_path / "out"
    first, second = (start(batch_command(drops, out), languagetool_url) for _ in range(2))
    results = [finish(p) for p in (first, second)]
    for code, output in results:
        assert code == 0, output
        assert "Traceback" not in output and "ERROR" not in output
    assert sum(repaired_count(output) for _, output in results) == 3  # each drop once, by one of them
    check_consistent(drops, out, complete=True)

    # a batch that finds the output folder locked (here by this test, as by a long batch) says so and waits
    with out_lock(out):
        third = start(batch_command(drops, out), languagetool_url)
        first_line = third.stdout.readline()
        assert first_line.startswith(f"waiting: another batch is writing to {out}"), first_line
        time.sleep(1)
        assert third.poll() is None  # still waiting
    code, output = finish(third)
    assert code == 0 and repaired_count(output) == 0, output
    check_consistent(drops, out, complete=True)


HOSTILE_NAMES = ["with spaces", "ünïcødé 日本", "-rf", "<img src=x onerror=alert(1)>", "x" * 255]


def test_a_real_batch_repairs_drops_with_hostile_names(tmp_path, languagetool_url):
    drops, out = write_drops(tmp_path / "drops", HOSTILE_NAMES), tmp_path / "out"
    (drops / "loop").symlink_to("loop")
    (drops / "new\nline").mkdir()
    code, output = finish(start(batch_command(drops, out), languagetool_url))
    assert code == 0, output
    assert "Traceback" not in output and "ERROR" not in output
    assert repaired_count(output) == len(HOSTILE_NAMES)
    assert "bad drop: loop: the drop folder cannot be opened (Too many levels of symbolic links)" in output
    assert "bad drop: 'new\\nline': unsafe drop name 'new\\nline'" in output
    document = json.loads((out / "index.json").read_text(encoding="utf-8"))
    repaired = {e["name"] for e in document["drops"] if e["status"] == "repaired"}
    assert repaired == set(HOSTILE_NAMES)
    for entry in document["drops"]:
        if entry["status"] == "repaired":
            verify_run((out / unquote(entry["report"])).parent)
    assert "<img src=x" not in (out / "index.html").read_text(encoding="utf-8")


def _mount_tmpfs(path: Path, size: str) -> None:
    path.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True, capture_output=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_a_full_output_disk_is_one_line_and_the_next_batch_completes(tmp_path, languagetool_url):
    drops = write_drops(tmp_path / "drops", ["f1", "f2", "f3"])
    disk = tmp_path / "disk"
    try:
        _mount_tmpfs(disk, "64k")
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    try:
        out = disk / "out"
        code, output = finish(start(batch_command(drops, out), languagetool_url))
        assert "Traceback" not in output and code in (0, 2), output
        full = [line for line in output.splitlines() if "space left" in line.lower()]
        assert full, output
        assert all(line.startswith(("bad drop: ", "mtrepair: error: ", "[")) for line in full), output
        check_consistent(drops, out, complete=False)  # whatever was finished is whole; nothing half-written counts
        subprocess.run(["mount", "-o", "remount,size=16m", str(disk)], check=True)
        code, output = finish(start(batch_command(drops, out), languagetool_url))
        assert code == 0, output
        check_consistent(drops, out, complete=True)
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_a_full_disk_while_indexing_is_one_line_with_exit_code_2(tmp_path):
    """No model or LanguageTool needed: the batch finds only bad drops and must write their records."""
    drops = tmp_path / "drops"
    (drops / "empty").mkdir(parents=True)
    disk = tmp_path / "disk"
    try:
        _mount_tmpfs(disk, "64k")
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    try:
        out = disk / "out"
        out.mkdir()
        filler = disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 512):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        result = subprocess.run([sys.executable, "-m", "mtrepair", "batch", str(drops), "--out", str(out), "--settle", "0"],
                                cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert result.returncode == 2, result.stdout + result.stderr
        assert result.stderr.startswith("mtrepair: error: ") and "no space left on the device" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stdout + result.stderr
        assert not (out / "index.json").exists() and not list(out.rglob("*.tmp"))
        filler.unlink()
        result = subprocess.run([sys.executable, "-m", "mtrepair", "batch", str(drops), "--out", str(out), "--settle", "0"],
                                cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0 and "bad drop: empty: no target file" in result.stdout
        assert json.loads((out / "index.json").read_text())["counts"]["error"] == 1
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
