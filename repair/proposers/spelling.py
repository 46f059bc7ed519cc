"""Choose among LanguageTool's spelling suggestions by the neighbouring words.

LanguageTool orders suggestions by spelling alone ("salf" -> half, self, ...);
the words around the typo usually decide ("you salf" -> "yourself"? "your
self"? "you self"?). Each suggestion is scored by how often it follows the word
before and precedes the word after in English text, and how common it is,
from the word and bigram frequency lists that ship with symspellpy (a kept
resource: counts from Google Books n-grams). LanguageTool's own order breaks
near-ties.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

RANK_PENALTY = 1.0
"""Log-count points a suggestion loses per place it stands lower in LanguageTool's list."""


@lru_cache(maxsize=1)
def _counts() -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    folder = resources.files("symspellpy")
    unigrams: dict[str, int] = {}
    for line in folder.joinpath("frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8").splitlines():
        word, _, count = line.partition(" ")
        if count:
            unigrams[word] = int(count)
    bigrams: dict[tuple[str, str], int] = {}
    for line in folder.joinpath("frequency_bigramdictionary_en_243_342.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) == 3:
            bigrams[(parts[0], parts[1])] = int(parts[2])
    return unigrams, bigrams


def score(suggestion: str, left: str | None, right: str | None) -> float:
    """Log-count score of `suggestion` between the words `left` and `right`."""
    unigrams, bigrams = _counts()
    words = suggestion.casefold().split()
    if not words:
        return 0.0
    value = 0.5 * min(math.log1p(unigrams.get(w, 0)) for w in words)
    for a, b in zip(words, words[1:]):
        value += math.log1p(bigrams.get((a, b), 0)) - 5  # a split word must earn its space
    if left:
        value += math.log1p(bigrams.get((left.casefold(), words[0]), 0))
    if right:
        value += math.log1p(bigrams.get((words[-1], right.casefold()), 0))
    return value


def rank_suggestions(suggestions: Sequence[str], left: str | None, right: str | None) -> list[str]:
    """The suggestions best first, by context score less a penalty for LanguageTool's rank."""
    ranked = sorted(
        enumerate(suggestions),
        key=lambda item: -(score(item[1], left, right) - RANK_PENALTY * item[0]),
    )
    return [s for _, s in ranked]
