"""Restore quoted words from the reference's wording.

A quotation is what someone said, so when the awkward article quotes a word or
a short phrase that the aligned reference sentence quotes differently but with
close meaning (“murder” where the reference has “killer”), the reference's
wording is proposed. Only short quotes are compared: long quoted sentences are
left to phrase-level repair.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from repair.records import Alignment, Document, Evidence, Proposal
from repair.proposers.registry import ProposalContext, proposer

_QUOTE = re.compile(r"“([^“”\n]+)”|\"([^\"\n]+)\"")
_EDGE = " \t.,;:!?…'’"
MAX_QUOTE_WORDS = 4
MIN_QUOTE_SIMILARITY = 0.55


def quoted_spans(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """(start, end, words) of each quotation's words, without edge punctuation."""
    spans = []
    for match in _QUOTE.finditer(text):
        group = 1 if match.group(1) is not None else 2
        a, b = match.span(group)
        inner = text[a:b]
        lead = len(inner) - len(inner.lstrip(_EDGE))
        trail = len(inner) - len(inner.rstrip(_EDGE))
        words = inner[lead : len(inner) - trail]
        if words:
            spans.append((offset + a + lead, offset + b - trail, words))
    return spans


def _normal(words: str) -> str:
    return " ".join(words.casefold().replace("’", "'").split())


def quote_proposals(
    target: Document,
    alignments: Sequence[Alignment],
    references: Mapping[str, Document],
    embed: Callable[[list[str]], np.ndarray],
    min_alignment: float,
) -> list[Proposal]:
    reference_quotes = {
        _normal(words) for doc in references.values() for _, _, words in quoted_spans(doc.text)
    }
    pairs = []  # (target quote span, reference quote words, candidate)
    for alignment in alignments:
        sentence = target.sentences[alignment.sentence_index]
        for start, end, words in quoted_spans(sentence.text, sentence.start):
            n = len(words.split())
            if n > MAX_QUOTE_WORDS or _normal(words) in reference_quotes:
                continue
            for candidate in alignment.candidates:
                if candidate.similarity < min_alignment:
                    continue
                for _, _, ref_words in quoted_spans(candidate.text):
                    m = len(ref_words.split())
                    if m <= MAX_QUOTE_WORDS and abs(m - n) <= 1:
                        pairs.append(((start, end, words, alignment.sentence_index), ref_words, candidate))
    if not pairs:
        return []
    phrases = sorted({p[0][2] for p in pairs} | {p[1] for p in pairs})
    vectors = dict(zip(phrases, embed(phrases)))
    best: dict[tuple[int, int], tuple[float, str, object, int]] = {}
    for (start, end, words, index), ref_words, candidate in pairs:
        score = float(vectors[words] @ vectors[ref_words])
        if score >= MIN_QUOTE_SIMILARITY and score > best.get((start, end), (-1.0,))[0]:
            best[(start, end)] = (score, ref_words, candidate, index)
    proposals = []
    for (start, end), (score, ref_words, candidate, index) in sorted(best.items()):
        support = sum(1 for doc in references.values() for _, _, w in quoted_spans(doc.text) if _normal(w) == _normal(ref_words))
        confidence = 0.35 + 0.5 * score + 0.2 * (candidate.similarity - min_alignment) + 0.03 * (support - 1)
        proposals.append(
            Proposal(
                id="",
                kind="reference",
                sentence_index=index,
                start=start,
                end=end,
                original=target.text[start:end],
                replacement=ref_words,
                reason=f"the aligned reference sentence quotes “{ref_words}” where this quote reads “{target.text[start:end]}”",
                evidence=Evidence.from_candidate(
                    candidate,
                    "reference:quote",
                    support=support,
                    note=f"quote similarity {score:.2f}",
                ),
                confidence=round(min(confidence, 0.95), 2),
            )
        )
    return proposals


@proposer("quotes", needs_references=True)
def propose_quotes(context: ProposalContext) -> list[Proposal]:
    return quote_proposals(context.target, context.alignments, context.references, context.embed, context.min_alignment)
