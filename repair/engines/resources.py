"""Process-wide resources the tasks share: one model and one LanguageTool server.

Loading the model and starting the JVM are the two slow things a run does, so
each process does them once and every flow run (and every Dask worker, in its
own process) reuses them. The server is stopped when the process exits.
"""

from __future__ import annotations

import atexit
import threading
import time

from repair.alignment.align import Embedder
from repair.config import Settings
from repair.engines.grammar import GrammarChecker
from repair.engines.languagetool import LanguageToolServer, server_version
from repair.alignment.onnx_embedder import OnnxEmbedder, make_embedder

_lock = threading.RLock()
_model_lock = threading.Lock()
_embedders: dict[tuple, Embedder | OnnxEmbedder] = {}
_server: LanguageToolServer | None = None
_checkers: dict[tuple, GrammarChecker] = {}
startup_seconds: dict[str, float] = {}
"""How long the slow starts took in this process (they may run in the background)."""


def get_embedder(settings: Settings) -> Embedder | OnnxEmbedder:
    key = (settings.model, settings.device, settings.batch_size)
    with _model_lock:
        if key not in _embedders:
            started = time.perf_counter()
            _embedders[key] = make_embedder(settings.model, settings.device, settings.batch_size)
            startup_seconds["model load"] = round(time.perf_counter() - started, 3)
        return _embedders[key]


def embedder_backend(settings: Settings) -> str:
    """'onnx' or 'sentence-transformers': which path this process encodes with."""
    return "onnx" if isinstance(get_embedder(settings), OnnxEmbedder) else "sentence-transformers"


def launch_languagetool(settings: Settings) -> None:
    """Start the JVM without waiting for it (call from the main thread; see
    LanguageToolServer.launch). A no-op when the user gave a server URL."""
    global _server
    if settings.languagetool_url:
        return
    with _lock:
        if _server is None or not _server.running:
            _server = LanguageToolServer(home=settings.languagetool_home).launch()
            atexit.register(stop_languagetool)


def languagetool_url(settings: Settings) -> str:
    """The URL of the server to use: the user's, or one started here once."""
    if settings.languagetool_url:
        return settings.languagetool_url
    with _lock:
        launch_languagetool(settings)
        if not _server.ready:
            _server.wait_until_ready()
            startup_seconds["languagetool start"] = round(time.monotonic() - _server.launched_at, 3)
        return _server.url


def restart_languagetool() -> None:
    """Bring the owned server back after it died (a no-op for a user's server)."""
    server = _server
    if server is not None:
        server.revive()


def get_checker(settings: Settings) -> GrammarChecker:
    url = languagetool_url(settings)
    key = (url, settings.language, settings.grammar_threads, tuple(sorted(settings.disabled_rules)))
    with _lock:
        if key not in _checkers:
            _checkers[key] = GrammarChecker(
                url, settings.language, settings.grammar_threads, recover=restart_languagetool,
                disabled_rules=settings.disabled_rules,
            )
        return _checkers[key]


def languagetool_version(settings: Settings) -> str:
    return server_version(languagetool_url(settings))


def prefetch(settings: Settings) -> threading.Thread:
    """Launch the LanguageTool server and load the model in the background, then warm the server up.

    The JVM start and the model load are the two slow parts of a cold run and do
    not depend on each other or on Prefect, so a command starts them first and
    lets Prefect's own start-up overlap with them. The JVM is launched from the
    calling (main) thread so that it dies with the process; the model loads in a
    thread. Errors surface later, when a task asks for the resource.
    """
    try:
        launch_languagetool(settings)
    except Exception:  # reported by the task that needs the server
        pass

    def load_model() -> None:
        try:
            get_embedder(settings)
        except Exception:  # reported by the task that needs the model
            pass

    def warm_languagetool() -> None:
        try:
            started = time.perf_counter()
            get_checker(settings).warm_up()
            startup_seconds["languagetool warm-up"] = round(time.perf_counter() - started, 3)
        except Exception:  # reported by the task that needs the server
            pass

    thread = threading.Thread(target=load_model, daemon=True, name="prefetch-model")
    thread.start()
    threading.Thread(target=warm_languagetool, daemon=True, name="prefetch-languagetool").start()
    return thread


def stop_languagetool() -> None:
    global _server
    with _lock:
        if _server is not None:
            _server.stop()
            _server = None
        _checkers.clear()
