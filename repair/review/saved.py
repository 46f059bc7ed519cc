"""Decisions saved in a run folder while editors work, with a version check, and Done.

A run folder under review holds, beside the files of the run:

    decisions.json   the editors' decisions so far (the format `mtrepair apply` reads)
    review.json      the review's state: "in review" or "done", by whom and when
    final.txt, changes.md   written by Done (the same code as `mtrepair apply`)

Every save names the version of decisions.json it started from (`base`): the
first 16 hex digits of the SHA-256 of the file's bytes, or "" when there is none
yet. A save from an older version is refused (`VersionConflict`) and nothing is
written, so an editor never overwrites another's newer decisions without seeing
them. Saves and Done of one folder are serialised by a lock on the folder (flock),
also across processes. Every file is written atomically.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from repair.decide.decisions import DecisionSet, ReviewRun, check_decisions, load_decisions, parse_decisions
from repair.decide.final import Final, finish
from repair.errors import InputError, RepairError
from repair.reporting.outputs import to_json, write_atomic

DECISIONS_FILE = "decisions.json"
REVIEW_FILE = "review.json"
MAX_EDITOR_CHARS = 80
IN_REVIEW, DONE = "in review", "done"


class VersionConflict(RepairError):
    """A save or Done based on an older version of decisions.json than the one on disk."""

    def __init__(self, folder: Path, current: str, by: str | None, at: str | None):
        who = f"{by} saved newer decisions" if by else "newer decisions were saved"
        when = f" at {at}" if at else ""
        super().__init__(f"{who}{when}; reload the page to see them (nothing was overwritten)")
        self.current, self.by, self.at = current, by, at


class ReviewClosed(RepairError):
    """A save to a drop marked done: reopen it first, so final.txt never lags its decisions."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def version_of(data: bytes | None) -> str:
    """The version of a decisions.json: 16 hex digits of its bytes' SHA-256; "" for no file."""
    return hashlib.sha256(data).hexdigest()[:16] if data is not None else ""


def check_editor(name: object) -> str:
    """An editor's name as the page sends it: 1 to 80 printable characters."""
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_EDITOR_CHARS or not name.isprintable():
        raise InputError("editor", f"give your name (1 to {MAX_EDITOR_CHARS} printable characters)")
    return name.strip()


@dataclass(frozen=True)
class Saved:
    """What is saved in a run folder: the decisions (if any), their version and the review state."""

    decisions: DecisionSet | None
    version: str
    by: str | None
    at: str | None
    state: dict
    problem: str | None = None
    """Why decisions.json on disk cannot be used for this run (stale, broken), if so."""

    @property
    def done(self) -> bool:
        return self.state.get("state") == DONE


def _read_plain(path: Path) -> bytes | None:
    """A plain file's bytes; None when absent. A symbolic link is never followed."""
    if path.is_symlink():
        raise InputError(path, "is a symbolic link; the review server writes only plain files in the run folder")
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


def review_state(folder: Path) -> dict:
    """review.json's content ({} when the review has not started or the file is unusable)."""
    try:
        raw = _read_plain(folder / REVIEW_FILE)
        data = json.loads(raw) if raw else {}
    except (RepairError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_saved(run: ReviewRun) -> Saved:
    """The decisions saved in `run`'s folder and their version (checked against the run)."""
    folder = run.folder
    state = review_state(folder)
    try:
        raw = _read_plain(folder / DECISIONS_FILE)
    except RepairError as exc:
        return Saved(None, "", None, None, state, problem=str(exc))
    if raw is None:
        return Saved(None, "", None, None, state)
    version = version_of(raw)
    try:
        decisions = load_decisions(folder / DECISIONS_FILE)
        check_decisions(decisions, run)
    except RepairError as exc:
        return Saved(None, version, None, None, state, problem=str(exc))
    return Saved(decisions, version, saved_by(raw), decisions.created, state)


def saved_by(raw: bytes) -> str | None:
    """The editor who saved a decisions.json (its top-level `by`), if it says."""
    try:
        by = json.loads(raw).get("by")
    except (ValueError, AttributeError):
        return None
    return by if isinstance(by, str) else None


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One writer at a time in a run folder (threads and processes alike): a lock on the folder itself, no lock file."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as exc:
        raise InputError(folder, f"cannot be locked for writing ({exc.strerror or exc}); nothing written") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _refuse_links(folder: Path, name: str) -> None:
    if (folder / name).is_symlink():
        raise InputError(folder / name, "is a symbolic link; the review server writes only plain files in the run folder")
    if folder.is_symlink() or folder.resolve() != folder.absolute():
        raise InputError(folder, "became a symbolic link after the review started; nothing written")


def save_decisions(run: ReviewRun, data: object, base: str | None, editor: str | None) -> tuple[str, DecisionSet]:
    """Check `data` (a decisions document) against the run and write it as decisions.json.

    `base` is the version the editor's page started from; when the file on disk is
    another version, VersionConflict and nothing is written (None: no check, for a
    one-editor page that predates versions). The document is stamped with the
    editor's name (when given) and the server's time. Returns the new version.
    """
    editor = check_editor(editor) if editor is not None else None
    if not isinstance(data, dict):
        raise InputError(DECISIONS_FILE, "not a decisions file (expected a JSON object)")
    data = {**data, "created": now(), **({"by": editor} if editor else {})}
    decisions = parse_decisions(data, DECISIONS_FILE)
    check_decisions(decisions, run)
    folder = run.folder
    with folder_lock(folder):
        current = _current(folder)
        if review_state(folder).get("state") == DONE:
            raise ReviewClosed(f"{folder.name}: this drop is done; reopen it on the desk to change its decisions")
        if base is not None and base != current:
            raise VersionConflict(folder, current, *_holder(folder))
        _refuse_links(folder, DECISIONS_FILE)
        content = to_json(decisions.to_dict() | ({"by": editor} if editor else {}))
        write_atomic(folder / DECISIONS_FILE, content)
        if editor:
            _write_state(folder, IN_REVIEW, editor)
        return version_of(content.encode("utf-8")), decisions


def _current(folder: Path) -> str:
    return version_of(_read_plain(folder / DECISIONS_FILE))


def _holder(folder: Path) -> tuple[str | None, str | None]:
    raw = _read_plain(folder / DECISIONS_FILE)
    if raw is None:
        return None, None
    try:
        data = json.loads(raw)
    except ValueError:
        return None, None
    return data.get("by"), data.get("created")


def _write_state(folder: Path, state: str, editor: str, **extra) -> None:
    _refuse_links(folder, REVIEW_FILE)
    write_atomic(folder / REVIEW_FILE, to_json({"state": state, "by": editor, "at": now(), **extra}))


def mark_done(run: ReviewRun, base: str, editor: str) -> Final:
    """Done: apply the saved decisions (version `base`) with `mtrepair apply`'s code.

    Writes final.txt and changes.md (each atomically), then review.json says done.
    Without saved decisions nothing is applied: every proposal stays undecided,
    which gives cleaned.txt. Done on a done drop writes both files again.
    """
    editor = check_editor(editor)
    folder = run.folder
    with folder_lock(folder):
        current = _current(folder)
        if base != current:
            raise VersionConflict(folder, current, *_holder(folder))
        saved = read_saved(run)
        if saved.problem:
            raise InputError(folder / DECISIONS_FILE, f"cannot be applied: {saved.problem}")
        decisions = saved.decisions or DecisionSet(run.run_id, run.text_sha256, (), "no decisions", run.target)
        for name in ("final.txt", "changes.md"):
            _refuse_links(folder, name)
        final = finish(run, decisions)
        _write_state(folder, DONE, editor, decisions_version=current)
        return final


def reopen(run: ReviewRun, editor: str) -> None:
    """Take a done drop back into review (final.txt stays until Done writes it again)."""
    editor = check_editor(editor)
    with folder_lock(run.folder):
        _write_state(run.folder, IN_REVIEW, editor)
