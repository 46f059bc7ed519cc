"""Flag a number that disagrees with the aligned reference sentence (see `entities.number_flags`).

Registered on its own, after the whole-sentence proposer, to keep the order
in which proposals have always been gathered.
"""

from __future__ import annotations

from repair.records import Proposal
from repair.proposers.entities import number_flags
from repair.proposers.registry import ProposalContext, proposer


@proposer("numbers", needs_references=True)
def propose_number_flags(context: ProposalContext) -> list[Proposal]:
    return number_flags(context.target, context.alignments)
