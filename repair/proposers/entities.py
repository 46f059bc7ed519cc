"""Names spelled differently from the reference, and numbers that disagree with it.

A capitalised word that no reference uses, but that is spelled almost like one
a reference does use (Alexei / Alexey), gets the reference's spelling proposed.
Numbers are never edited: a year or figure in a target sentence that its
closely aligned reference sentence gives differently is flagged for a person.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher

from repair.records import Alignment, Document, Evidence, Proposal
from repair.proposers.tokens import tokenize
from repair.proposers.registry import ProposalContext, proposer

MIN_NAME_RATIO = 0.8
MIN_FACT_ALIGNMENT = 0.7
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_POSSESSIVE = re.compile(r"'s?$")


def name_proposals(target: Document, references: Mapping[str, Document]) -> list[Proposal]:
    names: dict[str, tuple[str, int]] = {}  # casefolded -> (spelling, count)
    for name, doc in references.items():
        for token in tokenize(doc.text):
            if token.text[:1].isupper() and len(token.text) >= 4 and token.is_word:
                key = _POSSESSIVE.sub("", token.key)
                spelling, count = names.get(key, (token.text[: len(key)], 0))
                names[key] = (spelling, count + 1)
    proposals = []
    for sentence in target.sentences:
        for k, token in enumerate(tokenize(sentence.text, sentence.start)):
            key = _POSSESSIVE.sub("", token.key)
            if k == 0 or not token.text[:1].isupper() or len(key) < 4 or key in names:
                continue
            best = max(
                ((SequenceMatcher(None, key, name).ratio(), name) for name in names if name[:1] == key[:1]),
                default=(0.0, ""),
            )
            if best[0] >= MIN_NAME_RATIO:
                spelling, count = names[best[1]]
                proposals.append(
                    Proposal(
                        id="",
                        kind="reference",
                        sentence_index=sentence.index,
                        start=token.start,
                        end=token.start + len(key),
                        original=token.text[: len(key)],
                        replacement=spelling,
                        reason=f"the references spell this name “{spelling}”",
                        evidence=Evidence(rule_id="reference:name", support=count, note=f"spelling similarity {best[0]:.2f}"),
                        confidence=round(min(0.45 + 0.4 * (best[0] - MIN_NAME_RATIO) / (1 - MIN_NAME_RATIO) + 0.05 * count, 0.85), 2),
                    )
                )
    return proposals


def number_flags(target: Document, alignments: Sequence[Alignment]) -> list[Proposal]:
    flags = []
    for alignment in alignments:
        best = alignment.best
        if best is None or best.similarity < MIN_FACT_ALIGNMENT:
            continue
        sentence = target.sentences[alignment.sentence_index]
        reference_numbers = {m.group(0) for m in _NUMBER.finditer(best.text)}
        reference_years = {n for n in reference_numbers if _YEAR.match(n)}
        for match in _NUMBER.finditer(sentence.text):
            number = match.group(0)
            if number in reference_numbers:
                continue
            same_kind = reference_years if _YEAR.match(number) else reference_numbers - reference_years
            if not same_kind:
                continue
            start = sentence.start + match.start()
            flags.append(
                Proposal(
                    id="",
                    kind="flag",
                    sentence_index=sentence.index,
                    start=start,
                    end=start + len(number),
                    original=number,
                    replacement=number,
                    reason=f"{number} does not agree with the aligned reference sentence, which gives {', '.join(sorted(same_kind))}",
                    evidence=Evidence.from_candidate(best),
                    confidence=0.5,
                )
            )
    return flags


@proposer("names", needs_references=True)
def propose_names(context: ProposalContext) -> list[Proposal]:
    return name_proposals(context.target, context.references)
