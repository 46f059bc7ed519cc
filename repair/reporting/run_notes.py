"""The notes a run's report gives: what reading fixed, what the grammar check
missed, which references guided nothing, how little the references cover."""

from __future__ import annotations

from itertools import groupby

from repair.text.document import PreparedDocument
from repair.engines.grammar import GrammarResult
from repair.alignment.references import MIN_COVERAGE, ReferenceCheck


def sentence_ranges(indices: list[int]) -> str:
    """1-based sentence numbers as compact ranges: [0, 1, 2, 5] -> '1-3, 6'."""
    numbers = sorted({i + 1 for i in indices})
    ranges = []
    for _, run in groupby(enumerate(numbers), key=lambda pair: pair[1] - pair[0]):
        values = [n for _, n in run]
        ranges.append(str(values[0]) if len(values) == 1 else f"{values[0]}-{values[-1]}")
    return ", ".join(ranges)


def input_notes(target: str, prepared: PreparedDocument, refs: list[PreparedDocument]) -> list[str]:
    """What reading the inputs had to fix, one note per fix, naming the file."""
    notes = [f"{target}: {fix}" for fix in prepared.loaded.fixes]
    return notes + [f"{r.document.path}: {fix}" for r in refs for fix in r.loaded.fixes]


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


def wordnet_notes() -> list[str]:
    """One note when WordNet is not installed: no word can be flagged as out of place."""
    from repair.engines.wordnet import location

    found = location()
    return [] if found.found else [found.problem or "WordNet is not installed"]
