"""Serve the batch flow as a Prefect deployment with an interval or cron schedule.

`flow.serve` registers the deployment `mtrepair-batch/<name>` on the Prefect
server at PREFECT_API_URL and then polls it for scheduled runs; each run
executes in a fresh subprocess (Prefect's runner), repairs whatever drops are
new, and publishes its summary table and report links as artifacts. At most
one run is active at a time, so a slow batch delays the next instead of
racing it.

This process starts one LanguageTool server for all runs (unless a URL is
configured) and passes its URL to them through MTREPAIR_LANGUAGETOOL_URL. With
`warm=True` (the default) it also starts one local Dask cluster whose workers
load the model when they start (flows/warm_workers.py) and hands its address to
every run, so a scheduled run sends its drops to workers that are already warm
instead of loading the model in its own new process. `warm=False`, or an
existing cluster at `dask_address`, keeps the runs as they are configured.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from datetime import timedelta

import requests
from prefect.deployments.runner import EntrypointType
from prefect.settings import get_current_settings

from repair.config import Settings
from repair.errors import SetupError

from repair.engines import resources
from .batch import batch, settings_from


def check_api(url: str | None) -> str:
    """The Prefect API URL, once it answers; SetupError saying how to get one otherwise."""
    if not url:
        raise SetupError("no Prefect server configured: start one with `prefect server start` "
                         "and set PREFECT_API_URL=http://127.0.0.1:4200/api")
    try:
        response = requests.get(url.rstrip("/") + "/health", timeout=10)
        response.raise_for_status()
    except requests.RequestException:
        raise SetupError(f"no Prefect server answers at {url}: start one with `prefect server start` "
                         "(or set PREFECT_API_URL to your team's server)") from None
    return url


def shared_languagetool(settings: Settings, task_runner: str, dask_address: str | None) -> str | None:
    """Start the server every scheduled run will use, and tell the runs about it.

    A remote Dask cluster without a configured URL gets one server per worker instead.
    """
    if settings.languagetool_url or dask_address:
        return settings.languagetool_url
    url = resources.languagetool_url(settings)
    os.environ["MTREPAIR_LANGUAGETOOL_URL"] = url
    return url


def serve_batch(
    drops_dir: str,
    out_dir: str,
    interval: timedelta | None = None,
    cron: str | None = None,
    name: str = "drops",
    task_runner: str = "sequential",
    dask_address: str | None = None,
    dask_workers: int = 2,
    group_size: int = 8,
    settle_seconds: float = 2.0,
    settings: dict | None = None,
    warm: bool = True,
    on_warm=None,
    reports_url: str | None = None,
) -> None:
    """Register `mtrepair-batch/<name>` with the schedule and serve it until interrupted.

    `on_warm(cluster)` is told about the warm cluster once its workers hold the model.
    """
    if cron is not None:
        _check_cron(cron)
    check_api(get_current_settings().api.url)
    shared_languagetool(settings_from(settings), task_runner, dask_address)
    with ExitStack() as stack:
        if warm and not dask_address:
            from .warm_workers import warm_cluster

            cluster = stack.enter_context(warm_cluster(settings_from(settings), dask_workers))
            task_runner, dask_address = "dask", cluster.address
            if on_warm is not None:
                on_warm(cluster)
        _serve(drops_dir, out_dir, interval, cron, name, task_runner, dask_address, dask_workers, group_size,
               settle_seconds, settings, reports_url)


def _serve(drops_dir, out_dir, interval, cron, name, task_runner, dask_address, dask_workers, group_size,
           settle_seconds, settings, reports_url=None) -> None:
    batch.serve(
        name=name,
        interval=interval,
        cron=cron,
        parameters={
            "drops_dir": drops_dir,
            "out_dir": out_dir,
            "task_runner": task_runner,
            "dask_address": dask_address,
            "dask_workers": dask_workers,
            "group_size": group_size,
            "settle_seconds": settle_seconds,
            "settings": settings or {},
            "reports_url": reports_url,
        },
        description=f"Repair new and changed drops in {drops_dir}; reports in {out_dir}.",
        tags=["mtrepair"],
        limit=1,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def _check_cron(cron: str) -> None:
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError:
        raise SetupError(f"--cron {cron!r} is not a valid cron expression (e.g. '*/15 * * * *')") from None
