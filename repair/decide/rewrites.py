"""Sentence rewrites: an editor's own wording for a whole sentence.

On the review page an editor can rewrite any sentence in place, with or without
proposals, usually starting from one of its best reference sentences ("use
this"). A rewrite names the sentence by its index in the segmentation of
`cleaned.txt` (the same `split_sentences` the run used, so the index is the one
the page shows) and carries the sentence's text as the page showed it: a
rewrite of a sentence that does not exist, or whose text is not that text any
more, is refused whole, like any other bad decision.

A rewrite replaces its sentence whole, so the proposals in that sentence are
superseded: their decisions stay in the file (withdrawing the rewrite brings
them back) but are not applied, and `changes.md` lists the accepted or edited
ones under "Superseded". A proposal belongs to a rewritten sentence when its span
overlaps the sentence's span (an insertion: lies within it, ends included).
The reference sentence the rewrite started from is kept as its evidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from repair.errors import InputError
from repair.records import Proposal

MAX_REWRITE_CHARS = 20_000
"""Longest text an editor may put in place of one sentence (as for an edit)."""

_REWRITE_KEYS = {"sentence_index", "original", "text", "reference", "by"}
_REFERENCE_KEYS = {"document", "sentence_index", "text", "similarity"}


@dataclass(frozen=True)
class ReferenceUsed:
    """The reference sentence a rewrite started from: its evidence."""

    document: str
    sentence_index: int
    text: str
    similarity: float | None = None

    def to_dict(self) -> dict:
        data = {"document": self.document, "sentence_index": self.sentence_index, "text": self.text}
        return data if self.similarity is None else {**data, "similarity": self.similarity}


@dataclass(frozen=True)
class Rewrite:
    """An editor's text for sentence `sentence_index`, whose text was `original`."""

    sentence_index: int
    original: str
    text: str
    reference: ReferenceUsed | None = None
    by: str | None = None

    def to_dict(self) -> dict:
        data: dict = {"sentence_index": self.sentence_index, "original": self.original, "text": self.text}
        if self.reference is not None:
            data["reference"] = self.reference.to_dict()
        if self.by is not None:
            data["by"] = self.by
        return data


@dataclass(frozen=True)
class PlacedRewrite:
    """A rewrite with its sentence's span in the cleaned text; splices like an edit."""

    rewrite: Rewrite
    start: int
    end: int

    @property
    def id(self) -> str:
        return f"sentence {self.rewrite.sentence_index + 1}"

    @property
    def original(self) -> str:
        return self.rewrite.original

    @property
    def replacement(self) -> str:
        return self.rewrite.text

    def supersedes(self, proposal: Proposal) -> bool:
        """True when `proposal` lies in (overlaps) this rewritten sentence."""
        if proposal.start == proposal.end:
            return self.start <= proposal.start <= self.end
        return proposal.start < self.end and self.start < proposal.end


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_rewrites(items: object, bad: Callable[[str], InputError]) -> tuple[Rewrite, ...]:
    """Check the shape of a decisions file's `rewrites` list; raise `bad(problem)` if wrong."""
    if not isinstance(items, list):
        raise bad("rewrites is not a list")
    rewrites = []
    seen: set[int] = set()
    for n, item in enumerate(items, 1):
        where = f"rewrite {n}"
        if not isinstance(item, dict):
            raise bad(f"{where} is not an object")
        unknown = sorted(set(item) - _REWRITE_KEYS)
        if unknown:
            raise bad(f"{where} has an unknown field {unknown[0]!r}")
        index, original, text = item.get("sentence_index"), item.get("original"), item.get("text")
        if not _is_int(index) or index < 0:
            raise bad(f"{where} has no sentence_index (a sentence number from 0)")
        where = f"{where} (sentence {index + 1})"
        if not isinstance(original, str) or not original:
            raise bad(f"{where} has no original: the sentence's text when the report was made")
        if not isinstance(text, str):
            raise bad(f"{where} has no text: the editor's wording")
        if len(text) > MAX_REWRITE_CHARS:
            raise bad(f"{where}: the text is longer than {MAX_REWRITE_CHARS:,} characters")
        if index in seen:
            raise bad(f"sentence {index + 1} is rewritten twice")
        seen.add(index)
        by = item.get("by")
        reference = _parse_reference(item.get("reference"), where, bad)
        rewrites.append(Rewrite(index, original, text, reference, by if isinstance(by, str) else None))
    return tuple(rewrites)


def _parse_reference(data: object, where: str, bad: Callable[[str], InputError]) -> ReferenceUsed | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise bad(f"{where}: reference is not an object")
    unknown = sorted(set(data) - _REFERENCE_KEYS)
    if unknown:
        raise bad(f"{where}: reference has an unknown field {unknown[0]!r}")
    document, index, text, similarity = (data.get(k) for k in ("document", "sentence_index", "text", "similarity"))
    if not isinstance(document, str) or not document or not _is_int(index) or index < 0 or not isinstance(text, str):
        raise bad(f"{where}: reference needs document, sentence_index (from 0) and text")
    if len(text) > MAX_REWRITE_CHARS:
        raise bad(f"{where}: the reference text is longer than {MAX_REWRITE_CHARS:,} characters")
    if similarity is not None and (not isinstance(similarity, (int, float)) or isinstance(similarity, bool)
                                   or not math.isfinite(similarity)):
        raise bad(f"{where}: reference similarity is not a number")
    return ReferenceUsed(document, index, text, None if similarity is None else float(similarity))


def _short(text: str, limit: int = 60) -> str:
    """A one-line excerpt for a message."""
    one = " ".join(text.split())
    return repr(one if len(one) <= limit else one[: limit - 1] + "…")


def place_rewrites(rewrites: Sequence[Rewrite], text: str, source: str, where: str) -> list[PlacedRewrite]:
    """Find each rewritten sentence in `text` (cleaned.txt, named `where`); refuse
    a sentence that does not exist or whose text changed since the report."""
    if not rewrites:
        return []
    from repair.text.segment import split_sentences

    sentences = split_sentences(text)
    placed = []
    for r in rewrites:
        if r.sentence_index >= len(sentences):
            raise InputError(source, f"rewrites sentence {r.sentence_index + 1}, but {where} has only {len(sentences):,} sentences")
        s = sentences[r.sentence_index]
        if s.text != r.original:
            raise InputError(source, f"rewrites sentence {r.sentence_index + 1} as it read {_short(r.original)}, but in {where} "
                                     f"it now reads {_short(s.text)}; the text changed since the report was made")
        placed.append(PlacedRewrite(r, s.start, s.end))
    return sorted(placed, key=lambda p: p.start)
