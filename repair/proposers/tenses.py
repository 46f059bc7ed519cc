"""Tense and modality of reported speech, from a reference reporting the same statement.

When a target sentence and its aligned reference sentence both report what
someone said (a reporting verb or a quotation in each) and both put a modal in
front of the same verb, the modal is part of what was said: "should pay" where
the reference reports "would pay" is the translation's guess at the speaker's
mood, the reference's is another outlet's reading of the same words. The
reference's modal is proposed for the target's, nothing else of the verb
group. Likewise a reporting verb in the present ("says") that the reference
reports in the past ("said") after the same word gets the reference's tense.
Both are narrow on purpose: the two sentences must be close (`MIN_PAIR_SIMILARITY`),
negation must agree, and a modal inside a quotation is changed only by a
quotation of the reference (direct speech keeps its own tense).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from repair.proposers.lexicon import lemmas, tags
from repair.proposers.pairs import close_pairs, from_translation
from repair.proposers.quotes import quoted_spans
from repair.proposers.registry import ProposalContext, proposer
from repair.proposers.tokens import Token, tokenize
from repair.records import Alignment, Candidate, Document, Evidence, Proposal

MODALS = frozenset({"will", "would", "should", "shall", "can", "could", "may", "might", "must"})
REPORTING_LEMMAS = frozenset(
    {"say", "tell", "add", "state", "warn", "announce", "claim", "insist", "argue", "explain", "note", "stress",
     "declare", "write", "vow", "promise", "threaten", "urge", "believe", "think", "report", "accuse"}
)
MIN_PAIR_SIMILARITY = 0.55
_NEGATION = frozenset({"not", "n't", "never"})
_QUOTE_MARK = re.compile("[\"“”«»]")


def reports_speech(tokens: Sequence[Token], text: str) -> bool:
    """A reporting verb or a quotation: the sentence tells what someone said."""
    return bool(_QUOTE_MARK.search(text)) or any(t.is_word and lemmas(t.text) & REPORTING_LEMMAS for t in tokens)


def _modal_groups(tokens: Sequence[Token]) -> list[tuple[int, int, bool]]:
    """(modal index, verb index, negated) for each modal followed by a verb (after an optional negation)."""
    groups = []
    for i, token in enumerate(tokens):
        if token.key not in MODALS:
            continue
        j = i + 1
        negated = j < len(tokens) and tokens[j].key in _NEGATION
        j += negated
        j += j < len(tokens) and bool(_QUOTE_MARK.fullmatch(tokens[j].text))  # would “pay a price”
        if j < len(tokens) and tokens[j].is_word and tokens[j].key not in MODALS and "VB" in tags(tokens[j].text):
            groups.append((i, j, negated))
    return groups


def _in_quote(token: Token, quotes) -> bool:
    return any(a <= token.start and token.end <= b for a, b, _ in quotes)


def tense_proposals(target: Document, alignments: Sequence[Alignment]) -> list[Proposal]:
    proposals = []
    for sentence, best in close_pairs(target, alignments, MIN_PAIR_SIMILARITY):
        t = tokenize(sentence.text, sentence.start)
        r = tokenize(best.text)
        if not (reports_speech(t, sentence.text) and reports_speech(r, best.text)):
            continue
        proposals += _modal_changes(sentence.index, sentence.text, sentence.start, t, best, r)
        proposals += _reporting_tense(sentence.index, t, best, r)
    return proposals


def _modal_changes(index: int, text: str, offset: int, t, best: Candidate, r) -> list[Proposal]:
    t_quotes, r_quotes = quoted_spans(text, offset), quoted_spans(best.text)
    r_groups = _modal_groups(r)
    out = []
    for i, j, negated in _modal_groups(t):
        verb = lemmas(t[j].text)
        matches = {r[p].key for p, q, neg in r_groups
                   if neg == negated and lemmas(r[q].text) & verb and _in_quote(r[p], r_quotes) == _in_quote(t[i], t_quotes)}
        if len(matches) != 1 or t[i].key in matches:
            continue  # the reference agrees, says it two ways, or has no such verb group
        modal = next(iter(matches))
        replacement = modal.capitalize() if t[i].text[:1].isupper() else modal
        out.append(_proposal(index, t[i], replacement, best, f"the reference reports this as “{modal} {r_verb(r, r_groups, verb)}”",
                             "modal of reported speech", 0.35))
    return out


def r_verb(r, groups, verb) -> str:
    return next(r[q].text for p, q, _ in groups if lemmas(r[q].text) & verb)


def _reporting_tense(index: int, t, best: Candidate, r) -> list[Proposal]:
    """A present reporting verb ("says") that the reference gives in the past after the same word."""
    out = []
    for k, token in enumerate(t):
        if k == 0 or not token.is_word or not (lemmas(token.text) & REPORTING_LEMMAS) or not ({"VBZ", "VBP"} & tags(token.text)):
            continue
        for m, other in enumerate(r):
            if m and r[m - 1].key == t[k - 1].key and t[k - 1].is_word and lemmas(other.text) & lemmas(token.text) \
                    and "VBD" in tags(other.text) and other.key != token.key:
                out.append(_proposal(index, token, other.text, best, f"the reference reports it in the past: “{r[m - 1].text} {other.text}”",
                                     "tense of the reporting verb", 0.3))
                break
    return out


def _proposal(index: int, token: Token, replacement: str, best: Candidate, reason: str, note: str, confidence: float) -> Proposal:
    return Proposal(
        id="",
        kind="reference",
        sentence_index=index,
        start=token.start,
        end=token.end,
        original=token.text,
        replacement=replacement,
        reason=reason,
        evidence=Evidence.from_candidate(best, "reference:tense", note=note),
        confidence=round(confidence + 0.2 * max(0.0, best.similarity - MIN_PAIR_SIMILARITY), 2),
    )


@proposer("tenses", needs_references=True)
def propose_tenses(context: ProposalContext) -> list[Proposal]:
    if from_translation(context):
        return []
    return tense_proposals(context.target, context.alignments)
