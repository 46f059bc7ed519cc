"""Environment set before Prefect or the model libraries are imported.

Prefect keeps its database and results under mtrepair's own cache (not the
user's ~/.prefect), model libraries stay offline, and Prefect's own INFO logs
are quiet unless asked for, so a normal run prints only mtrepair's summary.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """mtrepair's machine-wide cache (MTREPAIR_CACHE, else ~/.cache/mtrepair): repair.config.cache_root."""
    from repair.config import cache_root

    return cache_root()


def verbose() -> bool:
    """True when the user asked for -v (Prefect's INFO logs and full tracebacks)."""
    return os.environ.get("MTREPAIR_VERBOSE") == "1"


def configure(verbose: bool = False) -> None:
    if verbose:
        os.environ["MTREPAIR_VERBOSE"] = "1"
    else:
        quiet_library_warnings()
    os.environ.setdefault("PREFECT_HOME", str(cache_dir() / "prefect"))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # The CLI reports failures itself, as one line; Prefect's own log lines are for -v.
    # Forced, not defaulted: a failure inside a flow must not print Prefect's traceback.
    os.environ["PREFECT_LOGGING_LEVEL"] = "INFO" if verbose else "CRITICAL"
    # The same for Prefect's temporary API server, which inherits this environment: on a busy
    # machine its task-run recorder can be stopped mid-flush when the run ends, and it logged
    # that at ERROR with a traceback after the run had finished and written everything.
    os.environ["PREFECT_SERVER_LOGGING_LEVEL"] = "WARNING" if verbose else "CRITICAL"
    if os.environ.get("PREFECT_API_URL"):
        use_prefect_server(os.environ["PREFECT_API_URL"])
    # The temporary server's telemetry heartbeat races its own database migrations on
    # SQLite ("database is locked" tracebacks); mtrepair sends no telemetry anyway.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The temporary server records task runs one SQLite insert at a time, racing the API's own
    # writes: "database is locked" answers cost the client a 2-s retry, 4 of 8 flow runs in a
    # row on this machine. Recording them in batches (flushed every 5 s and at exit) removed it.
    os.environ.setdefault("PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE", "100")
    # Prefect's temporary API server gets 20 s to start by default; a busy machine needs more.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    # Prefect cannot create its SQLite database in a folder that does not exist (e.g. a new MTREPAIR_CACHE).
    try:
        Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # Prefect reports an unusable home itself


def use_prefect_server(url: str) -> None:
    """Send this process's flow runs to the Prefect server at `url` (before Prefect is imported).

    A real server: the run's log lines go to it (its UI's Logs tab) while the terminal stays quiet.
    """
    os.environ["PREFECT_API_URL"] = url
    if not verbose():
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
        os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = "CRITICAL"


def quiet_library_warnings() -> None:
    """Keep the libraries' Python warnings (PyTorch's "Overriding a previously registered
    kernel", deprecation notes, ...) from a user's terminal: they are for developers, and
    `-v` shows them. Subprocesses (Prefect's runners, Dask workers) inherit the setting."""
    import warnings

    warnings.simplefilter("ignore")
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
