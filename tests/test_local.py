"""Flows run on demand (`mtrepair run`, `batch`) skip Prefect's per-run heartbeat thread."""

from __future__ import annotations

from prefect import flow
from prefect.settings import Settings, get_current_settings

from flows.local import on_demand


@flow
def _add(a: int, b: int) -> int:
    return a + b


def test_on_demand_runs_have_no_heartbeat():
    with on_demand():
        assert get_current_settings().flows.heartbeat_frequency is None
        assert _add(2, 3) == 5


def test_served_runs_keep_prefects_heartbeat():
    """A served deployment's runs get Prefect's settings as loaded from the
    environment, heartbeat included: that is how Prefect notices a crashed run."""
    assert Settings().flows.heartbeat_frequency is not None
