"""Flag target sentences that no reference sentence supports.

An unsupported sentence may be a fact the reference lacks, a garbled sentence,
or a mistranslation that changed the meaning: the tool cannot tell which, so it
flags the sentence for a person and proposes no edit.
"""

from __future__ import annotations

from collections.abc import Sequence

from repair.records import Alignment, Document, Evidence, Proposal
from repair.proposers.registry import ProposalContext, proposer


def unsupported_flags(target: Document, alignments: Sequence[Alignment]) -> list[Proposal]:
    flags = []
    for alignment in alignments:
        if alignment.supported:
            continue
        sentence = target.sentences[alignment.sentence_index]
        best = alignment.best
        flags.append(
            Proposal(
                id="",
                kind="flag",
                sentence_index=sentence.index,
                start=sentence.start,
                end=sentence.end,
                original=sentence.text,
                replacement=sentence.text,
                reason="no reference sentence says this; check the facts and the wording by hand",
                evidence=Evidence.from_candidate(
                    best,
                    note="closest reference sentence" if best else "no reference given",
                ),
                confidence=round(0.5 + 0.5 * (1 - (best.similarity if best else 0.0)) * 0.5, 2),
            )
        )
    return flags


@proposer("unsupported", needs_references=True)
def propose_unsupported_flags(context: ProposalContext) -> list[Proposal]:
    return unsupported_flags(context.target, context.alignments)
