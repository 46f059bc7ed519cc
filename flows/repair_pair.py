"""The `repair-pair` flow: one awkward article repaired against its references.

It is the library's pipeline (`repair.pipeline.Repairer`) with each stage run
as a Prefect task: prepare -> check grammar -> embed -> check references +
align -> propose -> write, in the order `Repairer` gives. LanguageTool gets
retries (a server can hiccup, and a dead one is restarted), and sentence
embeddings are cached by content and model so an unchanged reference is never
encoded twice. The run holds a lock on its output folder from start to end,
so two runs never write into one folder.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path

import numpy as np
from prefect import flow, task
from prefect.artifacts import create_markdown_artifact

from repair.config import Settings
from repair.text.document import PreparedDocument
from repair.engines.grammar import GrammarResult
from repair.pipeline import Repairer
from repair.records import Alignment, Document
from repair.reporting.run_notes import grammar_notes, sentence_ranges  # noqa: F401  (their old home)
from repair.reporting.run_record import RunRecord


@task(name="prepare")
def prepare_task(path: str, settings: Settings) -> PreparedDocument:
    return Repairer(settings).prepare(path)


@task(name="check-grammar", retries=2, retry_delay_seconds=2)
def grammar_task(prepared: PreparedDocument, references: list[Document], settings: Settings) -> GrammarResult:
    return Repairer(settings).check_grammar(prepared, references)


def _embedding_key(context, parameters) -> str:
    digest = hashlib.sha256()
    digest.update(parameters["settings"].model.encode())
    for text in parameters["texts"]:
        digest.update(b"\x00" + text.encode())
    return f"embed-{digest.hexdigest()}"


@task(name="embed", cache_key_fn=_embedding_key, cache_expiration=timedelta(days=30), persist_result=True)
def embed_task(texts: list[str], settings: Settings) -> np.ndarray:
    return Repairer(settings).embed(texts)


@task(name="align")
def align_task(target: Document, target_vectors, usable, settings: Settings) -> list[Alignment]:
    return Repairer(settings).align(target, target_vectors, usable)


@task(name="propose")
def propose_task(target: Document, cleanup, grammar, alignments, references, settings: Settings):
    return Repairer(settings).propose(target, cleanup, grammar, alignments, references)


@task(name="write-report")
def write_task(out_dir: str, files: dict[str, str], settings: Settings) -> dict[str, str]:
    return {name: str(path) for name, path in Repairer(settings).write(Path(out_dir), files).items()}


class TaskRepairer(Repairer):
    """The pipeline with every stage a Prefect task (so each shows, and retries, in the UI)."""

    def prepare(self, path):
        return prepare_task(str(path), self.settings)

    def check_grammar(self, prepared, references):
        return grammar_task(prepared, list(references), self.settings)

    def embed(self, texts):
        return embed_task(texts, self.settings)

    def align(self, target, target_vectors, usable):
        return align_task(target, target_vectors, list(usable), self.settings)

    def propose(self, target, cleanup, grammar, alignments, references):
        return propose_task(target, cleanup, grammar, alignments, list(references), self.settings)

    def write(self, out: Path, files: Mapping[str, str]) -> Mapping[str, str]:
        return write_task(str(out), dict(files), self.settings)


@flow(name="repair-pair", log_prints=False, validate_parameters=False)
def repair_pair(
    target: str,
    references: Sequence[str],
    out_dir: str | None = None,
    settings: Settings | None = None,
    publish_artifact: bool = True,
) -> RunRecord:
    """Repair `target` against `references`; write the run folder; return its record."""
    record = TaskRepairer(settings or Settings.from_env()).repair(target, list(references), out_dir)
    if publish_artifact:
        create_markdown_artifact(
            key="repair-summary",
            markdown=_artifact(record),
            description=f"mtrepair: {record.target['name']}",
        )
    return record


def _artifact(record: RunRecord) -> str:
    summary = record.summary
    kinds = " · ".join(f"{k} {v}" for k, v in summary["by_kind"].items())
    return (
        f"# mtrepair: {record.target['name']}\n\n"
        f"{summary['proposals']} proposals ({kinds}); {summary['sentences_touched']}/{summary['sentences']} sentences touched; "
        f"{summary['applied']} applied.\n\nReport: `{Path(record.out_dir) / 'report.html'}`\n"
    )
