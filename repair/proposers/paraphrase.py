"""A mangled clause replaced by its counterpart in a close reference sentence.

When a target sentence and its aligned reference sentence say the same thing
(sentence embeddings close) but are not near-copies (`copies` handles those),
one clause of the target may still have a clear paraphrase in the reference:
"called out the minister's murder" / "called the minister a killer". Both
sentences are cut into clauses (at commas, semicolons, colons, dashes and
"and" / "but"); a target clause and a reference clause that are each other's
closest (clause embeddings, at least `MIN_CLAUSE_SIMILARITY`) and carry the
same facts (numbers, names, dates: `facts.facts`) make a proposal of the
reference clause. Clauses with quotation marks are left to `quotes`. A whole
clause is a big edit on thin evidence: confidence stays low, for the reviewer,
unless the comparable dev data says otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from repair.decide import facts as fact_words  # the module, not its names: facts.py imports the proposers' tokens
from repair.proposers.copies import MIN_COPY_RATIO, copy_ratio
from repair.proposers.pairs import close_pairs, from_translation
from repair.proposers.registry import ProposalContext, proposer
from repair.records import Alignment, Document, Evidence, Proposal

MIN_PAIR_SIMILARITY = 0.65
MIN_CLAUSE_SIMILARITY = 0.75
MIN_WORDS, MAX_WORDS = 3, 16
_BOUNDARY = re.compile(r"\s*[,;:—–]\s*|\s+(?:and|but)\s+|[.!?]+\s*$")
RELATIVE_WORDS = frozenset({"which", "who", "whose", "whom", "that", "where", "when", "while"})
"""A clause opening with one of these hangs on a word before it; it only stands in for another such clause."""
_QUOTE_MARK = re.compile("[\"“”«»‘]")  # not ’ and ': apostrophes


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str


def clauses(text: str, offset: int = 0) -> list[Clause]:
    """The clauses of a sentence, with offsets, without the punctuation or conjunction between them."""
    out, last = [], 0
    for match in [*_BOUNDARY.finditer(text), None]:
        start, stop = (match.start(), match.end()) if match else (len(text), len(text))
        piece = text[last:start]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            out.append(Clause(offset + last + lead, offset + last + lead + len(piece), piece))
        last = stop
    return out


def _usable(clause: Clause) -> bool:
    return MIN_WORDS <= len(clause.text.split()) <= MAX_WORDS and not _QUOTE_MARK.search(clause.text)


def _opens_relative(text: str) -> bool:
    return text.split()[0].casefold() in RELATIVE_WORDS


def _fact_values(text: str, opens: bool) -> Counter:
    return Counter((f.kind, f.value) for f in fact_words.facts(text, starts_sentence=opens))


def paraphrase_proposals(
    target: Document, alignments: Sequence[Alignment], embed: Callable[[list[str]], np.ndarray]
) -> list[Proposal]:
    pairs = []
    for sentence, best in close_pairs(target, alignments, MIN_PAIR_SIMILARITY, skip_copies=True):
        t = [c for c in clauses(sentence.text, sentence.start) if _usable(c)]
        r = [c for c in clauses(best.text) if _usable(c)]
        if t and r:
            pairs.append((sentence, best, t, r))
    if not pairs:
        return []
    texts = sorted({c.text for _, _, t, r in pairs for c in t + r})
    vectors = dict(zip(texts, embed(texts)))
    proposals = []
    for sentence, best, t, r in pairs:
        similarity = np.stack([vectors[c.text] for c in t]) @ np.stack([vectors[c.text] for c in r]).T
        for i, clause in enumerate(t):
            j = int(similarity[i].argmax())
            score = float(similarity[i, j])
            if score < MIN_CLAUSE_SIMILARITY or int(similarity[:, j].argmax()) != i:
                continue
            other = r[j]
            if _opens_relative(clause.text) != _opens_relative(other.text):
                continue  # a relative clause and a main clause are not interchangeable
            opens_t, opens_r = clause.start == sentence.start, other.start == 0
            replacement = other.text
            if opens_t != opens_r:  # the clause moves to or from the sentence's opening: its first letter follows
                first = replacement.split()[0]
                if not _fact_values(first, False):  # not a name
                    replacement = (replacement[:1].upper() if opens_t else replacement[:1].lower()) + replacement[1:]
            if replacement == clause.text or copy_ratio(replacement, clause.text) >= MIN_COPY_RATIO:
                continue  # the same or nearly: `wording` and `phrases` handle small differences
            if _fact_values(clause.text, opens_t) != _fact_values(replacement, opens_t):
                continue  # a different number, name or date is another fact, not a paraphrase
            proposals.append(
                Proposal(
                    id="",
                    kind="reference",
                    sentence_index=sentence.index,
                    start=clause.start,
                    end=clause.end,
                    original=clause.text,
                    replacement=replacement,
                    reason=f"a close reference sentence says this clause as “{other.text}”",
                    evidence=Evidence.from_candidate(best, "reference:paraphrase", note=f"clause similarity {score:.2f}"),
                    confidence=round(min(0.2 + (score - MIN_CLAUSE_SIMILARITY), 0.4), 2),
                )
            )
    return proposals


@proposer("paraphrase", needs_references=True)
def propose_paraphrase(context: ProposalContext) -> list[Proposal]:
    if from_translation(context):
        return []
    return paraphrase_proposals(context.target, context.alignments, context.embed)
