"""The drops of a batch output folder as the review desk lists them: state, need, who holds them.

OUT_DIR is what `mtrepair batch` or `mtrepair serve` writes (see
`repair.batch.batch_index`): one folder per drop, one run folder per content of
the drop. A drop's *latest run* is the run folder index.json names for its
current content, or else its newest complete run (run.json written).

States, in the order an editor meets them:
- new: its latest run has no saved decisions;
- in review: decisions are saved (or a done drop was reopened);
- done: Done wrote final.txt and changes.md from the saved decisions;
- failed: the drop's current content could not be repaired (`<drop>/error.json`).

Everything is read from the files each time, so new drops and runs appear on the
next listing. Names are checked to be one safe path component; folders that are
symbolic links, hidden names and anything outside OUT_DIR are never listed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from repair.batch.drops import check_name
from repair.errors import InputError, RepairError
from repair.records import NOTE_KINDS
from repair.reporting.run_record import RUN_FILE, RunRecord
from repair.review.need import need_of_summary

STATES = ("new", "in review", "done", "failed")


@dataclass(frozen=True)
class DropView:
    """One drop on the desk."""

    name: str
    state: str
    run: str | None = None
    """The latest run folder's name (inside the drop's folder)."""
    need: float | None = None
    proposals: int | None = None
    by_kind: dict = field(default_factory=dict)
    words: int | None = None
    decided: int = 0
    rewritten: int = 0
    held_by: str | None = None
    held_at: str | None = None
    error: str | None = None
    stale: bool = False
    created: str | None = None
    final: bool = False

    @property
    def edits(self) -> int:
        """Grammar and reference proposals: edits the editor decides on."""
        return sum(int(self.by_kind.get(kind, 0)) for kind in ("grammar", "reference"))

    @property
    def flags(self) -> int:
        """Flags to read: sentence and span flags, and out-of-place words."""
        return sum(int(self.by_kind.get(kind, 0)) for kind in NOTE_KINDS)

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


RUN_MARKS = (RUN_FILE, "proposals.json", "cleaned.txt", "report.html")
"""Files only a run folder holds."""


def is_out_dir(folder: Path) -> bool:
    """True for a folder that is not a run folder: a batch output folder, also one still empty
    (the desk can start before the first batch and shows drops as they come)."""
    return folder.is_dir() and not any((folder / name).exists() for name in RUN_MARKS)


def _drop_folders(out_dir: Path) -> list[Path]:
    try:
        children = sorted(out_dir.iterdir())
    except OSError:
        return []
    return [c for c in children if not c.name.startswith(".") and not c.is_symlink() and c.is_dir()]


def _runs(drop: Path) -> list[Path]:
    """Complete run folders of a drop, newest first."""
    try:
        children = list(drop.iterdir())
    except OSError:
        return []
    runs = [c for c in children if not c.name.startswith(".") and not c.is_symlink() and (c / RUN_FILE).is_file()]
    return sorted(runs, key=lambda c: (c / RUN_FILE).stat().st_mtime, reverse=True)


def contained(out_dir: Path, *parts: str) -> Path:
    """OUT_DIR/part/... when every part is one safe name and the result is a real folder inside OUT_DIR.

    Refuses `..`, separators, hidden names and symbolic links anywhere on the way,
    so a request can name nothing outside the output folder.
    """
    root = out_dir.resolve()
    path = root
    for part in parts:
        try:
            check_name(part)
        except ValueError as exc:
            raise InputError(part, str(exc)) from None
        if part.startswith("."):
            raise InputError(part, "hidden names are not served")
        path = path / part
        if path.is_symlink():
            raise InputError(part, "is a symbolic link; the desk serves only what lies inside the output folder")
    if not path.is_dir() or not path.resolve().is_relative_to(root):
        raise InputError("/".join(parts), "no such drop or run in the output folder")
    return path


def _index_runs(out_dir: Path) -> dict[str, str]:
    """Drop name -> the run folder index.json names as the drop's current content."""
    try:
        entries = json.loads((out_dir / "index.json").read_text(encoding="utf-8")).get("drops", [])
    except (OSError, ValueError, AttributeError):
        return {}
    current = {}
    for entry in entries if isinstance(entries, list) else []:
        report = entry.get("report") if isinstance(entry, dict) else None
        if isinstance(report, str) and report.count("/") == 2:
            drop, run, _ = report.split("/")
            current[unquote(drop)] = unquote(run)
    return current


def latest_run(out_dir: Path, name: str, index: dict[str, str] | None = None) -> Path | None:
    """The drop's latest run folder: the one index.json names, else its newest complete run."""
    drop = contained(out_dir, name)
    index = _index_runs(out_dir) if index is None else index
    named = index.get(name)
    if named and not named.startswith(".") and (drop / named / RUN_FILE).is_file() and not (drop / named).is_symlink():
        return drop / named
    runs = _runs(drop)
    return runs[0] if runs else None


def _error_of(drop: Path) -> str | None:
    path = drop / "error.json"
    if path.is_symlink() or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "error.json cannot be read"
    return str(data.get("error", "failed")) if isinstance(data, dict) else "failed"


def view_drop(out_dir: Path, name: str, index: dict[str, str] | None = None) -> DropView:
    """What the desk shows for one drop."""
    from repair.decide.decisions import load_run
    from repair.review.saved import read_saved
    from repair.review.stale import stale_decisions

    drop = contained(out_dir, name)
    error = _error_of(drop)
    run_folder = latest_run(out_dir, name, index)
    if run_folder is None:
        return DropView(name, "failed", error=error or "no complete run yet")
    try:
        record = RunRecord.read(run_folder)
    except (OSError, ValueError, KeyError, TypeError):
        return DropView(name, "failed", run=run_folder.name, error=f"{run_folder.name}/run.json cannot be read")
    summary = record.summary or {}
    base = dict(name=name, run=run_folder.name, need=need_of_summary(summary), proposals=summary.get("proposals"),
                by_kind=summary.get("by_kind", {}), words=summary.get("words"), created=record.created,
                final=(run_folder / "final.txt").is_file())
    if error:
        return DropView(state="failed", error=error, **base)
    try:
        run = load_run(run_folder)
        saved = read_saved(run)
    except RepairError as exc:
        return DropView(state="failed", error=str(exc), **base)
    state_file = saved.state
    if saved.done:
        state = "done"
    elif saved.decisions is not None or state_file:
        state = "in review"
    else:
        state = "new"
    held_by = saved.by or state_file.get("by")
    held_at = (state_file.get("at") if saved.done else saved.at) or state_file.get("at")
    stale = saved.decisions is None and not state_file and stale_decisions(run) is not None
    decisions = saved.decisions
    return DropView(
        state=state, held_by=held_by, held_at=held_at, stale=stale,
        decided=len(decisions.decisions) if decisions else 0,
        rewritten=len(decisions.rewrites) if decisions else 0, **base,
    )


def list_drops(out_dir: str | Path, state: str | None = None, search: str | None = None) -> list[DropView]:
    """Every drop of OUT_DIR with its latest run, neediest first (then by name).

    `state` keeps one state; `search` keeps names containing it (case-insensitive).
    Failed drops, with no need to sort by, come last.
    """
    out = Path(out_dir)
    index = _index_runs(out)
    views = []
    for folder in _drop_folders(out):
        if not _runs(folder) and not (folder / "error.json").is_file():
            continue
        try:
            views.append(view_drop(out, folder.name, index))
        except RepairError:
            continue
    if state:
        views = [v for v in views if v.state == state]
    if search:
        views = [v for v in views if search.casefold() in v.name.casefold()]
    return sorted(views, key=lambda v: (v.need is None, -(v.need or 0.0), v.name))
