"""Concept-level substitution between aligned sentences built differently.

`wording` compares two sentences between shared anchors; when the reference
says the same thing with its own sentence structure there are no anchors, yet
a word of the target often still has its counterpart there: "foreign
intervention" / "interference in the election". Here the content words of each
side that have no counterpart on the other (no shared lemma) are paired by the
model's embeddings of the single words: a target word and a reference word that
are each other's closest match, close enough (`MIN_WORD_SIMILARITY`), and that
fit the same slot (a shared part of speech and inflection, `lexicon.fits`)
make a proposal of the reference's word. Names (capitalised words), numbers and
quoted words are left alone. The evidence is thin (one word's vector), so
confidence stays low and the calibration on comparable dev data sets its level.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from repair.proposers.lexicon import fits, lemmas, tags
from repair.proposers.pairs import close_pairs, from_translation
from repair.proposers.quotes import quoted_spans
from repair.proposers.registry import ProposalContext, proposer
from repair.proposers.tokens import Token, tokenize
from repair.records import Alignment, Document, Evidence, Proposal

MIN_PAIR_SIMILARITY = 0.6
"""Only sentences this close (sentence embeddings) are taken to say the same thing."""
MIN_WORD_SIMILARITY = 0.55
MIN_WORD_LENGTH = 4
NEIGHBOURHOOD = 3
"""A pair of words counts only when a word next to the target's (this many tokens either side)
has its counterpart next to the reference's: the two stand in the same place of the statement."""


def _content(tokens: Sequence[Token], quotes) -> list[Token]:
    return [
        t for k, t in enumerate(tokens)
        if t.is_word and t.text.isalpha() and len(t.text) >= MIN_WORD_LENGTH and not t.is_closed_class
        and not (k > 0 and t.text[:1].isupper()) and not any(a <= t.start and t.end <= b for a, b, _ in quotes)
    ]


def _plural(word: str) -> bool:
    """A plural noun (lemminflect tags it NNS and never NN: "children", "protesters", not "advice")."""
    found = tags(word)
    if found:
        return "NNS" in found and "NN" not in found
    return word.casefold().endswith("s") and not word.casefold().endswith("ss")


def _same_place(word: Token, other: Token, t: Sequence[Token], r: Sequence[Token]) -> bool:
    """A content word within `NEIGHBOURHOOD` tokens of `word` shares a lemma with one near `other`."""
    def near(tokens, token):
        k = next(n for n, x in enumerate(tokens) if x is token)
        return [x for x in tokens[max(0, k - NEIGHBOURHOOD) : k + NEIGHBOURHOOD + 1]
                if x is not token and x.is_word and not x.is_closed_class]
    around = set().union(*(lemmas(y.text) for y in near(r, other))) if near(r, other) else set()
    return any(lemmas(x.text) & around for x in near(t, word))


def _unmatched(words: Sequence[Token], other: Sequence[Token]) -> list[Token]:
    other_lemmas = set().union(*(lemmas(o.text) for o in other)) if other else set()
    return [w for w in words if not lemmas(w.text) & other_lemmas]


def concept_proposals(
    target: Document, alignments: Sequence[Alignment], embed: Callable[[list[str]], np.ndarray]
) -> list[Proposal]:
    pairs = []
    for sentence, best in close_pairs(target, alignments, MIN_PAIR_SIMILARITY, skip_copies=True):
        t = tokenize(sentence.text, sentence.start)
        r = tokenize(best.text)
        t_all, r_all = [x for x in t if x.is_word], [y for y in r if y.is_word]
        t_words = _unmatched(_content(t, quoted_spans(sentence.text, sentence.start)), r_all)
        r_words = _unmatched(_content(r, quoted_spans(best.text)), t_all)
        if t_words and r_words:
            pairs.append((sentence.index, best, t_words, r_words, t, r))
    if not pairs:
        return []
    words = sorted({w.text.casefold() for _, _, t_words, r_words, _, _ in pairs for w in t_words + r_words})
    vectors = dict(zip(words, embed(words)))
    proposals = []
    for index, best, t_words, r_words, t, r in pairs:
        a = np.stack([vectors[w.text.casefold()] for w in t_words])
        b = np.stack([vectors[w.text.casefold()] for w in r_words])
        similarity = a @ b.T
        for i, word in enumerate(t_words):
            j = int(similarity[i].argmax())
            score = float(similarity[i, j])
            if score < MIN_WORD_SIMILARITY or int(similarity[:, j].argmax()) != i:
                continue  # not close enough, or not each other's closest
            other = r_words[j].text
            if not fits(word.text, other) or _plural(word.text) != _plural(other):
                continue
            if NEIGHBOURHOOD and not _same_place(word, r_words[j], t, r):
                continue
            replacement = other[:1].upper() + other[1:] if word.text[:1].isupper() else other.casefold() if other[:1].isupper() else other
            proposals.append(
                Proposal(
                    id="",
                    kind="reference",
                    sentence_index=index,
                    start=word.start,
                    end=word.end,
                    original=word.text,
                    replacement=replacement,
                    reason=f"the aligned reference sentence, built differently, says “{other}” for this",
                    evidence=Evidence.from_candidate(best, "reference:concept", note=f"word similarity {score:.2f}"),
                    confidence=round(min(0.2 + 0.5 * (score - MIN_WORD_SIMILARITY), 0.45), 2),
                )
            )
    return proposals


@proposer("concepts", needs_references=True)
def propose_concepts(context: ProposalContext) -> list[Proposal]:
    if from_translation(context):
        return []
    return concept_proposals(context.target, context.alignments, context.embed)
