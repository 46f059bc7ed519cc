"""A small hand-made run folder, for review tests that need no LanguageTool or model.

The article and its proposals are written by hand so that the interesting cases
(overlapping edits, an insertion, a flag, a cleanup edit) are all there; the
folder is written by the same `run_files` a real run uses.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from repair.reporting.outputs import run_files, write_run
from repair.reporting.run_record import RunRecord
from repair.records import Document, Evidence, Proposal
from repair.text.segment import split_sentences

TEXT = "He will pay the price soon. Putin was called a “murder” by Biden.\n\nThe ties are at a dead end.\n"
RUN_ID = "synthetic001"


def span(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def proposal(pid, kind, start, end, replacement, confidence, sentence=0, reason="a reason", evidence=None, applied=False):
    return Proposal(pid, kind, sentence, start, end, TEXT[start:end], replacement, reason,
                    evidence or Evidence(), confidence, applied)


def synthetic_proposals() -> list[Proposal]:
    pay = span(TEXT, "pay the price")
    the = span(TEXT, "the")
    murder = span(TEXT, "murder")
    biden = span(TEXT, "Biden")
    ties = span(TEXT, "The ties are at a dead end.")
    return [
        proposal("P0001", "grammar", *pay, "pay for it", 0.6, evidence=Evidence(rule_id="PAY_RULE", message="Say it plainly.")),
        proposal("P0002", "reference", *the, "a", 0.9, evidence=Evidence(
            reference_document="ref.txt", reference_sentence_index=0, reference_sentence="He will pay a price.", similarity=0.8)),
        proposal("P0003", "reference", *murder, "killer", 0.75, sentence=1),
        proposal("P0004", "grammar", biden[0], biden[0], "Joe ", 0.55, sentence=1),
        proposal("P0005", "flag", *ties, TEXT[ties[0]:ties[1]], 0.65, sentence=2, reason="no reference sentence says this"),
        proposal("P0006", "grammar", *span(TEXT, "soon"), "soon enough", 0.3),
        proposal("P0007", "cleanup", *span(TEXT, "Putin"), "Putin", 0.95, sentence=1, applied=True),
    ]


def write_synthetic_run(folder: Path, text: str = TEXT, proposals: list[Proposal] | None = None,
                        min_confidence: float = 0.5) -> Path:
    """Write a complete run folder (cleaned.txt, proposals.json, report.html, ...) for `text`."""
    proposals = synthetic_proposals() if proposals is None else proposals
    document = Document("synthetic.txt", "synthetic.txt", text, text, split_sentences(text))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    run = RunRecord(
        schema_version=1,
        run_id=RUN_ID,
        created="2026-01-01T00:00:00+00:00",
        target={"name": "synthetic.txt", "path": "synthetic.txt", "source_sha256": digest, "cleaned_sha256": digest},
        references=[{"name": "ref.txt", "path": "ref.txt", "sentences": 1}],
        reference_type=None,
        settings={"model": "none", "min_confidence": min_confidence},
        versions={"mtrepair": "test", "languagetool": "none"},
        timings={},
        startup={},
        grammar={},
        notes=[],
        out_dir=str(folder),
    )
    files = run_files(run, text, proposals, [], min_confidence, document)
    write_run(folder, files)
    return folder
