"""The real LanguageTool server and model, started once for a whole evaluation."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass

from repair.align import Embedder
from repair.config import Settings
from repair.grammar import GrammarChecker
from repair.languagetool import LanguageToolServer


@dataclass
class Components:
    settings: Settings
    checker: GrammarChecker
    embedder: Embedder


@contextmanager
def components(settings: Settings | None = None):
    """Start (or reuse, via MTREPAIR_LANGUAGETOOL_URL) LanguageTool and load the model."""
    settings = settings or Settings.from_env()
    server = None
    url = settings.languagetool_url or os.environ.get("MTREPAIR_LANGUAGETOOL_URL")
    if not url:
        server = LanguageToolServer(home=settings.languagetool_home, heap="2g").start()
        url = server.url
    checker = GrammarChecker(url, settings.language, settings.grammar_threads)
    try:
        yield Components(settings, checker, Embedder(settings.model, settings.device, settings.batch_size))
    finally:
        checker.close()
        if server is not None:
            server.stop()
