"""A long-lived local Dask cluster whose workers hold the model, for served runs.

Prefect's runner starts every scheduled flow run in a new Python process, so a
run that did its own work would load the model (and import the model stack)
each time. `mtrepair serve` therefore starts this cluster once: each worker
process runs `WarmResources.setup` when it starts (also when a worker is
restarted), which imports the drop work, loads the model and warms the shared
LanguageTool server up. A scheduled run then only scans the drops and sends
its groups to these workers (`task_runner="dask"` at the cluster's address),
so it pays for its own process and Prefect's start, not for the model.

The workers learn the LanguageTool URL from the environment they inherit
(MTREPAIR_LANGUAGETOOL_URL, set by `flows.serve.shared_languagetool` before the
cluster starts), so every run and every worker checks against one server.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from distributed.diagnostics.plugin import WorkerPlugin

from repair.config import Settings

PLUGIN_NAME = "mtrepair-warm-resources"


class WarmResources(WorkerPlugin):
    """Load the model and warm LanguageTool up in a worker process when it starts."""

    name = PLUGIN_NAME

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def setup(self, worker) -> None:
        ignore_interrupts()
        # In a thread: the worker's event loop keeps answering the scheduler meanwhile.
        try:
            await asyncio.to_thread(load, self.settings)
        except Exception:  # noqa: BLE001 - as resources.prefetch: the drop that needs it reports the problem
            pass


def ignore_interrupts() -> None:
    """Let Ctrl+C stop `mtrepair serve`, not its workers directly.

    A terminal's Ctrl+C (SIGINT to the whole process group) also reaches the worker
    processes, which died of it with a KeyboardInterrupt traceback each while serve was
    still closing the cluster. Serve closes the cluster itself, so a worker ignores it.
    Called from the worker's event loop, which runs in its process's main thread.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def load(settings: Settings) -> dict:
    """Import the drop work and load what it needs in this process; return what it took."""
    import flows.batch  # noqa: F401 - the module the tasks come from, imported once per worker
    from repair.engines import resources

    started = time.perf_counter()
    resources.get_embedder(settings)
    resources.get_checker(settings).warm_up()
    return {"pid": os.getpid(), "seconds": round(time.perf_counter() - started, 3)}


@dataclass(frozen=True)
class WarmCluster:
    """The running cluster: where runs send their work, and its worker processes."""

    address: str
    worker_pids: tuple[int, ...]


@contextmanager
def warm_cluster(settings: Settings, n_workers: int = 2) -> Iterator[WarmCluster]:
    """A local cluster of `n_workers` one-thread worker processes holding the model, until the block ends."""
    from distributed import Client, LocalCluster

    # The cluster's life cycle (scheduler, nannies, workers closing) is logged at INFO; not an operator's concern.
    logging.getLogger("distributed").setLevel(logging.ERROR)
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                           silence_logs=logging.ERROR)
    try:
        with Client(cluster) as client:
            client.register_plugin(WarmResources(settings), name=PLUGIN_NAME)  # runs setup on every worker, waits
            pids = client.run(os.getpid)
            yield WarmCluster(cluster.scheduler_address, tuple(sorted(pids.values())))
    finally:
        cluster.close()
