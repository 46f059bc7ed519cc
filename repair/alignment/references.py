"""Decide which references can guide a repair, and say why the others cannot.

A reference guides edits only when it reports the same event in different
words. Two kinds are set aside before any reference-guided proposal is made,
each with a note for the report:

- a reference whose text is the target's own (the same file twice, or a copy
  differing only in spacing): it can only "confirm" every sentence as it is.
  A near copy that differs in a few words is kept on purpose: a corrected
  version of the target is exactly the reference that should guide edits;
- a reference about a different event: few of its sentences say what target
  sentences say. Coverage is measured both ways, as the share of target
  sentences that the reference supports (best similarity >= min_alignment)
  and the share of reference sentences that support some target sentence; a
  short brief on the same event covers little of a long article but most of
  its own sentences match, so it is kept. A reference is set aside when both
  shares are below `MIN_COVERAGE`.

On WMT21 news (a weak system's output of one document against the human
translation of another), 95 % of different-document pairs had a target
coverage of 0.08 or less, while the seed pair (two outlets, one event) has 0.93.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from repair.alignment.align import top_k_similar
from repair.records import Document

MIN_COVERAGE = 0.2
"""Below this share of matched sentences (both ways) a reference counts as off-event."""


@dataclass(frozen=True)
class ReferenceCheck:
    """How one reference relates to the target."""

    name: str
    target_sentences: int
    supported: int
    """Target sentences this reference supports."""
    reference_sentences: int
    matched: int
    """Reference sentences that support some target sentence."""
    identical: bool

    @property
    def coverage(self) -> float:
        return self.supported / self.target_sentences if self.target_sentences else 0.0

    @property
    def reference_coverage(self) -> float:
        return self.matched / self.reference_sentences if self.reference_sentences else 0.0

    @property
    def off_event(self) -> bool:
        return self.coverage < MIN_COVERAGE and self.reference_coverage < MIN_COVERAGE

    @property
    def usable(self) -> bool:
        return not self.identical and not self.off_event

    @property
    def note(self) -> str | None:
        """Why this reference guided nothing, or None when it is used."""
        if self.identical:
            return f"reference {self.name} is identical to the target, so it guided no proposals"
        if self.off_event:
            return (
                f"reference {self.name} supports only {self.supported} of {self.target_sentences} target sentences "
                f"(coverage {self.coverage:.0%}); it seems to be about a different event, so it guided no proposals"
            )
        return None

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "supported": self.supported,
            "target_sentences": self.target_sentences,
            "matched": self.matched,
            "reference_sentences": self.reference_sentences,
            "identical": self.identical,
            "used": self.usable,
        }


def same_text(a: str, b: str) -> bool:
    """True when two texts differ at most in spacing and line breaks."""
    return " ".join(a.split()) == " ".join(b.split())


def check_reference(
    target: Document,
    target_vectors: np.ndarray,
    reference: Document,
    reference_vectors: np.ndarray,
    min_alignment: float,
) -> ReferenceCheck:
    """Measure how far `reference` covers `target`, both ways."""
    _, forward = top_k_similar(target_vectors, reference_vectors, 1)
    _, backward = top_k_similar(reference_vectors, target_vectors, 1)
    return ReferenceCheck(
        name=reference.name,
        target_sentences=len(target.sentences),
        supported=int((forward[:, 0] >= min_alignment).sum()) if forward.size else 0,
        reference_sentences=len(reference.sentences),
        matched=int((backward[:, 0] >= min_alignment).sum()) if backward.size else 0,
        identical=same_text(target.text, reference.text),
    )
