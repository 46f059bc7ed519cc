"""The `repair-pair` flow: one awkward article repaired against its references.

It reads like the pipeline: prepare -> check grammar -> embed -> align ->
propose -> write. Each task is one library call; LanguageTool gets retries
(a server can hiccup), and sentence embeddings are cached by content and model
so an unchanged reference is never encoded twice.
"""

from __future__ import annotations

import hashlib
import platform
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from prefect import flow, task
from prefect.artifacts import create_markdown_artifact

import repair
from repair.align import align
from repair.calibration import load_calibration
from repair.config import Settings
from repair.document import PreparedDocument, prepare_document
from repair.grammar import GrammarResult, vocabulary
from repair.outputs import default_out_dir, prepare_out_dir, run_files, to_json, write_atomic, write_run
from repair.propose import make_proposals
from repair.reference_type import classify_reference
from repair.records import SCHEMA_VERSION

from . import resources


@task(name="prepare")
def prepare_task(path: str) -> PreparedDocument:
    return prepare_document(path)


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


@task(name="propose")
def propose_task(prepared, grammar, alignments, references, settings: Settings, reference_type=None):
    embedder = resources.get_embedder(settings)
    return make_proposals(
        prepared.document,
        prepared.cleanup,
        grammar.matches,
        alignments,
        {doc.name: doc for doc in references},
        embedder.encode,
        settings.min_alignment,
        calibration=load_calibration(settings.profile),
        reference_type=reference_type,
    )


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


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def versions(settings: Settings) -> dict[str, str]:
    import prefect
    import sentence_transformers
    import torch

    return {
        "mtrepair": repair.__version__,
        "languagetool": resources.languagetool_version(settings),
        "model": settings.model,
        "prefect": prefect.__version__,
        "sentence_transformers": sentence_transformers.__version__,
        "torch": torch.__version__,
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
    timer = _Timer()
    out = prepare_out_dir(out_dir or default_out_dir(target))  # fail early on an unwritable folder

    with timer.stage("prepare"):
        prepared = prepare_task(target)
        refs = [prepare_task(path) for path in references]
    ref_docs = [r.document for r in refs]
    notes = [f"{target}: {fix}" for fix in prepared.loaded.fixes]
    notes += [f"{r.document.path}: {fix}" for r in refs for fix in r.loaded.fixes]

    with timer.stage("languagetool wait"):
        resources.languagetool_url(settings)
    with timer.stage("grammar"):
        grammar = grammar_task(prepared, vocabulary(d.text for d in ref_docs), settings)
    if grammar.skipped_sentences:
        notes.append(f"grammar check skipped for {len(grammar.skipped_sentences)} sentences (LanguageTool did not answer)")

    with timer.stage("model wait"):
        resources.get_embedder(settings)
    with timer.stage("embed"):
        target_vectors = embed_task([s.text for s in prepared.document.sentences], settings)
        ref_vectors = [embed_task([s.text for s in d.sentences], settings) for d in ref_docs]
    with timer.stage("align"):
        alignments = align_task(prepared.document, target_vectors, list(zip(ref_docs, ref_vectors)), settings)
    with timer.stage("propose"):
        reference_type = classify_reference(
            alignments, len(prepared.document.sentences), sum(len(d.sentences) for d in ref_docs)
        ) if ref_docs else None
        proposals = propose_task(prepared, grammar, alignments, ref_docs, settings, reference_type)

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
            "references": [{"name": d.name, "path": d.path, "sentences": len(d.sentences)} for d in ref_docs],
            "reference_type": reference_type.to_dict() if reference_type else None,
            "settings": settings.to_dict(),
            "versions": versions(settings),
            "timings": timer.seconds,
            "startup": dict(resources.startup_seconds),
            "grammar": {"matches": len(grammar.matches), "skipped_sentences": grammar.skipped_sentences},
            "notes": notes,
            "out_dir": str(out),
        }
        files, record = run_files(run, prepared.document.text, proposals, alignments, settings.min_confidence, prepared.document)
        paths = write_task(str(out), files)
    record["timings"] = timer.seconds
    write_atomic(out / "run.json", to_json(record))  # again, with the report stage timed
    record["files"] = paths
    if publish_artifact:
        create_markdown_artifact(
            key="repair-summary",
            markdown=_artifact(record),
            description=f"mtrepair: {prepared.document.name}",
        )
    return record


def _artifact(record: dict) -> str:
    summary = record["summary"]
    kinds = " · ".join(f"{k} {v}" for k, v in summary["by_kind"].items())
    return (
        f"# mtrepair: {record['target']['name']}\n\n"
        f"{summary['proposals']} proposals ({kinds}); {summary['sentences_touched']}/{summary['sentences']} sentences touched; "
        f"{summary['applied']} applied.\n\nReport: `{Path(record['out_dir']) / 'report.html'}`\n"
    )
