"""Process-wide resources the tasks share: one model and one LanguageTool server.

Loading the model and starting the JVM are the two slow things a run does, so
each process does them once and every flow run (and every Dask worker, in its
own process) reuses them. The server is stopped when the process exits.
"""

from __future__ import annotations

import atexit
import threading

from repair.align import Embedder
from repair.config import Settings
from repair.grammar import GrammarChecker
from repair.languagetool import LanguageToolServer, server_version

_lock = threading.Lock()
_embedders: dict[tuple, Embedder] = {}
_server: LanguageToolServer | None = None
_checkers: dict[tuple, GrammarChecker] = {}


def get_embedder(settings: Settings) -> Embedder:
    key = (settings.model, settings.device, settings.batch_size)
    with _lock:
        if key not in _embedders:
            _embedders[key] = Embedder(settings.model, settings.device, settings.batch_size)
        return _embedders[key]


def languagetool_url(settings: Settings) -> str:
    """The URL of the server to use: the user's, or one started here once."""
    global _server
    if settings.languagetool_url:
        return settings.languagetool_url
    with _lock:
        if _server is None or not _server.running:
            _server = LanguageToolServer(home=settings.languagetool_home).start()
            atexit.register(stop_languagetool)
        return _server.url


def restart_languagetool() -> None:
    """Bring the owned server back after it died (a no-op for a user's server)."""
    server = _server
    if server is not None:
        server.revive()


def get_checker(settings: Settings) -> GrammarChecker:
    url = languagetool_url(settings)
    key = (url, settings.language, settings.grammar_threads)
    with _lock:
        if key not in _checkers:
            _checkers[key] = GrammarChecker(
                url, settings.language, settings.grammar_threads, recover=restart_languagetool
            )
        return _checkers[key]


def languagetool_version(settings: Settings) -> str:
    return server_version(languagetool_url(settings))


def stop_languagetool() -> None:
    global _server
    with _lock:
        if _server is not None:
            _server.stop()
            _server = None
        _checkers.clear()
