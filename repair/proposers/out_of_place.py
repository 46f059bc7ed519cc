"""Out-of-place words: a language model flags the words that look wrong here, with alternatives.

A machine-reworded article swaps words for synonyms that do not fit their
sentence ("called Putin a murder"). A trigram language model cannot say which
word the original had, but it can say that a word is far less probable in its
place than one of its own WordNet synonyms would be. On comparable-dev such a
word is, at a margin of 2 log10 and more, nearly always one the original did
not have (docs/quality.md, "word flags"), so it is shown to the editor like a
spelling checker's underline: *this word looks wrong here; perhaps one of these*.

The rule, for one content word of a sentence:
- candidates: the single-word WordNet synonyms of each lemma the word may have
  (lemminflect), inflected to the word's own form, that the model knows;
- fit: the log10 probability of a word and of the two words after it
  (`LanguageModel.window`), less `FREQUENCY_DISCOUNT` times the word's own
  log10 frequency (its unigram probability), so that a candidate does not win
  merely by being a commoner word ("giving" for "opening");
- gain: the candidate's fit minus the word's;
- a flag when the best gain is at least `margin` (`MARGIN`); its alternatives are
  the candidates with a positive gain, best first.

Never flagged: closed-class words, short words, words with a capital or a digit
(names, acronyms, numbers), number and date words, words inside quotation
marks, words the references use (by lemma), words the model does not know, and
spans LanguageTool or another proposal already covers (`drop_covered`). An
alternative that would change a fact is never offered: alternatives are single
lowercase words, and number and date words ("march", "may", "ten") are left out,
which is what the fact guard (`repair.decide.facts`) asks of a one-word edit.

Flags propose no edit (`replacement == original`) and are never applied; on the
review page an alternative picked (or a word typed) becomes an edit decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from repair.decide import facts as fact_words  # the module: facts.py imports the proposers' tokens
from repair.engines.language_model import LanguageModel, get_language_model
from repair.engines.wordnet import WordNet, get_wordnet
from repair.proposers.lexicon import lemmas
from repair.proposers.registry import ProposalContext, proposer
from repair.proposers.tokens import CLOSED_CLASS, Token, tokenize
from repair.records import Document, Evidence, Proposal, Sentence

KIND = "word"
RULE = "word:out-of-place"
MARGIN = 1.5
"""Least log10 gain of the best synonym for a flag: chosen on comparable-dev for flag precision
>= 0.85 (leaving one event out it gives 0.88; `python -m evaluation.word_flags`; docs/quality.md)."""
FREQUENCY_DISCOUNT = 0.5
"""How much of a word's own unigram log10 probability is taken off its fit (0: none, raw language
model gain; 1: pointwise mutual information with the context). Chosen among 0, 0.25, 0.5 and 1 on
comparable-dev (docs/quality.md)."""
CONFIDENCE = 0.88
"""A flag's confidence: how often, on comparable-dev (leave one event out), a flagged word was one the original did not
have at `MARGIN` (docs/quality.md, "word flags")."""
MAX_ALTERNATIVES = 5
MIN_LENGTH = 3
_UPOS = {"NOUN": "n", "VERB": "v", "ADJ": "a", "ADV": "r"}
_WORD = re.compile(r"[a-z]+")
_OPENING = {"“": "”", '"': '"', "«": "»"}


@dataclass(frozen=True)
class Flag:
    """One out-of-place word: its span (in the text the sentence came from), the word, and its
    alternatives with their log10 gains, best first."""

    start: int
    end: int
    word: str
    alternatives: tuple[tuple[str, float], ...]

    @property
    def gain(self) -> float:
        return self.alternatives[0][1]

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "word": self.word,
                "alternatives": [a for a, _ in self.alternatives], "gain": self.gain}


def quoted_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans of `text` between an opening quotation mark and its closing one (offsets shifted)."""
    spans, opened, closing = [], None, None
    for i, char in enumerate(text):
        if opened is None and char in _OPENING:
            opened, closing = i, _OPENING[char]
        elif opened is not None and char == closing:
            spans.append((offset + opened, offset + i + 1))
            opened = None
    return spans


@lru_cache(maxsize=1)
def _not_content() -> frozenset[str]:
    """Number and date words (read when first needed: facts.py imports this package)."""
    return frozenset((*fact_words.WEEKDAYS, *fact_words.MONTHS, *fact_words.DATE_WORDS, *fact_words.NUMBER_WORDS))


def is_candidate_word(token: Token) -> bool:
    """A content word the rule may look at: lowercase letters only, not closed-class, not a
    number or date word."""
    text = token.text
    return (len(text) >= MIN_LENGTH and _WORD.fullmatch(text) is not None and text not in CLOSED_CLASS
            and text not in _not_content())


@lru_cache(maxsize=65536)
def inflected_synonyms(word: str, wordnet: WordNet) -> tuple[str, ...]:
    """The single-word WordNet synonyms of `word`'s lemmas, in `word`'s own form, in sense order."""
    from lemminflect import getAllInflections, getAllLemmas, getInflection

    found: dict[str, None] = {}
    own = lemmas(word)
    for upos, forms in getAllLemmas(word).items():
        pos = _UPOS.get(upos)
        if pos is None:
            continue
        for lemma in forms:
            wanted = [tag for tag, inflected in getAllInflections(lemma, upos).items() if word in inflected]
            for synonym in wordnet.synonyms(lemma, pos):
                if not _WORD.fullmatch(synonym) or synonym in _not_content() or own & lemmas(synonym):
                    continue  # a phrase, a capitalised or fact word (a number, a date: the fact guard's), the word itself
                if word == lemma or not wanted:
                    found.setdefault(synonym, None)
                    continue
                for tag in wanted[:1]:
                    forms_ = getInflection(synonym, tag, inflect_oov=False)
                    if forms_:
                        found.setdefault(forms_[0], None)
    return tuple(found)


def fit(model: LanguageModel, words: Sequence[str], at: int, replacement: str | None = None) -> float | None:
    """How well words[at] (or `replacement` there) fits its sentence: the log10 probability of it and
    the two words after it, less `FREQUENCY_DISCOUNT` times its own unigram log10 probability."""
    window = model.window(words, at, replacement)
    if window is None:
        return None
    unigram = model.log10((replacement if replacement is not None else words[at]).casefold())
    return window - FREQUENCY_DISCOUNT * unigram


def sentence_flags(
    text: str, offset: int, model: LanguageModel, wordnet: WordNet, margin: float = MARGIN,
    skip_lemmas: frozenset[str] = frozenset(), covered: Sequence[tuple[int, int]] = (),
) -> list[Flag]:
    """The out-of-place words of one sentence `text` starting at `offset` of its document.

    `skip_lemmas`: lemmas never flagged (the references' words); `covered`: document spans
    already covered by another finding."""
    tokens = [t for t in tokenize(text, offset) if t.is_word]
    words = [t.text for t in tokens]
    blocked = [*quoted_spans(text, offset), *covered]
    flags = []
    for i, token in enumerate(tokens):
        if not is_candidate_word(token) or lemmas(token.text) & skip_lemmas:
            continue
        if any(s < token.end and token.start < e for s, e in blocked):
            continue
        base = fit(model, words, i)
        if base is None:
            continue
        gains = []
        for candidate in inflected_synonyms(token.text, wordnet):
            score = fit(model, words, i, candidate)
            if score is not None and score - base > 0:
                gains.append((candidate, round(score - base, 2)))
        gains.sort(key=lambda item: -item[1])
        if gains and gains[0][1] >= margin:
            flags.append(Flag(token.start, token.end, token.text, tuple(gains[:MAX_ALTERNATIVES])))
    return flags


def reference_lemmas(references: Iterable[Document]) -> frozenset[str]:
    """Every lemma of every word the references use (a word they use is not out of place)."""
    found: set[str] = set()
    for doc in references:
        for token in tokenize(doc.text):
            if token.is_word:
                found |= lemmas(token.text)
    return frozenset(found)


def document_flags(
    document: Document, references: Iterable[Document] = (), covered: Sequence[tuple[int, int]] = (),
    margin: float = MARGIN, model: LanguageModel | None = None, wordnet: WordNet | None = None,
) -> dict[int, list[Flag]]:
    """Out-of-place words per sentence index (empty when WordNet is not installed)."""
    wordnet = wordnet if wordnet is not None else get_wordnet()
    if wordnet is None:
        return {}
    model = model if model is not None else get_language_model()
    skip = reference_lemmas(references)
    out = {}
    for sentence in document.sentences:
        inside = [(s, e) for s, e in covered if s < sentence.end and sentence.start < e]
        out[sentence.index] = sentence_flags(sentence.text, sentence.start, model, wordnet, margin, skip, inside)
    return out


def flag_proposal(flag: Flag, sentence: Sentence) -> Proposal:
    """The `word` proposal of one flag: no edit; the reason names the alternatives and their gains."""
    listed = ", ".join(f"“{a}” (+{g:.1f})" for a, g in flag.alternatives)
    return Proposal(
        id="",
        kind=KIND,
        sentence_index=sentence.index,
        start=flag.start,
        end=flag.end,
        original=flag.word,
        replacement=flag.word,
        reason=f"“{flag.word}” looks out of place here; the language model prefers {listed} (log10 gain in context)",
        evidence=Evidence(rule_id=RULE, alternatives=tuple(flag.alternatives)),
        confidence=CONFIDENCE,
    )


@proposer("out-of-place")
def out_of_place_proposals(context: ProposalContext) -> list[Proposal]:
    """A `word` proposal for every out-of-place word outside LanguageTool's matches."""
    covered = [(m.start, m.end) for m in context.grammar]
    flags = document_flags(context.target, context.references.values(), covered)
    by_index = {s.index: s for s in context.target.sentences}
    return [flag_proposal(f, by_index[i]) for i, found in flags.items() for f in found]


def drop_covered(proposals: Sequence[Proposal]) -> list[Proposal]:
    """The proposals less the word flags whose span another proposal (not a cleanup) covers."""
    others = [(p.start, p.end) for p in proposals if p.kind not in (KIND, "cleanup")]
    return [p for p in proposals
            if p.kind != KIND or not any(s < p.end and p.start < e for s, e in others)]
