"""A target sentence that a comparable reference republishes almost word for word.

Outlets often republish the same wire text, in whole or in part. Where one
reference sentence is a near-copy of an awkward target sentence (same
characters for the most part, not only the same meaning), the awkward sentence
is most likely a rewording of that very text, and the reference's sentence *is*
the repair: it is proposed in place of the whole sentence. This is per sentence,
so a reference that shares only a few paragraphs with the target still lends
them, once at least `MIN_COPIES` sentences show the republication. Facts are never changed: the two sentences must give the same numbers, and
one reference sentence repairs at most one target sentence. A translation-type
reference lends whole sentences through `sentences.py` instead.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from repair.alignment.reference_type import ReferenceType
from repair.proposers.registry import ProposalContext, proposer
from repair.records import Alignment, Candidate, Document, Evidence, Proposal

MIN_COPIES = 2
"""Republication shows in several sentences: a single close sentence is as likely two independent
wordings of the same fact (on WMT21, one system's output and reference A, two translations of one
Russian sentence, reached 0.83), so near-copies are proposed only where at least this many target
sentences have one."""
MIN_COPY_RATIO = 0.8
"""Character similarity (difflib ratio, case folded) from which a reference sentence counts as a
near-copy. On comparable-dev (22 events) a best-matching reference sentence at or above 0.8 was
closer to the human original than the awkward sentence in 5 of 5 decided cases; from 0.6 it was
further in about half of them (docs/quality.md)."""
_NUMBER = re.compile(r"\d[\d,.]*")


def copy_ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a.casefold(), b.casefold(), autojunk=False).ratio()


def _numbers(text: str) -> Counter:
    return Counter(n.rstrip(".,") for n in _NUMBER.findall(text))


def copy_proposals(
    target: Document, alignments: Sequence[Alignment], reference_type: ReferenceType | None
) -> list[Proposal]:
    if reference_type is not None and reference_type.is_translation:
        return []
    best: dict[int, tuple[float, Candidate]] = {}
    for alignment in alignments:
        sentence = target.sentences[alignment.sentence_index]
        for candidate in alignment.candidates:
            if candidate.text.strip() == sentence.text.strip() or _numbers(candidate.text) != _numbers(sentence.text):
                continue
            ratio = copy_ratio(sentence.text, candidate.text)
            if ratio >= MIN_COPY_RATIO and ratio > best.get(sentence.index, (0.0, None))[0]:
                best[sentence.index] = (ratio, candidate)
    if len(best) < MIN_COPIES:
        return []
    owners = Counter((c.document, c.sentence_index) for _, c in best.values())
    proposals = []
    for index, (ratio, candidate) in sorted(best.items()):
        if owners[(candidate.document, candidate.sentence_index)] > 1:  # one reference sentence, one repair
            continue
        sentence = target.sentences[index]
        proposals.append(
            Proposal(
                id="",
                kind="reference",
                sentence_index=index,
                start=sentence.start,
                end=sentence.end,
                original=sentence.text,
                replacement=candidate.text.strip(),
                reason="a reference republishes this sentence almost word for word; its wording is the likely original",
                evidence=Evidence(
                    rule_id="reference:copy",
                    reference_document=candidate.document,
                    reference_sentence_index=candidate.sentence_index,
                    reference_sentence=candidate.text,
                    similarity=candidate.similarity,
                    note=f"character similarity {ratio:.2f}",
                ),
                confidence=round(min(0.7 + (ratio - MIN_COPY_RATIO), 0.9), 2),
            )
        )
    return proposals


@proposer("copies", needs_references=True)
def propose_copies(context: ProposalContext) -> list[Proposal]:
    return copy_proposals(context.target, context.alignments, context.reference_type)
