"""Whole-sentence replacement, only from a reference that translates the same text.

When the reference is a translation of the target's source (see
`reference_type`), a target sentence that reads far from its one-to-one
counterpart may be a mistranslation, and the reference sentence is offered in
its place. Sentences that are already close are left to targeted edits. From a
comparable article this is never proposed: replacing an awkward sentence by the
most similar sentence of another outlet loses facts and structure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from repair.records import Alignment, Document, Evidence, Proposal
from repair.alignment.reference_type import ReferenceType
from repair.proposers.registry import ProposalContext, proposer

MAX_SIMILARITY = 0.85
"""At or above this similarity the sentence is close enough for targeted edits only."""


def sentence_proposals(
    target: Document,
    alignments: Sequence[Alignment],
    reference_type: ReferenceType | None,
    min_alignment: float,
) -> list[Proposal]:
    if reference_type is None or not reference_type.is_translation:
        return []
    owners = Counter((a.best.document, a.best.sentence_index) for a in alignments if a.best is not None)
    proposals = []
    for alignment in alignments:
        best = alignment.best
        if best is None or not (min_alignment <= best.similarity < MAX_SIMILARITY):
            continue
        if owners[(best.document, best.sentence_index)] > 1:  # not one to one: leave it
            continue
        sentence = target.sentences[alignment.sentence_index]
        if sentence.text.strip() == best.text.strip():
            continue
        proposals.append(
            Proposal(
                id="",
                kind="reference",
                sentence_index=sentence.index,
                start=sentence.start,
                end=sentence.end,
                original=sentence.text,
                replacement=best.text,
                reason="the reference translates the same text; its sentence reads far from this one",
                evidence=Evidence.from_candidate(
                    best,
                    "reference:sentence",
                    note=f"translation-type reference (mean similarity {reference_type.mean_similarity:.2f})",
                ),
                confidence=round(0.3 + 0.2 * (MAX_SIMILARITY - best.similarity), 2),
            )
        )
    return proposals


@proposer("sentences", needs_references=True)
def propose_sentences(context: ProposalContext) -> list[Proposal]:
    return sentence_proposals(context.target, context.alignments, context.reference_type, context.min_alignment)
