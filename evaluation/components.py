"""The real LanguageTool server and model, started once for a whole evaluation."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from repair.alignment.align import Embedder
from repair.alignment.onnx_embedder import make_embedder
from repair.config import Settings
from repair.engines.grammar import GrammarChecker
from repair.engines.languagetool import LanguageToolServer


class CachedEmbedder:
    """An Embedder that remembers every text it encoded.

    The benchmarks encode the same texts many times (reference A for each of
    ten systems, lines that several systems translate alike, short phrases),
    so each text is encoded once; `warm` encodes many texts in large batches.
    """

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.cache: dict[str, np.ndarray] = {}

    @property
    def dimension(self) -> int:
        return self.embedder.dimension

    def warm(self, texts) -> None:
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            self.cache.update(zip(missing, self.embedder.encode(missing)))

    def encode(self, texts) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        self.warm(texts)
        return np.stack([self.cache[t] for t in texts])

    encode_phrases = encode  # phrases go through the same cache


@dataclass
class Components:
    settings: Settings
    checker: GrammarChecker
    embedder: CachedEmbedder


@contextmanager
def components(settings: Settings | None = None):
    """Start (or reuse, via MTREPAIR_LANGUAGETOOL_URL) LanguageTool and load the model."""
    settings = settings or Settings.from_env()
    server = None
    url = settings.languagetool_url or os.environ.get("MTREPAIR_LANGUAGETOOL_URL")
    if not url:
        server = LanguageToolServer(home=settings.languagetool_home, heap="2g").start()
        url = server.url
    checker = GrammarChecker(url, settings.language, settings.grammar_threads, disabled_rules=settings.disabled_rules)
    try:
        yield Components(settings, checker, CachedEmbedder(make_embedder(settings.model, settings.device, settings.batch_size)))
    finally:
        checker.close()
        if server is not None:
            server.stop()
