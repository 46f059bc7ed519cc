"""Gather every proposal for a target article, in reading order, with ids.

This is the pipeline's decision point: every registered proposer (cleanup
edits, already applied; LanguageTool fixes; reference-guided edits; flags; see
`proposers.registry`) adds its `Proposal`s here, then they are calibrated,
deduplicated and numbered. Overlapping proposals are all kept, so the reviewer sees alternatives;
`apply.resolve_overlaps` decides which one wins when applying.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from repair.decide.calibration import TRANSLATION, Calibration, load_calibration
from repair.decide.facts import guard_facts
from repair.decide.second_opinion import with_lm_opinion
from repair.proposers.cleanup import cleanup_proposals  # noqa: F401  (its old home)
from repair.proposers.out_of_place import drop_covered
from repair.proposers.registry import ProposalContext, run_proposers
from repair.records import Alignment, CleanupEdit, Document, GrammarMatch, Proposal
from repair.alignment.reference_type import ReferenceType


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
    disabled: Collection[str] = (),
) -> list[Proposal]:
    """All proposals for `target`, sorted by position, numbered P0001, P0002, ...

    Edits get calibrated confidence (the shipped calibration unless one is
    given); whole-sentence replacements only come from a translation-type
    reference. The proposers are those of `proposers.registry`, less the
    `disabled` ones.
    """
    calibration = calibration if calibration is not None else load_calibration()
    context = ProposalContext(target, tuple(cleanup), grammar, alignments, references, embed, min_alignment, reference_type)
    proposals = run_proposers(context, disabled)
    if reference_type is not None and reference_type.is_translation:
        proposals = [_from_translation(p) for p in proposals]
    proposals = guard_facts(target, proposals)  # no edit may change a fact: such an edit becomes a flag
    proposals = drop_covered(proposals)  # an out-of-place word inside another proposal's span says nothing new
    if calibration.lm_feature:  # the language model's second opinion, only where the calibration was fitted with it
        proposals = with_lm_opinion(target, proposals)
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


_KIND_ORDER = {"cleanup": 0, "reference": 1, "grammar": 2, "flag": 3, "word": 4}


def number_proposals(proposals: Iterable[Proposal]) -> list[Proposal]:
    ordered = sorted(proposals, key=lambda p: (p.start, _KIND_ORDER[p.kind], -p.confidence, p.end))
    return [replace(p, id=f"P{n:04d}") for n, p in enumerate(ordered, 1)]
