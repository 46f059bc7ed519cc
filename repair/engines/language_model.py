"""The CMU US English trigram language model that ships inside PyPI's `pocketsphinx`.

`pocketsphinx/model/en-us/en-us.lm.bin` is a binary trigram model of 72k
lowercase words. `NGramModel.prob([word, previous, the one before])` takes the
predicted word first, then its history, most recent first, and answers an
integer log probability in base 1.0001; an unknown word answers -536870912.
This module turns those into log10 and scores words in their sentence. The
model is loaded once per process (`get_language_model`), like the embedder.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

UNKNOWN = -536870912
"""What `prob` answers for a word the model does not know."""
TO_LOG10 = math.log10(1.0001)
"""One unit of pocketsphinx's log base 1.0001, in log10."""
START, END = "<s>", "</s>"


def model_path() -> Path:
    """The model file inside the installed pocketsphinx package."""
    import pocketsphinx

    return Path(pocketsphinx.__file__).resolve().parent / "model" / "en-us" / "en-us.lm.bin"


@dataclass(frozen=True)
class Scored:
    """A sentence's words as the model reads them, with each known word's log10 probability."""

    words: tuple[str, ...]
    log10: tuple[float | None, ...]
    """None for a word the model does not know."""

    @property
    def mean(self) -> float | None:
        """Mean log10 probability per known word (None when the model knows none)."""
        known = [p for p in self.log10 if p is not None]
        return round(sum(known) / len(known), 4) if known else None


class LanguageModel:
    """Word probabilities in context from one pocketsphinx n-gram model file."""

    def __init__(self, path: str | Path | None = None) -> None:
        from pocketsphinx import NGramModel

        self.path = Path(path) if path is not None else model_path()
        if not self.path.is_file():
            raise FileNotFoundError(f"{self.path}: language model file not found (reinstall pocketsphinx)")
        self._model = NGramModel.readfile(str(self.path))
        self._lock = threading.Lock()  # the C model is not documented as thread-safe

    def raw(self, word: str, history: Sequence[str] = ()) -> int:
        """pocketsphinx's score of `word` after `history` (most recent first), base 1.0001."""
        with self._lock:
            return self._model.prob([word, *history[:2]])

    def knows(self, word: str) -> bool:
        return self.raw(word.casefold()) != UNKNOWN

    def log10(self, word: str, history: Sequence[str] = ()) -> float | None:
        """log10 P(word | history), history most recent first; None for an unknown word."""
        value = self.raw(word, history)
        return None if value == UNKNOWN else value * TO_LOG10

    def score_words(self, words: Sequence[str]) -> Scored:
        """Each word's log10 probability after the two words before it (sentence start counted,
        end of sentence not): words lowercased; an unknown word scores None and is left out of the
        next words' history, so one name does not make its neighbours look improbable."""
        keys = tuple(w.casefold() for w in words)
        history: list[str] = [START]
        scores: list[float | None] = []
        for key in keys:
            score = self.log10(key, history[::-1][:2])
            scores.append(score)
            if score is not None:
                history.append(key)
        return Scored(keys, tuple(scores))

    def window(self, words: Sequence[str], at: int, replacement: str | None = None) -> float | None:
        """log10 probability of words[at] (or `replacement` there) and of the two words after it,
        each after its two predecessors: the part of a sentence's score one word changes.
        None when the word (or replacement) is unknown to the model."""
        keys = [START, *(w.casefold() for w in words), END]
        i = at + 1
        if replacement is not None:
            keys[i] = replacement.casefold()
        total = 0.0
        for j in range(i, min(i + 3, len(keys))):
            if keys[j] in (START,):
                continue
            score = self.log10(keys[j], keys[max(0, j - 2): j][::-1])
            if score is None:
                if j == i:
                    return None
                continue
            total += score
        return total


_model: LanguageModel | None = None
_model_lock = threading.Lock()
startup_seconds: dict[str, float] = {}


def get_language_model() -> LanguageModel:
    """This process's language model (loaded on first use)."""
    global _model
    with _model_lock:
        if _model is None:
            started = time.perf_counter()
            _model = LanguageModel()
            startup_seconds["language model load"] = round(time.perf_counter() - started, 3)
        return _model
