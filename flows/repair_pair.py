"""The `repair-pair` flow: one awkward article repaired against its references.

It reads like the pipeline: prepare -> load model -> check grammar -> embed ->
check references -> align -> propose -> write. Grammar and embedding run one
after the other: side by side they fought over the cores (a 300-line article on
2 cores took 8.0 s for both at once against 5.8 s in turn). Each task is one
library call; LanguageTool gets retries (a server can hiccup, and a dead one is restarted),
and sentence embeddings are cached by content and model so an unchanged
reference is never encoded twice. The model is loaded before any grammar work,
so a broken model fails the run at its start. The run holds a lock on its
output folder from start to end, so two runs never write into one folder.
"""

from __future__ import annotations

import hashlib
import platform
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from itertools import groupby
from pathlib import Path

import numpy as np
from prefect import flow, task
from prefect.artifacts import create_markdown_artifact

import repair
from repair.align import align
from repair.calibration import load_calibration
from repair.config import Settings
from repair.articles import prepare_article
from repair.document import PreparedDocument
from repair.grammar import GrammarResult, vocabulary
from repair.outputs import default_out_dir, run_files, run_lock, to_json, write_atomic, write_run
from repair.propose import make_proposals
from repair.reference_type import classify_reference
from repair.records import SCHEMA_VERSION
from repair.references import MIN_COVERAGE, ReferenceCheck, check_reference

from . import resources


@task(name="prepare")
def prepare_task(path: str) -> PreparedDocument:
    return prepare_article(path)


@task(name="check-grammar", retries=2, retry_delay_seconds=2)
def grammar_task(prepared: PreparedDocument, known_words: frozenset[str], settings: Settings) -> GrammarResult:
    return resources.get_checker(settings).check(prepared.document, known_words)


def _embedding_key(context, parameters) -> str:
    digest = hashlib.sha256()
    digest.update(parameters["settings"].model.encode())
    for text in parameters["texts"]:
        digest.update(b"\x00" + text.encode())
    return f"embed-{digest.hexdigest()}"


@task(name="embed", cache_key_fn=_embedding_key, cache_expiration=timedelta(days=30), persist_result=True)
def embed_task(texts: list[str], settings: Settings) -> np.ndarray:
    return resources.get_embedder(settings).encode(texts)


@task(name="align")
def align_task(target, target_vectors, references, settings: Settings):
    return align(target, target_vectors, references, settings.top_k, settings.min_alignment)


def propose_with_references(prepared, grammar, alignments, references, settings: Settings):
    """Proposals for one target, and the type of its references (translation or
    comparable), decided from the alignments; `mtrepair run` and the batch share it."""
    reference_type = classify_reference(
        alignments, len(prepared.document.sentences), sum(len(d.sentences) for d in references)
    ) if references else None
    proposals = make_proposals(
        prepared.document,
        prepared.cleanup,
        grammar.matches,
        alignments,
        {doc.name: doc for doc in references},
        resources.get_embedder(settings).encode_phrases,
        settings.min_alignment,
        calibration=load_calibration(settings.profile),
        reference_type=reference_type,
    )
    return proposals, reference_type


@task(name="propose")
def propose_task(prepared, grammar, alignments, references, settings: Settings):
    return propose_with_references(prepared, grammar, alignments, references, settings)


@task(name="write-report")
def write_task(out_dir: str, files: dict[str, str]) -> dict[str, str]:
    return {name: str(path) for name, path in write_run(out_dir, files).items()}


class _Timer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - start, 3)


def sentence_ranges(indices: list[int]) -> str:
    """1-based sentence numbers as compact ranges: [0, 1, 2, 5] -> '1-3, 6'."""
    numbers = sorted({i + 1 for i in indices})
    ranges = []
    for _, run in groupby(enumerate(numbers), key=lambda pair: pair[1] - pair[0]):
        values = [n for _, n in run]
        ranges.append(str(values[0]) if len(values) == 1 else f"{values[0]}-{values[-1]}")
    return ", ".join(ranges)


def grammar_notes(grammar: GrammarResult) -> list[str]:
    """What the report must say about LanguageTool faults: restarts, skipped sentences."""
    notes = []
    if grammar.recoveries:
        notes.append("LanguageTool stopped answering during the grammar check; it was restarted and the failed requests retried")
    if grammar.skipped_sentences:
        notes.append(
            f"grammar check skipped for {len(grammar.skipped_sentences)} sentences "
            f"(LanguageTool did not answer): sentences {sentence_ranges(grammar.skipped_sentences)}"
        )
    return notes


def coverage_notes(alignments, checks: list[ReferenceCheck]) -> list[str]:
    """A note when the references, together, support few target sentences."""
    if not checks or not alignments:
        return []
    supported = sum(1 for a in alignments if a.supported)
    if supported >= MIN_COVERAGE * len(alignments):
        return []
    return [
        f"coverage: {supported} of {len(alignments)} sentences supported by the references; "
        "nothing reference-guided was proposed for the others"
    ]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def versions(settings: Settings) -> dict[str, str]:
    """The versions that shape a run's output, read from package metadata (importing torch to ask would cost seconds)."""
    from importlib.metadata import PackageNotFoundError, version

    def installed(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "not installed"

    return {
        "mtrepair": repair.__version__,
        "languagetool": resources.languagetool_version(settings),
        "model": settings.model,
        "embedder": resources.embedder_backend(settings),
        "prefect": installed("prefect"),
        "sentence_transformers": installed("sentence-transformers"),
        "torch": installed("torch"),
        "onnxruntime": installed("onnxruntime"),
        "python": platform.python_version(),
    }


@flow(name="repair-pair", log_prints=False, validate_parameters=False)
def repair_pair(
    target: str,
    references: list[str],
    out_dir: str | None = None,
    settings: Settings | None = None,
    publish_artifact: bool = True,
) -> dict:
    """Repair `target` against `references`; write the run folder; return run.json's record."""
    settings = settings or Settings.from_env()
    with run_lock(out_dir or default_out_dir(target)) as out:  # fail early on an unwritable or busy folder
        record = _repair(target, references, out, settings)
    if publish_artifact:
        create_markdown_artifact(
            key="repair-summary",
            markdown=_artifact(record),
            description=f"mtrepair: {record['target']['name']}",
        )
    return record


def _repair(target: str, references: list[str], out: Path, settings: Settings) -> dict:
    timer = _Timer()
    with timer.stage("prepare"):
        prepared = prepare_task(target)
        refs = [prepare_task(path) for path in references]
    ref_docs = [r.document for r in refs]
    notes = input_notes(target, prepared, refs)

    with timer.stage("model wait"):  # first, so a broken model fails before any grammar work
        resources.get_embedder(settings)
    with timer.stage("languagetool wait"):
        resources.languagetool_url(settings)
    with timer.stage("grammar"):
        grammar = grammar_task(prepared, vocabulary(d.text for d in ref_docs), settings)

    with timer.stage("embed"):
        target_vectors = embed_task([s.text for s in prepared.document.sentences], settings)
        ref_vectors = [embed_task([s.text for s in d.sentences], settings) for d in ref_docs]
    with timer.stage("align"):
        checks, usable = check_references(prepared, target_vectors, ref_docs, ref_vectors, settings)
        alignments = align_task(prepared.document, target_vectors, usable, settings)
    with timer.stage("propose"):
        proposals, reference_type = propose_task(prepared, grammar, alignments, [doc for doc, _ in usable], settings)

    return finish_run(
        out, target, prepared, ref_docs, checks, grammar, alignments, proposals, settings, versions(settings),
        timer, notes, write=lambda folder, files: write_task(str(folder), files), reference_type=reference_type,
    )


def input_notes(target: str, prepared: PreparedDocument, refs: list[PreparedDocument]) -> list[str]:
    """What reading the inputs had to fix, one note per fix, naming the file."""
    notes = [f"{target}: {fix}" for fix in prepared.loaded.fixes]
    return notes + [f"{r.document.path}: {fix}" for r in refs for fix in r.loaded.fixes]


def check_references(prepared: PreparedDocument, target_vectors, ref_docs: list, ref_vectors: list, settings: Settings):
    """Each reference's check, and the (document, vectors) of those usable for alignment."""
    checks = [
        check_reference(prepared.document, target_vectors, doc, vectors, settings.min_alignment)
        for doc, vectors in zip(ref_docs, ref_vectors)
    ]
    usable = [(doc, vectors) for doc, vectors, check in zip(ref_docs, ref_vectors, checks) if check.usable]
    return checks, usable


def finish_run(
    out: Path,
    target: str,
    prepared: PreparedDocument,
    ref_docs: list,
    checks: list[ReferenceCheck],
    grammar: GrammarResult,
    alignments: list,
    proposals: list,
    settings: Settings,
    versions_info: dict[str, str],
    timer: _Timer,
    notes: list[str],
    write=write_run,
    reference_type=None,
) -> dict:
    """Write the run folder (report stage timed) and return run.json's record, with `files`.

    `mtrepair run` and the batch both end here, so a drop's run folder holds
    exactly what `mtrepair run` writes for the same files.
    """
    notes = [*notes, *grammar_notes(grammar), *(check.note for check in checks if check.note),
             *coverage_notes(alignments, checks)]
    with timer.stage("report"):
        run = {
            "schema_version": SCHEMA_VERSION,
            "run_id": uuid.uuid4().hex[:12],
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "target": {
                "name": prepared.document.name,
                "path": target,
                "source_sha256": _sha256(prepared.document.source),
                "cleaned_sha256": _sha256(prepared.document.text),
            },
            "references": [
                {"name": d.name, "path": d.path, "sentences": len(d.sentences), **_check_fields(check)}
                for d, check in zip(ref_docs, checks)
            ],
            "reference_type": reference_type.to_dict() if reference_type else None,
            "settings": settings.to_dict(),
            "versions": versions_info,
            "timings": timer.seconds,
            "startup": dict(resources.startup_seconds),
            "grammar": {
                "matches": len(grammar.matches),
                "skipped_sentences": grammar.skipped_sentences,
                "recoveries": grammar.recoveries,
            },
            "notes": notes,
            "out_dir": str(out),
        }
        files, record = run_files(run, prepared.document.text, proposals, alignments, settings.min_confidence, prepared.document)
        paths = write(out, files)
    record["timings"] = timer.seconds
    write_atomic(Path(out) / "run.json", to_json(record))  # again, with the report stage timed
    record["files"] = {name: str(path) for name, path in paths.items()}
    return record


def _check_fields(check: ReferenceCheck) -> dict:
    fields = check.to_dict()
    del fields["name"]
    return fields


def _artifact(record: dict) -> str:
    summary = record["summary"]
    kinds = " · ".join(f"{k} {v}" for k, v in summary["by_kind"].items())
    return (
        f"# mtrepair: {record['target']['name']}\n\n"
        f"{summary['proposals']} proposals ({kinds}); {summary['sentences_touched']}/{summary['sentences']} sentences touched; "
        f"{summary['applied']} applied.\n\nReport: `{Path(record['out_dir']) / 'report.html'}`\n"
    )
