"""Prefect settings for flows run on demand in this process.

`mtrepair run`, `mtrepair batch` (without --serve) and the benchmarks call a
flow directly and wait for it. Prefect 3 gives every flow run a heartbeat
thread (to let a worker or an automation notice a crashed run) and joins it
when the run ends; the thread sleeps in one-second steps, so each flow run paid
about 1 s for it: measured 1.09 s per run of an empty one-task flow on the
2-core machine, 0.12 s without (`make bench`, docs/performance.md). Nobody
watches a run that its caller is waiting on, so these runs have no heartbeat.
Served deployments (`mtrepair batch --serve`) keep Prefect's default: there a
heartbeat is what lets Prefect mark a crashed run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings


@contextmanager
def on_demand() -> Iterator[None]:
    """Run the flows called inside without a heartbeat thread."""
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
