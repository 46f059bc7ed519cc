"""Targeted substitutions: the reference's wording for one slot of a right sentence.

Inside each aligned sentence pair the words are aligned (the longest common
token runs, as difflib finds them); a short stretch of the target that differs
from the reference between two aligned anchors is a *slot*. When the
reference fills the slot with a close-in-meaning phrase (n-gram phrase
embeddings), its wording is proposed: a wrong sense ("murder" for "killer"),
a near-synonym wrong in context ("drastically withdrawn" / "pulled"). When
both fillers are capitalised and spelled alike, it is a name spelled the
reference's way. Numbers are never edited here (they are flagged elsewhere),
punctuation-only differences are style, and a slot whose words the reference
uses elsewhere in the sentence is word order, not wording.

Confidence starts from the evidence (phrase similarity, how many reference
sentences use the wording, whether LanguageTool flags the original, whether the
original is a rarer word than the replacement) and is then calibrated on dev
data (see `calibration`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
from wordfreq import zipf_frequency

from repair.records import Alignment, Candidate, Document, Evidence, GrammarMatch, Proposal
from repair.alignment.reference_type import ReferenceType
from repair.proposers.tokens import Token, tokenize
from repair.proposers.registry import ProposalContext, proposer

_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-Za-z]\.)+[A-Za-z]$")
MAX_SLOT = 3
"""At most this many tokens on either side of a slot."""
MIN_PAIR_SIMILARITY = 0.6
"""Sentence pairs less similar than this are not compared word by word."""
MIN_PHRASE_SIMILARITY = 0.5
MIN_NAME_RATIO = 0.75


@dataclass(frozen=True)
class Slot:
    """One differing stretch of an aligned sentence pair."""

    sentence_index: int
    start: int
    end: int
    original: str
    replacement: str
    candidate: Candidate
    name_like: bool
    name_ratio: float


def find_slots(target: Document, alignments: Sequence[Alignment], translation: bool) -> list[Slot]:
    """Differing stretches between anchors, for every sentence and its best reference sentence."""
    slots = []
    for alignment in alignments:
        best = alignment.best
        if best is None or best.similarity < MIN_PAIR_SIMILARITY:
            continue
        sentence = target.sentences[alignment.sentence_index]
        t = tokenize(sentence.text, sentence.start)
        r = tokenize(best.text)
        opcodes = SequenceMatcher(None, [x.key for x in t], [y.key for y in r], autojunk=False).get_opcodes()
        for k, (op, i1, i2, j1, j2) in enumerate(opcodes):
            if op != "replace" or not (i2 - i1 <= MAX_SLOT and j2 - j1 <= MAX_SLOT):
                continue
            left = (k > 0 and opcodes[k - 1][0] == "equal") or (translation and i1 == 0 and j1 == 0)
            right = (k + 1 < len(opcodes) and opcodes[k + 1][0] == "equal") or (translation and i2 == len(t) and j2 == len(r))
            if not (left and right):
                continue
            x, y = t[i1:i2], r[j1:j2]
            if not _eligible(x, y, t, r, i1, i2, j1, j2):
                continue
            original = target.text[x[0].start : _abbreviation_end(target.text, x[-1].end)]
            replacement = best.text[y[0].start : _abbreviation_end(best.text, y[-1].end)]
            ratio = SequenceMatcher(None, original.casefold(), replacement.casefold()).ratio()
            name_like = i1 > 0 and all(w.text[:1].isupper() for w in x + y if w.is_word) and ratio >= MIN_NAME_RATIO
            start = x[0].start
            slots.append(Slot(sentence.index, start, start + len(original), original, replacement, best, name_like, ratio))
    return slots


def _abbreviation_end(text: str, end: int) -> int:
    """Take in the final period of an abbreviation (U.S.), which the tokenizer leaves out."""
    if text[end : end + 1] == "." and _ABBREVIATION.search(text[:end]):
        return end + 1
    return end


def _eligible(x: list[Token], y: list[Token], t, r, i1, i2, j1, j2) -> bool:
    words = [w for w in x + y if w.is_word]
    if not words or any(ch.isdigit() for w in x + y for ch in w.text):
        return False  # punctuation is style; numbers are flagged, never edited
    if any(w.text in "“”\"«»" for w in x + y):
        return False  # quotes are the quote proposer's
    moved = {w.key for w in x if w.is_word} & {w.key for k, w in enumerate(r) if not j1 <= k < j2}
    return not moved


def wording_proposals(
    target: Document,
    alignments: Sequence[Alignment],
    references: Mapping[str, Document],
    embed: Callable[[list[str]], np.ndarray],
    grammar: Sequence[GrammarMatch] = (),
    reference_type: ReferenceType | None = None,
) -> list[Proposal]:
    translation = bool(reference_type and reference_type.is_translation)
    slots = find_slots(target, alignments, translation)
    if not slots:
        return []
    phrases = sorted({s.original for s in slots} | {s.replacement for s in slots})
    vectors = dict(zip(phrases, embed(phrases)))
    reference_text = " ".join(doc.text.casefold() for doc in references.values())
    proposals = []
    for slot in slots:
        similarity = float(vectors[slot.original] @ vectors[slot.replacement])
        if not slot.name_like and similarity < MIN_PHRASE_SIMILARITY:
            continue
        support = max(1, reference_text.count(slot.replacement.casefold()))
        flagged = any(m.start < slot.end and slot.start < m.end for m in grammar)
        rarer = _zipf(slot.original) < _zipf(slot.replacement) - 1.0
        if slot.name_like:
            rule, how = "reference:name", f"the reference spells this name “{slot.replacement}”"
            confidence = 0.3 + 0.3 * slot.name_ratio
        else:
            rule, how = "reference:wording", f"the aligned reference sentence says “{slot.replacement}” in this place"
            confidence = 0.1 + 0.35 * similarity
        confidence += 0.1 * flagged + 0.1 * rarer + 0.03 * min(support - 1, 3)
        notes = [f"phrase similarity {similarity:.2f}"]
        if flagged:
            notes.append("LanguageTool flags the original")
        if rarer:
            notes.append("the original is a much rarer word")
        proposals.append(
            Proposal(
                id="",
                kind="reference",
                sentence_index=slot.sentence_index,
                start=slot.start,
                end=slot.end,
                original=slot.original,
                replacement=slot.replacement,
                reason=how,
                evidence=Evidence.from_candidate(
                    slot.candidate,
                    rule,
                    support=support,
                    note="; ".join(notes),
                ),
                confidence=round(min(confidence, 0.9), 2),
            )
        )
    return proposals


def _zipf(phrase: str) -> float:
    words = [w for w in phrase.split() if any(ch.isalpha() for ch in w)]
    return min((zipf_frequency(w, "en") for w in words), default=0.0)


@proposer("wording", needs_references=True)
def propose_wording(context: ProposalContext) -> list[Proposal]:
    return wording_proposals(
        context.target, context.alignments, context.references, context.embed, context.grammar, context.reference_type
    )
