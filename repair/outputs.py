"""Write a run's files so that a reader never sees half a run.

Every file is written to a temporary name in the run folder and renamed into
place (an atomic step on one file system); run.json, written last, marks the
run complete. A folder that cannot be created or written is a SetupError
naming it, raised before any stage runs.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path

from .errors import SetupError

RUN_FILES = ("cleaned.txt", "proposals.json", "report.html", "report.md", "repaired.txt", "run.json")


def default_out_dir(target: str | Path, root: str | Path = "outputs") -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return Path(root) / f"{Path(target).stem}-{stamp}"


def prepare_out_dir(path: str | Path) -> Path:
    """Create the folder (and parents) and make sure it is writable."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-", delete=True)
        probe.close()
    except OSError as exc:
        raise SetupError(f"{path}: output folder cannot be written ({exc.strerror or exc})") from None
    if not path.is_dir():
        raise SetupError(f"{path}: output path is not a folder")
    return path


def write_atomic(path: str | Path, content: str | bytes) -> Path:
    """Write `content` to `path` through a temporary file and a rename."""
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def to_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def write_run(out_dir: str | Path, files: Mapping[str, str]) -> dict[str, Path]:
    """Write all files of a run; run.json (if given) goes last."""
    out = prepare_out_dir(out_dir)
    names = sorted(files, key=lambda name: name == "run.json")
    return {name: write_atomic(out / name, files[name]) for name in names}


def run_files(
    run: dict,
    target_text: str,
    proposals: list,
    alignments: list,
    min_confidence: float,
    target_document,
) -> tuple[dict[str, str], dict]:
    """The contents of every file of a run, and the run record with its summary.

    `run` holds run_id, created, target, references, settings, versions,
    timings and notes; the summary is added here.
    """
    from .apply import apply_above
    from .report import render_html, render_markdown, report_model, summarize

    applied = apply_above(target_text, proposals, min_confidence)
    summary = {**summarize(target_document, proposals), "applied": len(applied.applied)}
    record = {**run, "summary": summary}
    proposals_doc = {
        "schema_version": run["schema_version"],
        "run_id": run["run_id"],
        "target": run["target"],
        "text_sha256": run["target"]["cleaned_sha256"],
        "min_confidence": min_confidence,
        "proposals": [p.to_dict() for p in proposals],
    }
    model = report_model(record, target_document, proposals, alignments, min_confidence)
    files = {
        "cleaned.txt": target_text,
        "repaired.txt": applied.text,
        "proposals.json": to_json(proposals_doc),
        "report.html": render_html(model),
        "report.md": render_markdown(model),
        "run.json": to_json(record),
    }
    return files, record
