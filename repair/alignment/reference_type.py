"""Tell a translation of the same text from a comparable article.

A reference that translates the target's source text aligns with it one to
one, in order, with high similarity; another outlet's article on the same
event aligns loosely, out of order, and only in part. Only a translation may
stand in for a whole target sentence; a comparable article may only lend
words and phrases to a sentence that is otherwise right.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from repair.records import Alignment

MIN_MEAN_SIMILARITY = 0.7
MIN_ONE_TO_ONE = 0.7
MIN_MONOTONE = 0.7
LENGTH_RATIO = (0.7, 1.45)


@dataclass(frozen=True)
class ReferenceType:
    """What kind of reference the target was aligned with, and the evidence."""

    kind: Literal["translation", "comparable"]
    mean_similarity: float
    one_to_one: float
    """Share of target sentences whose best reference sentence is no other sentence's best."""
    monotone: float
    """Share of target sentences on the longest in-order chain of best matches."""
    length_ratio: float

    @property
    def is_translation(self) -> bool:
        return self.kind == "translation"

    def to_dict(self) -> dict:
        return asdict(self)


def classify_reference(alignments: Sequence[Alignment], n_target: int, n_reference: int) -> ReferenceType:
    """Translation when alignment is near one-to-one, in order and similar; else comparable."""
    best = [(a.best.document, a.best.sentence_index, a.best.similarity) for a in alignments if a.best is not None]
    if not best or n_target == 0:
        return ReferenceType("comparable", 0.0, 0.0, 0.0, 0.0)
    documents = {d: i for i, d in enumerate(dict.fromkeys(b[0] for b in best))}
    keys = [(documents[d], s) for d, s, _ in best]
    counts: dict[tuple[int, int], int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    one_to_one = sum(1 for key in keys if counts[key] == 1) / n_target
    monotone = _longest_increasing(keys) / n_target
    mean_similarity = sum(b[2] for b in best) / len(best)
    ratio = n_reference / n_target
    is_translation = (
        mean_similarity >= MIN_MEAN_SIMILARITY
        and one_to_one >= MIN_ONE_TO_ONE
        and monotone >= MIN_MONOTONE
        and LENGTH_RATIO[0] <= ratio <= LENGTH_RATIO[1]
    )
    return ReferenceType(
        "translation" if is_translation else "comparable",
        round(mean_similarity, 3),
        round(one_to_one, 3),
        round(monotone, 3),
        round(ratio, 3),
    )


def _longest_increasing(keys: Sequence[tuple[int, int]]) -> int:
    tails: list[tuple[int, int]] = []
    for key in keys:
        i = bisect_left(tails, key)
        if i == len(tails):
            tails.append(key)
        else:
            tails[i] = key
    return len(tails)
