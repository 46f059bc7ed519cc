"""Apply proposals (or an editor's decisions) to the cleaned text.

Applying is the inverse of proposing, so it is kept strict: every proposal must
still match the text it was made for, overlapping edits are resolved by
confidence (the higher wins, ties go to the earlier id), and the result is
reported with what was applied and what was dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from repair.records import Proposal


@dataclass
class Applied:
    """The text after applying, and the fate of each proposal."""

    text: str
    applied: list[Proposal] = field(default_factory=list)
    overlapped: list[tuple[Proposal, Proposal]] = field(default_factory=list)
    """(dropped, winner) pairs where two chosen edits overlapped."""


def by_confidence(p: Proposal) -> tuple:
    """The default ranking: higher confidence first, ties to the earlier id."""
    return (-p.confidence, p.id)


def resolve_overlaps(
    edits: Iterable[Proposal], rank: Callable[[Proposal], tuple] = by_confidence
) -> tuple[list[Proposal], list[tuple[Proposal, Proposal]]]:
    """Keep a set of non-overlapping edits, best `rank` first (by default the
    higher confidence, ties to the earlier id)."""
    chosen: list[Proposal] = []
    dropped: list[tuple[Proposal, Proposal]] = []
    for edit in sorted(edits, key=rank):
        clash = next((c for c in chosen if _overlaps(edit, c)), None)
        if clash is None:
            chosen.append(edit)
        else:
            dropped.append((edit, clash))
    return sorted(chosen, key=lambda p: p.start), dropped


def _overlaps(a: Proposal, b: Proposal) -> bool:
    if a.start == a.end or b.start == b.end:  # insertions clash only at the same point
        return a.start == b.start or (b.start < a.start < b.end) or (a.start < b.start < a.end)
    return a.start < b.end and b.start < a.end


def apply_edits(text: str, edits: Iterable[Proposal]) -> Applied:
    """Apply chosen edits to `text`; raise ValueError if one no longer fits it."""
    chosen, dropped = resolve_overlaps(e for e in edits if e.is_edit)
    return Applied(splice(text, chosen), chosen, dropped)


def splice(text: str, chosen: Iterable[Proposal]) -> str:
    """Put each edit's replacement in place of its span; the edits must not
    overlap. Raise ValueError if one no longer fits `text`."""
    out = []
    cursor = 0
    for edit in sorted(chosen, key=lambda p: (p.start, p.end)):
        if text[edit.start : edit.end] != edit.original:
            raise ValueError(f"proposal {edit.id} does not match the text it was made for")
        out.append(text[cursor : edit.start])
        out.append(edit.replacement)
        cursor = edit.end
    out.append(text[cursor:])
    return "".join(out)


def apply_above(text: str, proposals: Iterable[Proposal], min_confidence: float) -> Applied:
    """Apply every edit at or above `min_confidence` (what repaired.txt holds)."""
    return apply_edits(text, (p for p in proposals if p.confidence >= min_confidence))
