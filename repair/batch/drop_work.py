"""Repair a group of drops in one process, with one model and one LanguageTool client.

This is the per-drop work of the batch, as plain library functions without
Prefect (the batch flow wraps one group in one Prefect task; a Dask worker
runs it in its own process).
It runs the library's pipeline (`repair.pipeline.Repairer`) stage by stage
and ends in the same `Repairer.finish` as `mtrepair run`, so
a drop's run folder holds what `mtrepair run` writes for the same files. What
is shared across the group: the model and the LanguageTool client (process-wide
in `resources`), the version lookup, and one embedding call for every distinct
sentence of the group instead of one per document.

A drop that fails (unreadable file, empty text, a component that gives up) is
returned as an error result naming the file and the problem; the others go on.
A failure of the drop's own files is final for that content (`retry=False`);
one of a component (LanguageTool, the model) is tried again by the next batch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from repair.config import Settings
from repair.text.document import PreparedDocument
from repair.batch.drops import Drop
from repair.errors import InputError, RepairError
from repair.reporting.outputs import run_lock
from repair.records import StageTimer

if TYPE_CHECKING:  # the pipeline is imported where the work runs: a served run whose drops go to warm workers never loads it
    from repair.engines.grammar import GrammarResult
    from repair.pipeline import Repairer


@dataclass(frozen=True)
class DropJob:
    """One drop to repair, where its run folder goes, and its effective settings."""

    drop: Drop
    run_dir: str
    settings: Settings


@dataclass(frozen=True)
class DropResult:
    """What became of one drop: its run folder and summary, or its error."""

    name: str
    content_hash: str
    status: Literal["repaired", "error"]
    run_dir: str | None = None
    summary: dict | None = None
    error: str | None = None
    seconds: float = 0.0
    retry: bool = True
    """False when the drop's own files are the problem: the same content fails the same way."""


@dataclass
class _Work:
    job: DropJob
    timer: StageTimer = field(default_factory=StageTimer)
    prepared: PreparedDocument | None = None
    refs: list[PreparedDocument] = field(default_factory=list)
    grammar: GrammarResult | None = None
    vectors: list[np.ndarray] = field(default_factory=list)
    error: str | None = None
    retry: bool = True
    started: float = field(default_factory=time.perf_counter)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def repairer(self) -> Repairer:
        from repair.pipeline import Repairer

        return Repairer(self.job.settings)


def describe(exc: BaseException) -> str:
    """One line for the index: the file within the drop and the problem."""
    if isinstance(exc, InputError):
        return f"{Path(exc.path).name}: {exc.problem}"
    if isinstance(exc, RepairError):
        return str(exc)
    return f"unexpected {type(exc).__name__}: {exc}"


def _each(works: list[_Work], stage: str, step) -> None:
    """Run `step` on every drop still in good standing; a failure marks that drop only."""
    for work in works:
        if not work.ok:
            continue
        try:
            with work.timer.stage(stage):
                step(work)
        except Exception as exc:  # noqa: BLE001 - one bad drop must not stop the others
            work.error = describe(exc)
            work.retry = not isinstance(exc, InputError)


def _prepare(work: _Work) -> None:
    drop = work.job.drop
    work.prepared = work.repairer.prepare(drop.target)
    work.refs = [work.repairer.prepare(path) for path in drop.references]


def _grammar(work: _Work) -> None:
    work.grammar = work.repairer.check_grammar(work.prepared, [r.document for r in work.refs])


def _documents(work: _Work):
    return [work.prepared.document, *(r.document for r in work.refs)]


def _embed_all(works: list[_Work]) -> None:
    """One model call for every distinct sentence of the group; each drop's stage time is its share."""
    live = [w for w in works if w.ok]
    if not live:
        return
    try:
        embedder = live[0].repairer.embedder  # loaded once per process, not timed per drop
        started = time.perf_counter()
        texts = list(dict.fromkeys(s.text for w in live for d in _documents(w) for s in d.sentences))
        matrix = embedder.encode(texts)
    except Exception as exc:  # noqa: BLE001 - the model failing fails this group's drops, recorded
        for work in live:
            work.error = describe(exc)
        return
    row = {text: i for i, text in enumerate(texts)}
    elapsed = time.perf_counter() - started
    total = sum(len(d.sentences) for w in live for d in _documents(w)) or 1
    for work in live:
        docs = _documents(work)
        work.vectors = [matrix[[row[s.text] for s in d.sentences]].reshape(len(d.sentences), matrix.shape[1]) for d in docs]
        share = elapsed * sum(len(d.sentences) for d in docs) / total
        work.timer.seconds["embed"] = round(share, 3)


def repair_group(jobs: list[DropJob]) -> list[DropResult]:
    """Repair every job; return one result per job, in order."""
    works = [_Work(job) for job in jobs]
    _each(works, "prepare", _prepare)
    _each(works, "grammar", _grammar)
    _embed_all(works)
    version_cache: dict[tuple, dict] = {}
    results = []
    for work in works:
        if work.ok:
            try:
                results.append(_finish(work, version_cache))
                continue
            except Exception as exc:  # noqa: BLE001
                work.error = describe(exc)
        results.append(
            DropResult(work.job.drop.name, work.job.drop.content_hash, "error", error=work.error,
                       seconds=round(time.perf_counter() - work.started, 3), retry=work.retry)
        )
    return results


def _finish(work: _Work, version_cache: dict) -> DropResult:
    from repair.pipeline import versions

    job, settings = work.job, work.job.settings
    target_vectors, *ref_vectors = work.vectors
    key = (settings.languagetool_url, settings.model)
    if key not in version_cache:
        version_cache[key] = versions(settings)
    with run_lock(job.run_dir) as out:  # as `mtrepair run`: one writer, a killed run's leftovers cleared
        record = work.repairer.finish(
            out, str(job.drop.target), work.prepared, work.refs, work.grammar, target_vectors, ref_vectors,
            work.timer, version_cache[key],
        )
    return DropResult(job.drop.name, job.drop.content_hash, "repaired", run_dir=str(out), summary=record.summary,
                      seconds=round(time.perf_counter() - work.started, 3))
