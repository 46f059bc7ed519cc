"""Environment set before Prefect or the model libraries are imported.

Prefect keeps its database and results under mtrepair's own cache (not the
user's ~/.prefect), model libraries stay offline, and Prefect's own INFO logs
are quiet unless asked for, so a normal run prints only mtrepair's summary.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    base = os.environ.get("MTREPAIR_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "mtrepair"
    )
    return Path(base)


def configure(verbose: bool = False) -> None:
    os.environ.setdefault("PREFECT_HOME", str(cache_dir() / "prefect"))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # The CLI reports failures itself, as one line; Prefect's own log lines are for -v.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "CRITICAL")
    # The temporary server's telemetry heartbeat races its own database migrations on
    # SQLite ("database is locked" tracebacks); mtrepair sends no telemetry anyway.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # On a busy 2-core machine the temporary server can take longer than Prefect's 20 s default to start.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
