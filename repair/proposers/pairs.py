"""The sentence pairs the comparable-reference proposers work on.

`tenses`, `concepts` and `paraphrase` each look at a target sentence and its
best reference sentence when the two are close enough to say the same thing;
`concepts` and `paraphrase` also leave near-copies to `copies`, which proposes
the whole sentence. None of them works from a translation-type reference: a
translation of the same text lends whole sentences (`sentences`), calibrated on
WMT21.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from repair.proposers.copies import MIN_COPY_RATIO, copy_ratio
from repair.records import Alignment, Candidate, Document, Sentence


def close_pairs(
    target: Document, alignments: Sequence[Alignment], min_similarity: float, skip_copies: bool = False
) -> Iterator[tuple[Sentence, Candidate]]:
    """Each target sentence with its best reference sentence, when that one's similarity is at least
    `min_similarity` (and, with `skip_copies`, when it is not a near-copy), in the alignments' order."""
    for alignment in alignments:
        best = alignment.best
        if best is None or best.similarity < min_similarity:
            continue
        sentence = target.sentences[alignment.sentence_index]
        if skip_copies and copy_ratio(sentence.text, best.text) >= MIN_COPY_RATIO:
            continue
        yield sentence, best


def from_translation(context) -> bool:
    """True when the references are translations of the same text: the comparable-reference proposers stay out."""
    return context.reference_type is not None and context.reference_type.is_translation
