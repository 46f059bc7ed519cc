"""Cleanup edits (already applied in the cleaned text) as proposals a reviewer can see."""

from __future__ import annotations

from collections.abc import Iterable

from repair.records import CleanupEdit, Document, Evidence, Proposal
from repair.proposers.registry import ProposalContext, proposer


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


@proposer("cleanup")
def propose_cleanup(context: ProposalContext) -> list[Proposal]:
    return cleanup_proposals(context.target, context.cleanup)
