"""Lemmas and inflection tags of English words, from lemminflect's bundled lexicon.

The comparable-reference proposers compare two sentences built differently:
whether a word of one has a counterpart in the other is a question about
lemmas ("recalled" / "recall"), and whether a reference word fits the target's
slot is a question about part of speech and inflection ("banning" may become
"sanctioning", not "sanctions"). lemminflect answers both offline from data
shipped in its wheel; a word it does not know has no lemma and no tags, and the
proposers leave it alone.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=65536)
def lemmas(word: str) -> frozenset[str]:
    """Every lemma `word` may have (the word itself, casefolded, included)."""
    from lemminflect import getAllLemmas  # imported when first needed: it costs ~0.8 s, which a run without references must not pay

    key = word.casefold()
    found = {key}
    for forms in getAllLemmas(key).values():
        found.update(forms)
    return frozenset(found)


@lru_cache(maxsize=65536)
def tags(word: str) -> frozenset[str]:
    """The Penn Treebank tags `word` may carry (NN, NNS, VBD, VBG, JJ, ...); empty when unknown."""
    from lemminflect import getAllInflections, getAllLemmas

    key = word.casefold()
    found = set()
    for upos, forms in getAllLemmas(key).items():
        for lemma in forms:
            for tag, inflected in getAllInflections(lemma, upos).items():
                if key in inflected:
                    found.add(tag)
            if upos in ("ADJ", "ADV") and lemma == key:
                found.add("JJ" if upos == "ADJ" else "RB")
    return frozenset(found)


def same_lemma(a: str, b: str) -> bool:
    return bool(lemmas(a) & lemmas(b))


def fits(original: str, replacement: str) -> bool:
    """True when `replacement` can stand where `original` stands: they share a part of speech and inflection."""
    return bool(tags(original) & tags(replacement))
