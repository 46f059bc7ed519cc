"""Substitute a phrase with the reference's wording for the same slot.

Two phrases fill the same slot when they start and end on the same content
words ("pay the price" / "pay a price"). If only closed-class words differ
between them, the reference's wording is proposed with moderate confidence;
if the target has extra content words that the reference does without ("pay
the Washington / Moscow price"), it is proposed with low confidence, for the
reviewer. Quoted speech gets more confidence: a quote must match its source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from repair.records import Alignment, Document, Evidence, Proposal
from repair.proposers.quotes import quoted_spans
from repair.proposers.registry import ProposalContext, proposer
from repair.proposers.tokens import Token, tokenize

MAX_GAP = 5  # at most this many tokens between the two anchors


def _is_anchor(token: Token) -> bool:
    return token.is_word and not token.is_closed_class and len(token.text) > 2


def _slots(tokens: list[Token]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(first anchor, last anchor) -> [(i, j)] token index pairs with a gap between."""
    slots: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for i, first in enumerate(tokens):
        if not _is_anchor(first):
            continue
        for j in range(i + 2, min(i + MAX_GAP + 2, len(tokens))):
            if _is_anchor(tokens[j]):
                slots.setdefault((first.key, tokens[j].key), []).append((i, j))
    return slots


def phrase_proposals(
    target: Document,
    alignments: Sequence[Alignment],
    references: Mapping[str, Document],
    min_alignment: float,
) -> list[Proposal]:
    reference_text = " ".join(doc.text.casefold() for doc in references.values())
    found: dict[tuple[int, int], Proposal] = {}
    for alignment in alignments:
        sentence = target.sentences[alignment.sentence_index]
        t_tokens = tokenize(sentence.text, sentence.start)
        t_slots = _slots(t_tokens)
        quotes = quoted_spans(sentence.text, sentence.start)
        for candidate in alignment.candidates:
            if candidate.similarity < min_alignment:
                continue
            r_tokens = tokenize(candidate.text)
            for key, r_pairs in _slots(r_tokens).items():
                for i, j in t_slots.get(key, []):
                    for p, q in r_pairs:
                        proposal = _compare(target, sentence.index, t_tokens, i, j, candidate, r_tokens, p, q, quotes, reference_text, min_alignment)
                        if proposal and proposal.confidence > getattr(found.get((proposal.start, proposal.end)), "confidence", -1):
                            found[(proposal.start, proposal.end)] = proposal
    return sorted(found.values(), key=lambda p: p.start)


def _compare(target, index, t_tokens, i, j, candidate, r_tokens, p, q, quotes, reference_text, min_alignment):
    t_mid = [t.key for t in t_tokens[i + 1 : j]]
    r_mid = [t.key for t in r_tokens[p + 1 : q]]
    if t_mid == r_mid:
        return None
    start, end = t_tokens[i].start, t_tokens[j].end
    original = target.text[start:end]
    if original.casefold() in reference_text:  # the reference uses this wording too
        return None
    r_words = [t for t in r_tokens[p + 1 : q]]
    if not all(t.is_closed_class for t in r_words):
        return None
    t_words = t_tokens[i + 1 : j]
    if all(t.is_closed_class for t in t_words):
        confidence, how = 0.5, "only function words differ"
    elif len(t_words) > len(r_words):
        confidence, how = 0.3, "the reference says it without the extra words"
    else:
        return None
    middle = candidate.text[r_tokens[p].end : r_tokens[q].start]
    replacement = t_tokens[i].text + middle + t_tokens[j].text
    if replacement == original:
        return None
    reference_phrase = candidate.text[r_tokens[p].start : r_tokens[q].end]
    support = reference_text.count(reference_phrase.casefold())
    in_quote = any(a <= start and end <= b for a, b, _ in quotes)
    ref_quoted = any(a <= r_tokens[p].start and r_tokens[q].end <= b for a, b, _ in quoted_spans(candidate.text))
    confidence += 0.15 * in_quote + 0.1 * ref_quoted + 0.3 * (candidate.similarity - min_alignment) + 0.03 * (support - 1)
    return Proposal(
        id="",
        kind="reference",
        sentence_index=index,
        start=start,
        end=end,
        original=original,
        replacement=replacement,
        reason=f"the aligned reference sentence says “{reference_phrase}” for the same slot ({how})",
        evidence=Evidence.from_candidate(
            candidate,
            "reference:phrase",
            support=support,
            note="quoted speech" if in_quote else None,
        ),
        confidence=round(min(confidence, 0.9), 2),
    )


@proposer("phrases", needs_references=True)
def propose_phrases(context: ProposalContext) -> list[Proposal]:
    return phrase_proposals(context.target, context.alignments, context.references, context.min_alignment)
