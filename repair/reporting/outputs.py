"""Write a run's files so that a reader never sees half a run, or two runs mixed.

- One run at a time per folder: a run holds an exclusive lock on
  `<folder>/.mtrepair.lock` (an OS file lock, released even when the process is
  killed) from its start to its end; a second run on the same folder stops at
  once with a clear error instead of interleaving its files.
- All files of a run are first written and synced in a hidden staging folder
  inside the run folder. Only then is the old run.json removed, each file
  renamed into place (an atomic step on one file system) and run.json renamed
  in last. run.json lists the SHA-256 of every other file, so `verify_run` can
  prove that the files in a folder are the ones its run.json describes.
- A run killed at any point leaves either the previous complete run, or a
  folder without run.json (incomplete, never mistaken for a finished run);
  staging leftovers are removed by the next run, which completes normally.

A folder that cannot be created or written is a SetupError naming it, raised
before any stage runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from repair.errors import RepairError, SetupError
from repair.reporting.run_record import RUN_FILE, RunRecord

RUN_FILES = ("cleaned.txt", "proposals.json", "report.html", "report.md", "repaired.txt", "sentences.json", "run.json")
LOCK_NAME = ".mtrepair.lock"
_STAGING_PREFIX = ".partial-"


class IncompleteRunError(RepairError):
    """A run folder holds no finished run, or files that its run.json does not describe."""


def default_out_dir(target: str | Path, root: str | Path = "outputs") -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return Path(root) / f"{Path(target).stem}-{stamp}"


def check_out_dir(path: str | Path) -> None:
    """Say now, without creating anything, if `path` cannot become a run folder:
    it is a file, a file stands where a parent folder should be, the nearest
    existing folder is not writable, or another run holds it."""
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise SetupError(f"{path}: output path is a file, not a folder")
        if (path / LOCK_NAME).exists():
            with run_lock(path):  # busy now? say so now (the run takes the lock again for itself)
                pass
        existing = path
    else:
        existing = path.parent
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            raise SetupError(f"{path}: output folder cannot be created ({existing} is a file)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise SetupError(f"{path}: output folder cannot be written ({existing} is not writable)")


def prepare_out_dir(path: str | Path) -> Path:
    """Create the folder (and parents) and make sure it is writable."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise SetupError(f"{path}: output path is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-", delete=True)
        probe.close()
    except OSError as exc:
        raise SetupError(f"{path}: output folder cannot be written ({exc.strerror or exc})") from None
    if not path.is_dir():
        raise SetupError(f"{path}: output path is not a folder")
    return path


@contextmanager
def run_lock(out_dir: str | Path) -> Iterator[Path]:
    """Hold the run folder for one run: create it, lock it, clear a killed run's leftovers.
    A folder this run created is removed again if the run fails before writing to it."""
    created = not Path(out_dir).exists()
    out = prepare_out_dir(out_dir)
    lock = FileLock(str(out / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise SetupError(
            f"{out}: another mtrepair run is writing to this output folder; wait for it to finish or choose another folder"
        ) from None
    try:
        _remove_leftovers(out)
        yield out
    except BaseException:
        if created and [p.name for p in out.iterdir()] == [LOCK_NAME]:
            shutil.rmtree(out, ignore_errors=True)
        raise
    finally:
        lock.release()


def _remove_leftovers(out: Path) -> None:
    for entry in out.iterdir():
        if entry.name.startswith(_STAGING_PREFIX) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file():
            entry.unlink(missing_ok=True)


def write_atomic(path: str | Path, content: str | bytes) -> Path:
    """Write `content` to `path` through a temporary file and a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        _write_synced(fd, content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _write_synced(fd: int, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_folder(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def sha256_of(content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def to_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def write_run(out_dir: str | Path, files: Mapping[str, str]) -> dict[str, Path]:
    """Write all files of a run: staged and synced first, then renamed into
    place with run.json last (see the module docstring)."""
    out = prepare_out_dir(out_dir)
    names = sorted(files, key=lambda name: name == "run.json")
    staging = Path(tempfile.mkdtemp(dir=out, prefix=_STAGING_PREFIX))
    try:
        for name in names:
            _write_synced(os.open(staging / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644), files[name])
        _sync_folder(staging)
        if "run.json" in files:
            (out / "run.json").unlink(missing_ok=True)  # from here until the end, the folder is incomplete
            _sync_folder(out)
        for name in names:
            os.replace(staging / name, out / name)
        _sync_folder(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {name: out / name for name in names}


def verify_run(out_dir: str | Path) -> dict:
    """The run record of a finished run folder; raise IncompleteRunError if the
    folder holds no finished run or a file differs from what run.json lists."""
    out = Path(out_dir)
    try:
        record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IncompleteRunError(f"{out}: no run.json, so no finished run (re-run to complete it)") from None
    except (OSError, ValueError) as exc:
        raise IncompleteRunError(f"{out}: run.json cannot be read ({exc})") from None
    expected = record.get("sha256") or {}
    if not expected:
        raise IncompleteRunError(f"{out}: run.json lists no file checksums")
    for name, digest in expected.items():
        try:
            actual = sha256_of((out / name).read_bytes())
        except OSError:
            raise IncompleteRunError(f"{out}: {name} is missing") from None
        if actual != digest:
            raise IncompleteRunError(f"{out}: {name} does not belong to run {record.get('run_id')}")
    return record


def run_files(
    record: RunRecord,
    target_text: str,
    proposals: list,
    alignments: list,
    min_confidence: float,
    target_document,
) -> dict[str, str]:
    """The contents of every file of a run; fills in the record's summary and checksums.

    `record` holds everything else (run_id, created, target, references,
    settings, versions, timings, notes).
    """
    from repair.decide.apply import apply_above
    from repair.reporting.report import render_html, render_markdown, report_model, summarize
    from repair.reporting.sentences_file import sentences_document

    applied = apply_above(target_text, proposals, min_confidence)
    summary = {**summarize(target_document, proposals), "applied": len(applied.applied)}
    if record.references:
        summary["coverage"] = {
            "supported": sum(1 for a in alignments if a.supported),
            "sentences": len(target_document.sentences),
        }
    record.summary = summary
    proposals_doc = {
        "schema_version": record.schema_version,
        "run_id": record.run_id,
        "target": record.target,
        "text_sha256": record.target["cleaned_sha256"],
        "min_confidence": min_confidence,
        "proposals": [p.to_dict() for p in proposals],
    }
    model = report_model(record.to_dict(), target_document, proposals, alignments, min_confidence)
    files = {
        "cleaned.txt": target_text,
        "repaired.txt": applied.text,
        "proposals.json": to_json(proposals_doc),
        "report.html": render_html(model),
        "report.md": render_markdown(model),
        "sentences.json": to_json(sentences_document(record.schema_version, record.run_id,
                                                     record.target["cleaned_sha256"], target_document, proposals)),
    }
    record.sha256 = {name: sha256_of(content) for name, content in files.items()}
    files[RUN_FILE] = to_json(record.to_dict())
    return files
