"""Gather every proposal for a target article, in reading order, with ids.

This is the pipeline's decision point: cleanup edits (already applied),
LanguageTool fixes, reference-guided edits and flags all become `Proposal`s
here. Overlapping proposals are all kept, so the reviewer sees alternatives;
`apply.resolve_overlaps` decides which one wins when applying.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from .calibration import TRANSLATION, Calibration, load_calibration
from .records import Alignment, CleanupEdit, Document, Evidence, GrammarMatch, Proposal
from .reference_type import ReferenceType
from .proposers.copies import copy_proposals
from .proposers.coverage import unsupported_flags
from .proposers.entities import name_proposals, number_flags
from .proposers.grammar_fixes import grammar_proposals
from .proposers.phrases import phrase_proposals
from .proposers.quotes import quote_proposals
from .proposers.sentences import sentence_proposals
from .proposers.wording import wording_proposals


def cleanup_proposals(document: Document, edits: Iterable[CleanupEdit]) -> list[Proposal]:
    """Cleanup edits as proposals that are already applied in `document.text`."""
    proposals = []
    for edit in edits:
        sentence = document.sentence_at(edit.start) if edit.replacement else None
        proposals.append(
            Proposal(
                id="",
                kind="cleanup",
                sentence_index=sentence.index if sentence else None,
                start=edit.start,
                end=edit.end,
                original=edit.original,
                replacement=edit.replacement,
                reason=edit.reason,
                evidence=Evidence(rule_id=f"cleanup:{edit.rule}"),
                confidence=0.95,
                applied=True,
            )
        )
    return proposals


def make_proposals(
    target: Document,
    cleanup: Iterable[CleanupEdit],
    grammar: Sequence[GrammarMatch],
    alignments: Sequence[Alignment],
    references: Mapping[str, Document],
    embed: Callable[[list[str]], np.ndarray] | None,
    min_alignment: float,
    calibration: Calibration | None = None,
    reference_type: ReferenceType | None = None,
) -> list[Proposal]:
    """All proposals for `target`, sorted by position, numbered P0001, P0002, ...

    Edits get calibrated confidence (the shipped calibration unless one is
    given); whole-sentence replacements only come from a translation-type
    reference.
    """
    calibration = calibration if calibration is not None else load_calibration()
    proposals = cleanup_proposals(target, cleanup)
    proposals += grammar_proposals(target.text, list(grammar))
    if references:
        proposals += quote_proposals(target, alignments, references, embed, min_alignment)
        proposals += phrase_proposals(target, alignments, references, min_alignment)
        proposals += name_proposals(target, references)
        proposals += wording_proposals(target, alignments, references, embed, grammar, reference_type)
        proposals += sentence_proposals(target, alignments, reference_type, min_alignment)
        proposals += copy_proposals(target, alignments, reference_type)
        proposals += number_flags(target, alignments)
        proposals += unsupported_flags(target, alignments)
    if reference_type is not None and reference_type.is_translation:
        proposals = [_from_translation(p) for p in proposals]
    return number_proposals(calibration.apply(dedupe(proposals)))


def _from_translation(p: Proposal) -> Proposal:
    """Mark a reference edit as made from a translation-type reference (its own calibration)."""
    if p.kind != "reference" or not p.evidence.rule_id or p.evidence.rule_id.endswith(TRANSLATION):
        return p
    return replace(p, evidence=replace(p.evidence, rule_id=p.evidence.rule_id + TRANSLATION))


def dedupe(proposals: Iterable[Proposal]) -> list[Proposal]:
    """One proposal per (span, replacement, kind): the most confident one."""
    best: dict[tuple, Proposal] = {}
    for p in proposals:
        key = (p.kind, p.start, p.end, p.replacement, p.applied)
        if key not in best or p.confidence > best[key].confidence:
            best[key] = p
    return list(best.values())


_KIND_ORDER = {"cleanup": 0, "reference": 1, "grammar": 2, "flag": 3}


def number_proposals(proposals: Iterable[Proposal]) -> list[Proposal]:
    ordered = sorted(proposals, key=lambda p: (p.start, _KIND_ORDER[p.kind], -p.confidence, p.end))
    return [replace(p, id=f"P{n:04d}") for n, p in enumerate(ordered, 1)]
