"""Decisions left behind when a drop is repaired again: stale, never applied silently.

A changed drop gets a new run folder (its content hash changed), so the decisions
an editor saved stay in the older run's folder, made for the older text
(`text_sha256`). The desk shows them as stale and offers to carry over what
still fits the new run:

- a decision on a proposal whose twin exists in the new run: same kind, same
  original and replacement, at the same place in a sentence that reads exactly
  as before (the sentence may have moved, the proposal's id may differ);
- a sentence rewrite whose sentence reads exactly as before (at any position).

Everything else is listed as dropped. Carrying over is the editor's choice, made
on the desk; the result is checked like any saved decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from repair.decide.decisions import DecisionSet, ReviewRun, load_decisions, load_run
from repair.errors import RepairError
from repair.records import Decision, Proposal



@dataclass(frozen=True)
class StaleDecisions:
    """Decisions saved in an earlier run of the same drop, and what of them fits the new run."""

    run_folder: Path
    decisions: DecisionSet
    by: str | None
    kept: DecisionSet
    dropped: tuple[str, ...]
    """What cannot be carried over, one short line each."""

    @property
    def total(self) -> int:
        return len(self.decisions.decisions) + len(self.decisions.rewrites)

    @property
    def fitting(self) -> int:
        return len(self.kept.decisions) + len(self.kept.rewrites)


def _key(p: Proposal, sentences) -> tuple:
    """What makes two proposals the same: kind, words, and where they sit in the same sentence text."""
    for s in sentences:
        if s.start <= p.start and p.end <= s.end:
            return (p.kind, p.original, p.replacement, s.text, p.start - s.start)
    return (p.kind, p.original, p.replacement, None, p.start)  # spans beyond one sentence: never carried over alone


def carry_over(old_run: ReviewRun, old: DecisionSet, new_run: ReviewRun) -> tuple[DecisionSet, tuple[str, ...]]:
    """The part of `old` (made for `old_run`) that fits `new_run`, and what was dropped."""
    from repair.text.segment import split_sentences

    old_sentences, new_sentences = split_sentences(old_run.text), split_sentences(new_run.text)
    new_ids = {}
    for p in new_run.reviewable:
        key = _key(p, new_sentences)
        if key[3] is not None:
            new_ids.setdefault(key, p.id)
    old_by_id = old_run.by_id()
    kept: list[Decision] = []
    dropped: list[str] = []
    for d in old.decisions:
        p = old_by_id.get(d.proposal_id)
        twin = new_ids.get(_key(p, old_sentences)) if p is not None else None
        if twin is None:
            what = f"{p.original!r} → {p.replacement!r}" if p is not None else d.proposal_id
            dropped.append(f"{d.action} {d.proposal_id} ({what[:80]}): no such proposal in the new text")
        else:
            kept.append(replace(d, proposal_id=twin))
    sentences = [s.text for s in new_sentences]
    rewrites = []
    for r in old.rewrites:
        if r.original in sentences:
            rewrites.append(replace(r, sentence_index=sentences.index(r.original)))
        else:
            dropped.append(f"rewrite of sentence {r.sentence_index + 1}: that sentence changed in the new text")
    taken = set()
    unique_rewrites = [r for r in rewrites if not (r.sentence_index in taken or taken.add(r.sentence_index))]
    carried = DecisionSet(new_run.run_id, new_run.text_sha256, tuple(kept), f"carried over from {old_run.folder.name}",
                          new_run.target, None, tuple(unique_rewrites))
    return carried, tuple(dropped)


def stale_decisions(run: ReviewRun) -> StaleDecisions | None:
    """The newest decisions saved in another run folder of the same drop, when `run` has none of its own."""
    from repair.review.saved import DECISIONS_FILE, saved_by

    candidates = []
    for other in run.folder.parent.iterdir():
        path = other / DECISIONS_FILE
        if other == run.folder or other.is_symlink() or not other.is_dir() or path.is_symlink() or not path.is_file():
            continue
        candidates.append((path.stat().st_mtime, other))
    for _, other in sorted(candidates, reverse=True):
        try:
            old_run = load_run(other)
            old = load_decisions(other / DECISIONS_FILE)
        except RepairError:
            continue
        if old.run_id != old_run.run_id or old.text_sha256 != old_run.text_sha256:
            continue
        kept, dropped = carry_over(old_run, old, run)
        return StaleDecisions(other, old, saved_by((other / DECISIONS_FILE).read_bytes()), kept, dropped)
    return None
