"""The repair pipeline: one object, one stage per method, used by every way in.

    prepare -> check grammar -> embed -> check references -> align -> propose -> report

`Repairer.repair` runs the whole pipeline for one article and its references
and writes the run folder. The batch (`repair/batch/drop_work.py`) runs the same
stages for a group of drops, with one embedding call for the group, and ends
in the same `finish`; line mode (`line_mode.py`) builds one document of the
lines and runs check references, align and propose. The Prefect flow
(`flows/repair_pair.py`) is this class with each stage wrapped in a task.

The model and the LanguageTool server are the slow parts; by default a
`Repairer` takes them from `resources`, which keeps one of each per process.
Grammar and embedding run one after the other: side by side they fought over
the cores. The model is loaded before any grammar work, so a broken model
fails the run at its start.
"""

from __future__ import annotations

import hashlib
import platform
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np

from repair import __version__

from repair.engines import resources
from repair.alignment.align import Embedder, align
from repair.text.articles import prepare_article
from repair.decide.calibration import Calibration, load_calibration
from repair.config import Settings
from repair.text.document import PreparedDocument
from repair.engines.grammar import GrammarChecker, GrammarResult, vocabulary
from repair.reporting.outputs import default_out_dir, run_files, run_lock, to_json, write_atomic, write_run
from repair.decide.propose import make_proposals
from repair.records import SCHEMA_VERSION, Alignment, Document, Proposal, StageTimer
from repair.alignment.reference_type import ReferenceType, classify_reference
from repair.alignment.references import ReferenceCheck, check_reference
from repair.reporting.run_notes import coverage_notes, grammar_notes, input_notes, wordnet_notes
from repair.reporting.run_record import RUN_FILE, RunRecord

UsableReference = tuple[Document, np.ndarray]
"""A reference that passed its check, with its sentence vectors."""


class Repairer:
    """The pipeline for one set of settings; `repair.load(settings)` makes one."""

    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None,
                 checker: GrammarChecker | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self._embedder = embedder
        self._checker = checker

    @property
    def embedder(self) -> Embedder:
        """The sentence model (loaded on first use, once per process unless one was given)."""
        return self._embedder if self._embedder is not None else resources.get_embedder(self.settings)

    @property
    def checker(self) -> GrammarChecker:
        """The LanguageTool client (a server is started on first use unless one was given)."""
        return self._checker if self._checker is not None else resources.get_checker(self.settings)

    # --- the stages, in order -------------------------------------------------------------

    def prepare(self, path: str | Path) -> PreparedDocument:
        """Read (any accepted format), clean and segment one article file."""
        return prepare_article(path)

    def check_grammar(self, prepared: PreparedDocument, references: Sequence[Document]) -> GrammarResult:
        """LanguageTool's findings on the target; spelling alarms on the references' names dropped."""
        return self.checker.check(prepared.document, vocabulary(d.text for d in references))

    def embed(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text."""
        return self.embedder.encode(texts)

    def check_references(
        self, target: Document, target_vectors: np.ndarray, references: Sequence[Document],
        reference_vectors: Sequence[np.ndarray],
    ) -> tuple[list[ReferenceCheck], list[UsableReference]]:
        """Each reference's check, and the (document, vectors) of those that may guide edits."""
        checks = [
            check_reference(target, target_vectors, doc, vectors, self.settings.min_alignment)
            for doc, vectors in zip(references, reference_vectors)
        ]
        usable = [(doc, vectors) for doc, vectors, check in zip(references, reference_vectors, checks) if check.usable]
        return checks, usable

    def align(self, target: Document, target_vectors: np.ndarray, usable: Sequence[UsableReference]) -> list[Alignment]:
        """The best reference sentences for every target sentence."""
        return align(target, target_vectors, list(usable), self.settings.top_k, self.settings.min_alignment)

    def propose(
        self, target: Document, cleanup: Sequence, grammar: GrammarResult | Sequence, alignments: Sequence[Alignment],
        references: Sequence[Document], calibration: Calibration | None = None,
    ) -> tuple[list[Proposal], ReferenceType | None]:
        """Every proposal for the target (calibrated, numbered; by default with the
        settings' profile), and the type of its references."""
        settings = self.settings
        reference_type = classify_reference(
            alignments, len(target.sentences), sum(len(d.sentences) for d in references)
        ) if references else None
        proposals = make_proposals(
            target,
            cleanup,
            grammar.matches if isinstance(grammar, GrammarResult) else grammar,
            alignments,
            {doc.name: doc for doc in references},
            self.embedder.encode_phrases if references else None,
            settings.min_alignment,
            calibration=calibration if calibration is not None else load_calibration(settings.profile),
            reference_type=reference_type,
            disabled=settings.disabled_proposers,
        )
        return proposals, reference_type

    def write(self, out: Path, files: Mapping[str, str]) -> Mapping[str, Path]:
        """Write the run folder's files, run.json last."""
        return write_run(out, files)

    # --- the whole pipeline -----------------------------------------------------------------

    def repair(self, target: str | Path, references: Sequence[str | Path], out_dir: str | Path | None = None) -> RunRecord:
        """Repair `target` against `references`; write the run folder (default
        outputs/<target>-<timestamp>/); return its record."""
        with run_lock(out_dir or default_out_dir(target)) as out:  # fail early on an unwritable or busy folder
            return self._repair(str(target), [str(r) for r in references], out)

    def _repair(self, target: str, references: list[str], out: Path) -> RunRecord:
        timer = StageTimer()
        with timer.stage("prepare"):
            prepared = self.prepare(target)
            refs = [self.prepare(path) for path in references]
        ref_docs = [r.document for r in refs]
        with timer.stage("model wait"):  # first, so a broken model fails before any grammar work
            _ = self.embedder
        with timer.stage("languagetool wait"):  # the server up; its client is made when the check starts
            if self._checker is None:
                resources.languagetool_url(self.settings)
        with timer.stage("grammar"):
            grammar = self.check_grammar(prepared, ref_docs)
        with timer.stage("embed"):
            target_vectors = self.embed([s.text for s in prepared.document.sentences])
            ref_vectors = [self.embed([s.text for s in d.sentences]) for d in ref_docs]
        return self.finish(out, target, prepared, refs, grammar, target_vectors, ref_vectors, timer)

    def finish(
        self, out: Path, target: str, prepared: PreparedDocument, refs: Sequence[PreparedDocument],
        grammar: GrammarResult, target_vectors: np.ndarray, ref_vectors: Sequence[np.ndarray], timer: StageTimer,
        versions_info: dict[str, str] | None = None,
    ) -> RunRecord:
        """Check references, align, propose and write the run folder: the part every run shares,
        so a drop's run folder holds exactly what `mtrepair run` writes for the same files."""
        ref_docs = [r.document for r in refs]
        with timer.stage("align"):
            checks, usable = self.check_references(prepared.document, target_vectors, ref_docs, ref_vectors)
            alignments = self.align(prepared.document, target_vectors, usable)
        with timer.stage("propose"):
            proposals, reference_type = self.propose(
                prepared.document, prepared.cleanup, grammar, alignments, [doc for doc, _ in usable]
            )
        notes = [*input_notes(target, prepared, list(refs)), *grammar_notes(grammar),
                 *(check.note for check in checks if check.note), *coverage_notes(alignments, checks),
                 *(wordnet_notes() if "out-of-place" not in self.settings.disabled_proposers else [])]
        with timer.stage("report"):
            record = RunRecord(
                schema_version=SCHEMA_VERSION,
                run_id=uuid.uuid4().hex[:12],
                created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                target={
                    "name": prepared.document.name,
                    "path": target,
                    "source_sha256": _sha256(prepared.document.source),
                    "cleaned_sha256": _sha256(prepared.document.text),
                },
                references=[
                    {"name": d.name, "path": d.path, "sentences": len(d.sentences), **_check_fields(check)}
                    for d, check in zip(ref_docs, checks)
                ],
                reference_type=reference_type.to_dict() if reference_type else None,
                settings=self.settings.to_dict(),
                versions=versions_info if versions_info is not None else versions(self.settings),
                timings=timer.seconds,
                startup=dict(resources.startup_seconds),
                grammar={
                    "matches": len(grammar.matches),
                    "skipped_sentences": grammar.skipped_sentences,
                    "recoveries": grammar.recoveries,
                },
                notes=notes,
                out_dir=str(out),
            )
            files = run_files(record, prepared.document.text, proposals, alignments, self.settings.min_confidence,
                              prepared.document)
            paths = self.write(out, files)
        record.timings = timer.seconds
        write_atomic(Path(out) / RUN_FILE, to_json(record.to_dict()))  # again, with the report stage timed
        record.files = {name: str(path) for name, path in paths.items()}
        return record


def load(settings: Settings | None = None, **overrides: object) -> Repairer:
    """The pipeline for `settings` (default: from the environment, with `overrides`).

    >>> record = load().repair("target.txt", ["reference.txt"], "outputs/run")
    """
    if settings is None:
        settings = Settings.from_env(**overrides)
    return Repairer(settings)


def versions(settings: Settings) -> dict[str, str]:
    """The versions a run record names: mtrepair, LanguageTool, model and libraries, read
    from package metadata (importing torch to ask would cost seconds)."""
    return {
        "mtrepair": __version__,
        "languagetool": resources.languagetool_version(settings),
        "model": settings.model,
        "embedder": resources.embedder_backend(settings),
        "prefect": _installed("prefect"),
        "sentence_transformers": _installed("sentence-transformers"),
        "torch": _installed("torch"),
        "onnxruntime": _installed("onnxruntime"),
        "python": platform.python_version(),
    }


def _installed(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_fields(check: ReferenceCheck) -> dict:
    fields = check.to_dict()
    del fields["name"]
    return fields


