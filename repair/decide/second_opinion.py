"""The language model's second opinion on a word-level edit: does it make the sentence read better?

A grammar fix or a reference-guided word swap that lowers the sentence's mean
log10 probability per word (the pocketsphinx trigram model,
`repair.engines.language_model`) is more often one that hurts. The change is
stored on the proposal (`Evidence.lm_gain`, log10 per word, after minus before)
and becomes a calibration feature (`lm+` / `lm-`, `calibration.features`) when
the calibration in use was fitted with it (`Calibration.lm_feature`); otherwise
nothing is computed and proposals are exactly as without it.

Word-level: a grammar or reference edit whose original and replacement are each
at most one word and differ in more than case (the model reads lowercase).

Not shipped: the shipped calibration is not fitted with it, because the refit it
needs made comparable-dev worse while the feature itself moved JFLEG, MLQE-PE
and comparable-dev not at all (docs/quality.md, "the language model as a second
opinion on edits", has the numbers).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from repair.engines.language_model import LanguageModel, get_language_model
from repair.proposers.tokens import tokenize
from repair.records import Document, Proposal

KINDS = frozenset({"grammar", "reference"})


def is_word_level(proposal: Proposal) -> bool:
    """A grammar or reference edit of at most one word for at most one word, not only of case."""
    if proposal.kind not in KINDS or not proposal.is_edit:
        return False
    original, replacement = proposal.original.split(), proposal.replacement.split()
    if len(original) > 1 or len(replacement) > 1:
        return False
    return proposal.original.strip().casefold() != proposal.replacement.strip().casefold()


def _mean(model: LanguageModel, text: str) -> float | None:
    return model.score_words([t.text for t in tokenize(text) if t.is_word]).mean


def lm_gain(text: str, start: int, end: int, replacement: str, model: LanguageModel) -> float | None:
    """Mean log10 per word of `text` with text[start:end] replaced, less that of `text`
    (None when the model knows no word of either)."""
    before = _mean(model, text)
    after = _mean(model, text[:start] + replacement + text[end:])
    if before is None or after is None:
        return None
    return round(after - before, 4)


def with_lm_opinion(target: Document, proposals: Iterable[Proposal], model: LanguageModel | None = None) -> list[Proposal]:
    """The proposals, word-level edits carrying the change of their sentence's language-model score."""
    out = []
    for p in proposals:
        if not is_word_level(p):
            out.append(p)
            continue
        model = model if model is not None else get_language_model()
        sentence = target.sentence_at(p.start)
        if sentence is not None and p.end <= sentence.end:
            text, offset = sentence.text, sentence.start
        else:
            text, offset = target.text, 0
        gain = lm_gain(text, p.start - offset, p.end - offset, p.replacement, model)
        out.append(replace(p, evidence=replace(p.evidence, lm_gain=gain)) if gain is not None else p)
    return out
