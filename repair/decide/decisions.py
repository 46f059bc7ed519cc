"""An editor's decisions on a run's proposals: read them, check them, apply them.

A decisions file (`decisions.json`, written by the review page) says accept,
reject or edit for proposals of one run. It names the run (`run_id`) and the
exact cleaned text it was made for (`text_sha256`); a file made for another run
or for a changed text is refused whole, with one line that says why, so a final
article is never half-applied.

What a decision means:
- grammar and reference proposals: accept puts the proposal's replacement in
  place, reject leaves the text, edit puts the editor's own text in place;
- flags and out-of-place words (kind `word`) propose no edit: accept (keep) and
  reject (dismiss) leave the text as it is, edit replaces the flagged span with
  the editor's own text (on the review page, a picked alternative is such an edit);
- cleanup edits are already in cleaned.txt and cannot be decided on;
- a proposal without a decision leaves the text as it is;
- a sentence rewrite (schema version 2, see `repair.decide.rewrites`) puts the
  editor's wording in place of a whole sentence and supersedes the proposals in
  that sentence.

Where two chosen changes overlap, the editor's own text (edit) wins over an
accepted proposal; between two of the same sort the higher confidence wins, ties
to the earlier id. The review page computes the live article with the same rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from repair.decide.apply import resolve_overlaps, splice
from repair.decide.rewrites import PlacedRewrite, Rewrite, parse_rewrites, place_rewrites
from repair.errors import InputError
from repair.records import NOTE_KINDS, Decision, Proposal

DECISIONS_SCHEMA = 2
"""The newest decisions format: version 2 adds `rewrites`. A file without
rewrites is still written as version 1, which every mtrepair reads."""
READABLE_SCHEMAS = (1, 2)
DECISIONS_KIND = "mtrepair-decisions"
ACTIONS = ("accept", "reject", "edit")
MAX_DECISIONS_BYTES = 20_000_000
MAX_EDIT_CHARS = 20_000
"""Longest text an editor may put in place of one proposal (a long paragraph)."""

Preset = Literal["accept-default", "accept-all", "reject-all"]
PRESETS: tuple[Preset, ...] = ("accept-default", "accept-all", "reject-all")

_TOP_KEYS = {"schema_version", "kind", "run_id", "text_sha256", "target", "created", "by", "decisions", "rewrites"}
_DECISION_KEYS = {"proposal_id", "action", "text", "by"}


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ReviewRun:
    """What a run folder holds for review: the cleaned text and its proposals."""

    folder: Path
    run_id: str
    target: str
    text: str
    text_sha256: str
    min_confidence: float
    proposals: tuple[Proposal, ...]

    @property
    def reviewable(self) -> tuple[Proposal, ...]:
        """The proposals an editor decides on: all but the cleanup edits."""
        return tuple(p for p in self.proposals if p.kind != "cleanup")

    def by_id(self) -> dict[str, Proposal]:
        return {p.id: p for p in self.proposals}


def load_run(folder: str | Path) -> ReviewRun:
    """Read proposals.json and cleaned.txt of a run folder; InputError if unusable."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "no such run folder")
    proposals_path = folder / "proposals.json"
    cleaned_path = folder / "cleaned.txt"
    for path in (proposals_path, cleaned_path):
        if not path.is_file():
            raise InputError(path, "missing; is this the folder of a finished `mtrepair run`?")
    doc = _read_json(proposals_path)
    try:
        proposals = tuple(Proposal.from_dict(p) for p in doc["proposals"])
        run_id, text_sha256 = str(doc["run_id"]), str(doc["text_sha256"])
        min_confidence = float(doc["min_confidence"])
        target = str(doc.get("target", {}).get("name", folder.name))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(proposals_path, f"not a proposals file of this mtrepair version ({exc})") from None
    try:
        text = cleaned_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(cleaned_path, f"cannot be read ({exc})") from None
    if sha256_text(text) != text_sha256:
        raise InputError(cleaned_path, "was changed after the run (its sha256 no longer matches proposals.json)")
    return ReviewRun(folder, run_id, target, text, text_sha256, min_confidence, proposals)


@dataclass(frozen=True)
class DecisionSet:
    """Decisions for one run and one cleaned text, and where they came from."""

    run_id: str
    text_sha256: str
    decisions: tuple[Decision, ...]
    source: str = "decisions.json"
    target: str | None = None
    created: str | None = None
    rewrites: tuple[Rewrite, ...] = ()

    def to_dict(self) -> dict:
        return {
            "schema_version": DECISIONS_SCHEMA if self.rewrites else 1,
            "kind": DECISIONS_KIND,
            "run_id": self.run_id,
            "text_sha256": self.text_sha256,
            **({"target": self.target} if self.target else {}),
            "created": self.created or datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "decisions": [
                {k: v for k, v in (("proposal_id", d.proposal_id), ("action", d.action), ("text", d.text), ("by", d.by)) if v is not None}
                for d in self.decisions
            ],
            **({"rewrites": [r.to_dict() for r in self.rewrites]} if self.rewrites else {}),
        }


def load_decisions(path: str | Path) -> DecisionSet:
    """Read a decisions file and check its shape (not yet against a run)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such decisions file")
    if path.stat().st_size > MAX_DECISIONS_BYTES:
        raise InputError(path, f"is larger than {MAX_DECISIONS_BYTES:,} bytes; not a decisions file")
    return parse_decisions(_read_json(path), str(path))


def parse_decisions(data: object, source: str) -> DecisionSet:
    """Check the shape of a decoded decisions document; InputError(source, ...) if wrong."""

    def bad(problem: str) -> InputError:
        return InputError(source, problem)

    if not isinstance(data, dict):
        raise bad("not a decisions file (expected a JSON object)")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise bad(f"unknown field {unknown[0]!r}; not a decisions file of this mtrepair version")
    if data.get("kind", DECISIONS_KIND) != DECISIONS_KIND:
        raise bad(f"kind is {data.get('kind')!r}, expected {DECISIONS_KIND!r}")
    version = data.get("schema_version")
    if isinstance(version, bool) or version not in READABLE_SCHEMAS:
        raise bad(f"schema_version is {version!r}; this mtrepair reads versions {' and '.join(map(str, READABLE_SCHEMAS))}")
    if "rewrites" in data and version < 2:
        raise bad("has rewrites, which need schema_version 2")
    for key in ("run_id", "text_sha256"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise bad(f"{key} is missing; a decisions file must say which run and text it was made for")
    items = data.get("decisions")
    if not isinstance(items, list):
        raise bad("decisions is missing or not a list")
    decisions = []
    seen: set[str] = set()
    for n, item in enumerate(items, 1):
        where = f"decision {n}"
        if not isinstance(item, dict):
            raise bad(f"{where} is not an object")
        unknown = sorted(set(item) - _DECISION_KEYS)
        if unknown:
            raise bad(f"{where} has an unknown field {unknown[0]!r}")
        pid, action, text = item.get("proposal_id"), item.get("action"), item.get("text")
        if not isinstance(pid, str) or not pid:
            raise bad(f"{where} has no proposal_id")
        if action not in ACTIONS:
            raise bad(f"{where} ({pid}): action is {action!r}, expected one of {', '.join(ACTIONS)}")
        if action == "edit":
            if not isinstance(text, str):
                raise bad(f"{where} ({pid}): an edit needs the editor's text")
            if len(text) > MAX_EDIT_CHARS:
                raise bad(f"{where} ({pid}): edited text is longer than {MAX_EDIT_CHARS:,} characters")
        elif text is not None:
            raise bad(f"{where} ({pid}): only an edit carries text, not {action}")
        if pid in seen:
            raise bad(f"{pid} is decided twice")
        seen.add(pid)
        by = item.get("by")
        decisions.append(Decision(pid, action, text, by if isinstance(by, str) else None))
    rewrites = parse_rewrites(data["rewrites"], bad) if "rewrites" in data else ()
    target, created = data.get("target"), data.get("created")
    return DecisionSet(
        data["run_id"], data["text_sha256"], tuple(decisions), source,
        target if isinstance(target, str) else None, created if isinstance(created, str) else None, rewrites,
    )


def check_decisions(decisions: DecisionSet, run: ReviewRun) -> None:
    """Refuse decisions that were not made for exactly this run and text."""
    source = decisions.source
    if decisions.run_id != run.run_id:
        raise InputError(source, f"made for run {decisions.run_id}, but {run.folder} is run {run.run_id}")
    if decisions.text_sha256 != run.text_sha256:
        raise InputError(
            source,
            f"made for a different text (sha256 {decisions.text_sha256[:12]}…) than {run.folder / 'cleaned.txt'} "
            f"(sha256 {run.text_sha256[:12]}…)",
        )
    if len(decisions.decisions) > len(run.reviewable):
        raise InputError(source, f"has {len(decisions.decisions):,} decisions, but run {run.run_id} has only "
                                 f"{len(run.reviewable):,} proposals to decide on")
    proposals = run.by_id()
    for d in decisions.decisions:
        proposal = proposals.get(d.proposal_id)
        if proposal is None:
            raise InputError(source, f"{d.proposal_id} is not a proposal of run {run.run_id}")
        if proposal.kind == "cleanup":
            raise InputError(source, f"{d.proposal_id} is a cleanup edit, already applied in cleaned.txt; it cannot be decided on")
    place_rewrites(decisions.rewrites, run.text, source, str(run.folder / "cleaned.txt"))


def preset(run: ReviewRun, which: Preset) -> DecisionSet:
    """Decisions without a file: accept what repaired.txt holds, accept all, or reject all."""
    if which == "accept-default":
        chosen = [Decision(p.id, "accept" if p.confidence >= run.min_confidence else "reject") for p in run.reviewable]
    elif which == "accept-all":
        chosen = [Decision(p.id, "accept") for p in run.reviewable]
    elif which == "reject-all":
        chosen = [Decision(p.id, "reject") for p in run.reviewable]
    else:
        raise ValueError(f"unknown preset {which!r}")
    return DecisionSet(run.run_id, run.text_sha256, tuple(chosen), f"--{which}", run.target)


@dataclass(frozen=True)
class Change:
    """A chosen change: `proposal`'s span gets `text` (the replacement or the editor's)."""

    proposal: Proposal
    decision: Decision
    text: str

    @property
    def as_edit(self) -> Proposal:
        return replace(self.proposal, replacement=self.text)


@dataclass
class Outcome:
    """The final text and the fate of every reviewable proposal."""

    text: str
    applied: list[Change] = field(default_factory=list)
    overridden: list[tuple[Change, Change]] = field(default_factory=list)
    """(loser, winner) pairs: a chosen change dropped because it overlapped a better one."""
    rejected: list[Proposal] = field(default_factory=list)
    kept_flags: list[Proposal] = field(default_factory=list)
    """Flags accepted as they are (no text change)."""
    unchanged: list[Proposal] = field(default_factory=list)
    """Accepted proposals whose replacement equals the original (nothing to do)."""
    undecided: list[Proposal] = field(default_factory=list)
    rewritten: list[PlacedRewrite] = field(default_factory=list)
    """Sentences the editor rewrote, in text order."""
    superseded: list[tuple[Change, PlacedRewrite]] = field(default_factory=list)
    """Accepted or edited proposals not applied because their sentence was rewritten."""

    def counts(self) -> dict[str, int]:
        """How many of each fate; `rewritten` and `superseded` only when there are rewrites."""
        edited = sum(c.decision.action == "edit" for c in self.applied)
        counts = {
            "accepted": len(self.applied) - edited + len(self.kept_flags) + len(self.unchanged),
            "edited": edited,
            "rejected": len(self.rejected),
            "overridden": len(self.overridden),
            "undecided": len(self.undecided),
        }
        if self.rewritten:
            counts |= {"rewritten": len(self.rewritten), "superseded": len(self.superseded)}
        return counts


def change_rank(change: Change) -> tuple:
    """Overlap order: the editor's own text first, then higher confidence, then earlier id."""
    return (0 if change.decision.action == "edit" else 1, -change.proposal.confidence, change.proposal.id)


def apply_decisions(run: ReviewRun, decisions: DecisionSet) -> Outcome:
    """The article as decided. Call `check_decisions` first."""
    check_decisions(decisions, run)
    decided = {d.proposal_id: d for d in decisions.decisions}
    outcome = Outcome(text=run.text)
    changes: dict[str, Change] = {}
    for p in run.reviewable:
        d = decided.get(p.id)
        if d is None:
            outcome.undecided.append(p)
        elif d.action == "reject":
            outcome.rejected.append(p)
        elif d.action == "edit":
            changes[p.id] = Change(p, d, d.text or "")
        elif p.kind in NOTE_KINDS:
            outcome.kept_flags.append(p)
        elif p.replacement == p.original:
            outcome.unchanged.append(p)
        else:
            changes[p.id] = Change(p, d, p.replacement)
    outcome.rewritten = place_rewrites(decisions.rewrites, run.text, decisions.source, str(run.folder / "cleaned.txt"))
    for pid, change in list(changes.items()):  # a rewritten sentence's proposals give way to the rewrite
        over = next((r for r in outcome.rewritten if r.supersedes(change.proposal)), None)
        if over is not None:
            outcome.superseded.append((changes.pop(pid), over))
    outcome.superseded.sort(key=lambda pair: pair[0].proposal.start)
    ranks = {pid: change_rank(c) for pid, c in changes.items()}
    chosen, dropped = resolve_overlaps((c.as_edit for c in changes.values()), rank=lambda e: ranks[e.id])
    try:
        outcome.text = splice(run.text, [*chosen, *outcome.rewritten])
    except ValueError as exc:  # cannot happen for a run whose text hash matched
        raise InputError(decisions.source, str(exc)) from None
    outcome.applied = [changes[e.id] for e in chosen]
    outcome.overridden = [(changes[lose.id], changes[win.id]) for lose, win in dropped]
    outcome.overridden.sort(key=lambda pair: pair[0].proposal.start)
    return outcome


def _read_json(path: Path) -> Mapping:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
