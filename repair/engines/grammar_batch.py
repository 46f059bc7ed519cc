"""The second request planner of the grammar checker: many short texts (the
lines of a corpus) in few LanguageTool requests.

Lines are packed into requests of up to `max_chars` characters, separated by
blank lines so LanguageTool treats each as its own paragraph; the requests go
out in parallel and each match is mapped back to the line it sits in. A match
that crosses a line boundary cannot be mapped and is dropped. A request that
still fails after the checker's retries leaves its lines unchecked, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from repair.engines.grammar import GrammarChecker, known_spelling, to_grammar_match
from repair.records import GrammarMatch

SEPARATOR = "\n\n"


@dataclass
class BatchResult:
    """Matches per text (offsets into that text), and the texts left unchecked."""

    matches: list[list[GrammarMatch]]
    skipped: list[int] = field(default_factory=list)
    requests: int = 0


def pack(texts: Sequence[str], max_chars: int) -> list[list[int]]:
    """Indices of non-empty texts grouped into requests of at most `max_chars` characters
    (a longer text goes alone)."""
    batches: list[list[int]] = []
    size = 0
    for i, text in enumerate(texts):
        if not text.strip():
            continue
        cost = len(text) + len(SEPARATOR)
        if not batches or size + cost > max_chars:
            batches.append([])
            size = 0
        batches[-1].append(i)
        size += cost
    return batches


def check_texts(
    checker: GrammarChecker,
    texts: Sequence[str],
    known_words: frozenset[str] = frozenset(),
    max_chars: int = 20000,
) -> BatchResult:
    """LanguageTool matches for every text; spelling alarms on `known_words` dropped."""
    batches = pack(texts, max_chars)
    results = zip(batches, checker.send([SEPARATOR.join(texts[i] for i in batch) for batch in batches],
                                        [f"{len(batch)} lines" for batch in batches]))

    matches: list[list[GrammarMatch]] = [[] for _ in texts]
    skipped: list[int] = []
    for batch, found in results:
        if found is None:
            skipped.extend(batch)
            continue
        starts = []
        offset = 0
        for i in batch:
            starts.append(offset)
            offset += len(texts[i]) + len(SEPARATOR)
        for match in found:
            place = _locate(match.offset, match.error_length, batch, starts, texts)
            if place is None:
                continue
            line, start = place
            converted = to_grammar_match(match, start, 0)
            if not known_spelling(converted, texts[line], known_words):
                matches[line].append(converted)
    for found in matches:
        found.sort(key=lambda m: (m.start, m.end))
    return BatchResult(matches, sorted(skipped), len(batches))


def _locate(offset: int, length: int, batch: list[int], starts: list[int], texts: Sequence[str]) -> tuple[int, int] | None:
    for i, start in zip(reversed(batch), reversed(starts)):
        if offset >= start:
            local = offset - start
            if local + length <= len(texts[i]) and length > 0:
                return i, local
            return None
    return None
