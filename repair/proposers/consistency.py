"""One name spelled two ways in one article, made consistent.

A translated article often transliterates one name two ways ("Alexei" in one
paragraph, "Alexey" in the next). Names are the capitalised words the fact
guard takes for names (`facts.known_names`); two of them are one name spelled
two ways when `facts.is_respelling` says so. The spelling the references use
most is proposed for the other occurrences; without a reference using either,
the spelling the article itself uses most (a strict majority). A writer's
spelling convention is thin evidence of what is right, so confidence is low;
the fact guard keeps these edits, labelled as respellings, because both
spellings name the same person. Acronyms and their expansions are not
handled (names only).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from repair.decide import facts as fact_words  # the module, not its names: facts.py imports the proposers' tokens
from repair.proposers.registry import ProposalContext, proposer
from repair.proposers.tokens import tokenize
from repair.records import Document, Evidence, Proposal

MIN_NAME_LENGTH = 4


def _spelling(token_text: str) -> str:
    """The name without a possessive ending."""
    for ending in ("'s", "’s", "'", "’"):
        if token_text.endswith(ending):
            return token_text[: -len(ending)]
    return token_text


def consistency_proposals(target: Document, references: Mapping[str, Document]) -> list[Proposal]:
    names = fact_words.known_names(target)
    occurrences: dict[str, list[tuple[int, int, str]]] = defaultdict(list)  # spelling -> (sentence, start, text)
    for sentence in target.sentences:
        for token in tokenize(sentence.text, sentence.start):
            spelling = _spelling(token.text)
            if spelling[:1].isupper() and len(spelling) >= MIN_NAME_LENGTH and spelling.casefold() in names:
                occurrences[spelling].append((sentence.index, token.start, spelling))
    reference_counts = Counter(
        _spelling(t.text) for doc in references.values() for t in tokenize(doc.text) if t.text[:1].isupper()
    )
    spellings = sorted(occurrences, key=lambda s: (-len(occurrences[s]), s))
    done: set[str] = set()
    proposals = []
    for spelling in spellings:
        if spelling in done:
            continue
        group = [s for s in spellings if s not in done and (s == spelling or (fact_words.normal_name(s) != fact_words.normal_name(spelling) and fact_words.is_respelling(s, spelling)))]
        done.update(group)
        group = [s for s in group if s == spelling or not _derived(s, spelling)]
        if len(group) < 2:
            continue
        chosen, why, support = _preferred(group, occurrences, reference_counts)
        if chosen is None:
            continue
        for other in group:
            if other == chosen:
                continue
            for index, start, text in occurrences[other]:
                proposals.append(
                    Proposal(
                        id="",
                        kind="reference",
                        sentence_index=index,
                        start=start,
                        end=start + len(text),
                        original=text,
                        replacement=chosen,
                        reason=f"this article spells the name both “{text}” and “{chosen}”; {why}",
                        evidence=Evidence(rule_id="reference:consistency", support=support,
                                          note=f"{len(occurrences[chosen])} × {chosen}, {len(occurrences[other])} × {text}"),
                        confidence=0.3 if reference_counts[chosen] else 0.2,
                    )
                )
    return proposals


def _derived(a: str, b: str) -> bool:
    """One word made from the other (Russia / Russian, German / Germany): two words, not two spellings."""
    a, b = a.casefold(), b.casefold()
    return a.startswith(b) or b.startswith(a)


def _preferred(group, occurrences, reference_counts) -> tuple[str | None, str, int]:
    """The reference's spelling, else the article's strict majority, else none."""
    used = sorted(group, key=lambda s: -reference_counts[s])
    if reference_counts[used[0]] and (len(used) == 1 or reference_counts[used[0]] > reference_counts[used[1]]):
        return used[0], "the references write it this way", reference_counts[used[0]]
    counts = sorted(((len(occurrences[s]), s) for s in group), reverse=True)
    if counts[0][0] > counts[1][0]:
        return counts[0][1], "the article mostly writes it this way", counts[0][0]
    return None, "", 0


@proposer("consistency")
def propose_consistency(context: ProposalContext) -> list[Proposal]:
    return consistency_proposals(context.target, context.references)
