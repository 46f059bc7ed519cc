"""Proposals from LanguageTool matches.

Confidence follows how specific LanguageTool is: one suggestion from a grammar
rule is likely right; a spelling alarm with several suggestions on a
capitalised word is most often a name; a match without a suggestion can only be
flagged.
"""

from __future__ import annotations

import re

from repair.records import Evidence, GrammarMatch, Proposal
from repair.proposers.spelling import rank_suggestions
from repair.proposers.registry import ProposalContext, proposer

_WORD = re.compile(r"[\w’'-]+")

SOFT_CATEGORIES = {"STYLE", "REDUNDANCY", "PLAIN_ENGLISH", "MISC", "COLLOQUIALISMS", "REPETITIONS_STYLE"}


def grammar_confidence(match: GrammarMatch, original: str) -> float:
    """How likely the first suggestion of `match` is the right edit, in [0, 1]."""
    if not match.replacements:
        return 0.4
    confidence = 0.85 if len(match.replacements) == 1 else 0.65
    if match.issue_type == "misspelling":
        confidence = 0.7 if len(match.replacements) == 1 else 0.5
        if original[:1].isupper():
            confidence -= 0.2  # probably a name the dictionary lacks
    if match.category in SOFT_CATEGORIES or match.issue_type == "style":
        confidence -= 0.25
    return round(max(0.05, min(confidence, 0.95)), 2)


def grammar_proposals(text: str, matches: list[GrammarMatch]) -> list[Proposal]:
    proposals = []
    for match in matches:
        original = text[match.start : match.end]
        if match.issue_type == "misspelling" and len(match.replacements) > 1:
            match = _in_context(text, match)
        replacement = match.replacements[0] if match.replacements else original
        kind = "grammar" if match.replacements and replacement != original else "flag"
        proposals.append(
            Proposal(
                id="",
                kind=kind,
                sentence_index=match.sentence_index,
                start=match.start,
                end=match.end,
                original=original,
                replacement=replacement,
                reason=match.message,
                evidence=Evidence(
                    rule_id=match.rule_id,
                    message=match.message,
                    note=("other suggestions: " + ", ".join(match.replacements[1:4])) if len(match.replacements) > 1 else None,
                ),
                confidence=grammar_confidence(match, original),
            )
        )
    return proposals


def _in_context(text: str, match: GrammarMatch) -> GrammarMatch:
    """The match with its suggestions ordered by the neighbouring words."""
    before = _WORD.findall(text[max(0, match.start - 40) : match.start])
    after = _WORD.findall(text[match.end : match.end + 40])
    ranked = rank_suggestions(match.replacements, before[-1] if before else None, after[0] if after else None)
    return GrammarMatch(**{**match.__dict__, "replacements": tuple(ranked)})


@proposer("grammar")
def propose_grammar_fixes(context: ProposalContext) -> list[Proposal]:
    return grammar_proposals(context.target.text, list(context.grammar))
