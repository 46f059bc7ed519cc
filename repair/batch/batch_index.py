"""The output folder of a batch: where each drop's runs go, and the index over all drops.

Layout of OUT_DIR:

    index.json, index.html        every drop of the drops folder, its status and counts
    <drop>/<hash16>/              the run folder for one content of the drop
                                  (the files `mtrepair run` writes; run.json last)
    <drop>/error.json             only while the drop's current content is bad

A run folder is named by the first 16 hex digits of the drop's content hash,
so a changed drop gets a new folder and the older report stays. A run counts
as done when its run.json exists (it is written last, atomically).
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape

from repair.batch.drops import Drop, PendingDrop, Scan, check_name
from repair.reporting.outputs import prepare_out_dir, to_json, write_atomic
from repair.records import PROPOSAL_KINDS
from repair.reporting.run_record import RunRecord

INDEX_SCHEMA_VERSION = 1
STATUSES = ("repaired", "unchanged", "error", "pending")

_ENV = Environment(
    loader=PackageLoader("repair", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class IndexEntry:
    """One drop in the index."""

    name: str
    status: str
    content_hash: str | None = None
    report: str | None = None
    """Link to report.html, relative to the index."""
    proposals: int | None = None
    by_kind: dict[str, int] = field(default_factory=dict)
    sentences: int | None = None
    sentences_touched: int | None = None
    applied: int | None = None
    error: str | None = None
    created: str | None = None
    older_reports: tuple[str, ...] = ()


def run_dir(out_dir: str | Path, drop: Drop) -> Path:
    """Where the run for the drop's current content goes."""
    return Path(out_dir) / check_name(drop.name) / drop.short_hash


def is_done(out_dir: str | Path, drop: Drop) -> bool:
    """True when the drop's current content has a complete run."""
    return (run_dir(out_dir, drop) / "run.json").is_file()


def read_run(folder: Path) -> RunRecord | None:
    try:
        return RunRecord.read(folder)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _link(out_dir: Path, folder: Path) -> str:
    return "/".join(quote(part) for part in folder.relative_to(out_dir).parts) + "/report.html"


def older_reports(out_dir: Path, name: str, current: str | None) -> tuple[str, ...]:
    """Links to the drop's earlier complete runs, newest first."""
    folder = out_dir / name
    if not folder.is_dir():
        return ()
    runs = []
    for child in folder.iterdir():
        if child.name != current and child.is_dir() and (child / "run.json").is_file():
            runs.append(((child / "run.json").stat().st_mtime, child))
    return tuple(_link(out_dir, child) for _, child in sorted(runs, reverse=True))


def entry_for_run(out_dir: Path, drop: Drop, status: str) -> IndexEntry:
    """An index entry for a drop whose current run folder is complete."""
    folder = run_dir(out_dir, drop)
    record = read_run(folder)
    summary = record.summary if record else {}
    return IndexEntry(
        name=drop.name,
        status=status,
        content_hash=drop.content_hash,
        report=_link(out_dir, folder),
        proposals=summary.get("proposals"),
        by_kind={kind: summary.get("by_kind", {}).get(kind, 0) for kind in PROPOSAL_KINDS},
        sentences=summary.get("sentences"),
        sentences_touched=summary.get("sentences_touched"),
        applied=summary.get("applied"),
        created=record.created if record else None,
        older_reports=older_reports(out_dir, drop.name, drop.short_hash),
    )


def error_entry(out_dir: Path, name: str, error: str, content_hash: str | None = None) -> IndexEntry:
    safe = _is_safe(name)
    return IndexEntry(name=name, status="error", content_hash=content_hash, error=error,
                      older_reports=older_reports(out_dir, name, None) if safe else ())


def pending_entry(out_dir: Path, pending: PendingDrop) -> IndexEntry:
    return IndexEntry(name=pending.name, status="pending", error=pending.reason,
                      older_reports=older_reports(out_dir, pending.name, None))


def _is_safe(name: str) -> bool:
    try:
        check_name(name)
        return True
    except ValueError:
        return False


def write_error(out_dir: str | Path, name: str, error: str, content_hash: str | None = None,
                retry: bool = True) -> Path | None:
    """Record a bad drop in <drop>/error.json (not for a name unsafe as a folder).

    `retry=False` says the drop's own files are at fault: the same content is not tried again.
    """
    if not _is_safe(name):
        return None
    folder = prepare_out_dir(Path(out_dir) / name)
    for leftover in folder.glob(".error.json.*.tmp"):  # of a killed batch
        leftover.unlink(missing_ok=True)
    try:
        known = json.loads((folder / "error.json").read_text(encoding="utf-8"))
        if (known.get("error"), known.get("content_hash"), known.get("retry")) == (error, content_hash, retry):
            return folder / "error.json"  # already recorded; "at" stays the first time it was seen
    except (OSError, ValueError):
        pass
    record = {
        "drop": name,
        "error": error,
        "content_hash": content_hash,
        "retry": retry,
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    return write_atomic(folder / "error.json", to_json(record))


def known_bad(out_dir: str | Path, drop: Drop) -> str | None:
    """The recorded error of this very content, when trying it again would fail the same way."""
    try:
        record = json.loads((Path(out_dir) / check_name(drop.name) / "error.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("content_hash") == drop.content_hash and record.get("retry") is False:
        return str(record.get("error"))
    return None


def clear_error(out_dir: str | Path, name: str) -> None:
    """Remove <drop>/error.json once the drop's current content is fine."""
    if _is_safe(name):
        (Path(out_dir) / name / "error.json").unlink(missing_ok=True)


def plan(out_dir: Path, scan: Scan) -> tuple[list[Drop], list[IndexEntry]]:
    """The drops to repair, and index entries for all the others.

    A drop whose current content has a complete run is 'unchanged' (and any
    error.json of an earlier bad version is removed); one whose current
    content already failed on its own files keeps that error without a new
    try; a bad drop gets its error.json; a pending one is only listed.
    """
    todo, entries = [], []
    for drop in scan.ready:
        if is_done(out_dir, drop):
            clear_error(out_dir, drop.name)
            entries.append(entry_for_run(out_dir, drop, "unchanged"))
        elif (error := known_bad(out_dir, drop)) is not None:
            entries.append(error_entry(out_dir, drop.name, error, drop.content_hash))
        else:
            todo.append(drop)
    for bad in scan.bad:
        write_error(out_dir, bad.name, bad.error)
        entries.append(error_entry(out_dir, bad.name, bad.error))
    entries += [pending_entry(out_dir, p) for p in scan.pending]
    return todo, entries


def counts(entries: list[IndexEntry]) -> dict[str, int]:
    return {status: sum(1 for e in entries if e.status == status) for status in STATUSES}


def index_document(entries: list[IndexEntry], drops_dir: str, seconds: float | None) -> dict:
    """index.json's content: when, from where, the counts, and every drop."""
    return {
        "schema_version": INDEX_SCHEMA_VERSION,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "drops_dir": str(drops_dir),
        "counts": counts(entries),
        "seconds": seconds,
        "drops": [{**asdict(e), "older_reports": list(e.older_reports)} for e in sorted(entries, key=lambda e: e.name)],
    }


def published(relative: str, reports_url: str | None) -> str:
    """A link of the index (relative to OUT_DIR) where `reports_url` publishes OUT_DIR; unchanged without it.

    The review desk answers OUT_DIR's own paths (`<drop>/<run>/report.html` opens the
    drop's review page), so `reports_url` may be the desk or any web server on OUT_DIR.
    """
    if not reports_url:
        return relative
    from urllib.parse import urljoin

    return urljoin(reports_url.rstrip("/") + "/", relative)


def write_index(out_dir: str | Path, document: dict, reports_url: str | None = None) -> tuple[Path, Path]:
    """Write index.json and index.html (each atomically); return their paths.

    index.json keeps links relative to OUT_DIR; index.html's point at `reports_url` when given.
    """
    out = prepare_out_dir(out_dir)
    for leftover in [*out.glob(".index.json.*.tmp"), *out.glob(".index.html.*.tmp")]:  # of a killed batch
        leftover.unlink(missing_ok=True)
    html = _ENV.get_template("batch_index.html.j2").render(index=document, kinds=PROPOSAL_KINDS,
                                                           link=lambda relative: published(relative, reports_url))
    return write_atomic(out / "index.json", to_json(document)), write_atomic(out / "index.html", html)


def waiting_line(out_dir: str | Path) -> str:
    return f"waiting: another batch is writing to {out_dir}; this one goes on when it is done"


@contextmanager
def out_lock(out_dir: str | Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold OUT_DIR/.batch.lock: a second batch on the same folder waits for the first.

    The kernel releases the lock when its process dies, so a killed batch never blocks the next.
    `on_wait` gets one line when this batch has to wait.
    """
    out = prepare_out_dir(out_dir)
    with open(out / ".batch.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(waiting_line(out))
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def index_if_nothing_to_do(drops_dir: str | Path, out_dir: str | Path, base, settle: float,
                           on_wait: Callable[[str], None] | None = None, reports_url: str | None = None) -> dict | None:
    """When every drop is unchanged, bad or pending, write the index and return it; else None.

    This is the whole of a batch that finds no work, done without the workflow
    engine, the model or LanguageTool, so re-running a batch costs a scan.
    """
    import time

    from repair.batch.drops import scan_drops

    started = time.perf_counter()
    out = prepare_out_dir(out_dir)
    with out_lock(out, on_wait):
        scan = scan_drops(drops_dir, base, settle, exclude=out)
        todo, entries = plan(out, scan)
        if todo:
            return None
        document = index_document(entries, str(drops_dir), round(time.perf_counter() - started, 2))
        write_index(out, document, reports_url)
    return document
