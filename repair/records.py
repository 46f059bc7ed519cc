"""The typed records every stage of the pipeline reads and writes.

Stages pass these small, immutable values to each other instead of dicts, so that
each stage can be tested on its own and the JSON written for a run is one
`to_dict()` away from what the code used.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Literal

SCHEMA_VERSION = 1

ProposalKind = Literal["cleanup", "grammar", "reference", "flag", "word"]
PROPOSAL_KINDS: tuple[ProposalKind, ...] = ("cleanup", "grammar", "reference", "flag", "word")
NOTE_KINDS: tuple[ProposalKind, ...] = ("flag", "word")
"""Kinds that propose no edit: a flag for a person, an out-of-place word with alternatives."""


@dataclass(frozen=True)
class Sentence:
    """One sentence of a cleaned document: `text == document.text[start:end]`."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int


@dataclass(frozen=True)
class Document:
    """An article after loading and cleaning, with its sentences.

    `source` is the decoded file after unicode repair; `text` is the cleaned
    article every later stage works on and every span points into.
    """

    name: str
    path: str
    source: str
    text: str
    sentences: tuple[Sentence, ...] = ()

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing character `offset` of `text`, if any."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None


@dataclass(frozen=True)
class CleanupEdit:
    """One change made while cleaning: `source[source_start:source_end]` became
    `replacement`, which sits at `text[start:end]` of the cleaned article."""

    source_start: int
    source_end: int
    original: str
    replacement: str
    rule: str
    reason: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class GrammarMatch:
    """A LanguageTool finding, with its span in the cleaned article."""

    rule_id: str
    message: str
    category: str
    issue_type: str
    start: int
    end: int
    replacements: tuple[str, ...]
    sentence_index: int | None = None


@dataclass(frozen=True)
class Candidate:
    """A reference sentence that may say what a target sentence says."""

    document: str
    sentence_index: int
    text: str
    similarity: float


@dataclass(frozen=True)
class Alignment:
    """The best reference sentences for one target sentence, best first."""

    sentence_index: int
    candidates: tuple[Candidate, ...]
    supported: bool

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class Evidence:
    """Why a proposal is believed: a rule, a reference sentence, or both."""

    rule_id: str | None = None
    message: str | None = None
    reference_document: str | None = None
    reference_sentence_index: int | None = None
    reference_sentence: str | None = None
    similarity: float | None = None
    support: int | None = None
    note: str | None = None
    alternatives: tuple[tuple[str, float], ...] | None = None
    """An out-of-place word's alternatives with their language-model gains (log10), best first;
    written to JSON as [{"word", "gain"}, ...]."""
    lm_gain: float | None = None
    """For a word-level edit, the change of its sentence's mean log10 probability per word under the
    language model (after minus before; `repair.decide.second_opinion`), when the calibration uses it."""

    @classmethod
    def from_candidate(cls, candidate: Candidate | None, rule_id: str | None = None, **fields: object) -> Evidence:
        """The evidence of a reference-guided proposal: the aligned reference sentence it rests on."""
        if candidate is None:
            return cls(rule_id=rule_id, **fields)
        return cls(
            rule_id=rule_id,
            reference_document=candidate.document,
            reference_sentence_index=candidate.sentence_index,
            reference_sentence=candidate.text,
            similarity=candidate.similarity,
            **fields,
        )


@dataclass(frozen=True)
class Proposal:
    """One suggested change to the cleaned article.

    `original == text[start:end]`; applying the proposal puts `replacement`
    there. A flag proposes no edit (`replacement == original`). Cleanup
    proposals are already applied in the cleaned text (`applied=True`): for
    them `start:end` is where the replacement sits and `original` is what the
    source had.
    """

    id: str
    kind: ProposalKind
    sentence_index: int | None
    start: int
    end: int
    original: str
    replacement: str
    reason: str
    evidence: Evidence
    confidence: float
    applied: bool = False

    @property
    def is_edit(self) -> bool:
        return self.kind not in NOTE_KINDS and not self.applied and self.replacement != self.original

    def to_dict(self) -> dict:
        data = asdict(self)
        data["evidence"] = {k: v for k, v in data["evidence"].items() if v is not None}
        if "alternatives" in data["evidence"]:
            data["evidence"]["alternatives"] = [{"word": w, "gain": g} for w, g in self.evidence.alternatives]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Proposal:
        evidence = dict(data.get("evidence", {}))
        if evidence.get("alternatives") is not None:
            evidence["alternatives"] = tuple((a["word"], a["gain"]) for a in evidence["alternatives"])
        return cls(**{**data, "evidence": Evidence(**evidence)})


@dataclass(frozen=True)
class Decision:
    """An editor's verdict on one proposal: accept, reject, or edit (with text)."""

    proposal_id: str
    action: Literal["accept", "reject", "edit"]
    text: str | None = None
    by: str | None = None


@dataclass
class StageTimer:
    """Wall time per stage in seconds (rounded to ms), in the order the stages first ran."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = round(self.seconds.get(stage, 0.0) + seconds, 3)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as (more of) stage `name`, also when it raises."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)