"""`mtrepair batch` and `mtrepair serve`: repair a folder of drops once, or on a schedule.

`batch` runs the batch flow in this process and shows progress: a bar on a
terminal, one line per drop otherwise. `serve` registers a Prefect deployment
of the same flow with an interval or cron schedule and serves it against a
Prefect server (PREFECT_API_URL; by default a `prefect server start` on this
machine), so runs, logs and the summary artifacts show in the Prefect UI.
"""

from __future__ import annotations

import os
import re
import sys
import time
from datetime import timedelta
from pathlib import Path

import click

from mtrepair.cli.common import (guard_processes, languagetool_url_option, min_confidence_option, model_option,
                                  user_errors, uses_running_services)

DEFAULT_API_URL = "http://127.0.0.1:4200/api"
_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?")
_UNITS = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> timedelta:
    """'90', '30s', '10m', '2h', '1d' as a timedelta (at least one second)."""
    match = _INTERVAL.fullmatch(text.strip().lower())
    seconds = float(match.group(1)) * _UNITS[match.group(2)] if match else 0
    if seconds < 1:
        raise click.BadParameter(f"{text!r} is not an interval such as 30s, 10m, 2h or 1d", param_hint="--interval")
    return timedelta(seconds=seconds)


def _runner_options(f):
    f = click.option("--group-size", type=click.IntRange(1, 1000), default=8, show_default=True,
                     help="Drops repaired together in one task (one model call for their sentences).")(f)
    f = click.option("--settle", type=click.FloatRange(0, 3600), default=2.0, show_default=True,
                     help="Seconds a drop's files must be unchanged before it is picked up.")(f)
    f = click.option("--dask-workers", type=click.IntRange(1, 256), default=2, show_default=True,
                     help="Workers of the local Dask cluster.")(f)
    f = click.option("--dask-address", default=None,
                     help="Scheduler address of an existing Dask cluster (implies --task-runner dask).")(f)
    f = click.option("--task-runner", type=click.Choice(["sequential", "dask"]), default="sequential",
                     show_default=True, help="Repair groups in this process, or on a Dask cluster.")(f)
    f = click.option("--reports-url", default=None, metavar="URL",
                     help="Where the output folder is published: the review desk (mtrepair review OUT_DIR) or a web "
                          "server on it; index.html and the Prefect artifacts link each drop's report there.")(f)
    f = languagetool_url_option(f)
    f = model_option(f)
    f = min_confidence_option()(f)
    f = click.option("-o", "--out", "out_dir", required=True, type=click.Path(path_type=Path),
                     help="Output folder: one folder per drop, index.html and index.json.")(f)
    f = click.argument("drops_dir", type=click.Path(path_type=Path))(f)
    return f


def _overrides(min_confidence, model, languagetool_url) -> dict:
    given = {"min_confidence": min_confidence, "model": model, "languagetool_url": languagetool_url}
    return {k: v for k, v in given.items() if v is not None}


def _check_drops_dir(path: Path) -> None:
    from repair.errors import InputError

    if not path.exists():
        raise InputError(path, "no such folder")
    if not path.is_dir():
        raise InputError(path, "is not a folder")


@click.command("batch")
@_runner_options
@uses_running_services
def batch_command(drops_dir, out_dir, min_confidence, model, languagetool_url, task_runner, dask_address,
                  dask_workers, settle, group_size, reports_url):
    """Repair every drop in DROPS_DIR that is new or changed since its last repair."""
    if dask_address:
        task_runner = "dask"
    started = time.perf_counter()
    with user_errors():
        _check_drops_dir(drops_dir)
        from repair.batch.batch_index import index_if_nothing_to_do
        from repair.config import Settings

        overrides = _overrides(min_confidence, model, languagetool_url)
        document = index_if_nothing_to_do(drops_dir, out_dir, Settings.from_env(**overrides), settle, on_wait=click.echo,
                                          reports_url=reports_url)
    if document is not None:  # nothing new: no need to start Prefect, the model or LanguageTool
        _print_batch(document, Path(out_dir), time.perf_counter() - started)
        return
    guard_processes()
    with user_errors():
        from repair.engines import resources
        from flows.batch import add_progress_hook, run_batch

        if task_runner == "sequential":  # LanguageTool and the model start while Prefect starts
            resources.prefetch(Settings.from_env(**overrides))

        progress = _Progress()
        remove = add_progress_hook(progress)
        try:
            document = run_batch(
                str(drops_dir), str(out_dir), task_runner=task_runner, dask_address=dask_address,
                dask_workers=dask_workers, group_size=group_size, settle_seconds=settle,
                settings=overrides, reports_url=reports_url,
            )
        finally:
            remove()
            progress.close()
    _print_batch(document, Path(out_dir), time.perf_counter() - started)


class _Progress:
    """A rich progress bar on a terminal; one line per drop otherwise."""

    def __init__(self) -> None:
        self.bar = None
        self.task = None
        self.tty = sys.stdout.isatty()

    def __call__(self, entry, done: int, total: int) -> None:
        line = f"[{done}/{total}] {entry.name}: " + (
            f"{entry.proposals} proposals" if entry.status == "repaired" else f"error: {entry.error}")
        if not self.tty:
            click.echo(line)
            return
        if self.bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("repairing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                TextColumn("{task.description}"))
            self.bar.start()
            self.task = self.bar.add_task("", total=total)
        self.bar.update(self.task, completed=done, description=entry.name)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _print_batch(document: dict, out_dir: Path, wall: float) -> None:
    counts = document["counts"]
    repaired = counts["repaired"]
    rate = f" ({60 * repaired / wall:.1f} drops/min)" if repaired else ""
    click.echo(", ".join(f"{n} {status}" for status, n in counts.items()) + f" in {wall:.1f} s{rate}")
    for drop in document["drops"]:
        if drop["status"] == "error":
            click.echo(f"bad drop: {drop['name']}: {drop['error']}")
        elif drop["status"] == "pending":
            click.echo(f"not yet: {drop['name']}: {drop['error']}")
    click.echo(f"index: {out_dir / 'index.html'}")


@click.command("serve")
@_runner_options
@click.option("--interval", default=None, help="Run every INTERVAL (30s, 10m, 2h, 1d).")
@click.option("--cron", default=None, help="Run on a cron schedule, e.g. '*/15 * * * *'.")
@click.option("--name", default=None, help="Deployment name (default: the drops folder's name).")
@click.option("--warm/--no-warm", default=True, show_default=True,
              help="Keep the model loaded between runs in a local Dask cluster of --dask-workers workers "
                   "(ignored with --dask-address).")
@uses_running_services
def serve_command(drops_dir, out_dir, min_confidence, model, languagetool_url, task_runner, dask_address,
                  dask_workers, settle, group_size, reports_url, interval, cron, name, warm):
    """Serve a Prefect deployment that repairs new drops in DROPS_DIR on a schedule."""
    if (interval is None) == (cron is None):
        raise click.UsageError("give exactly one of --interval or --cron")
    every = parse_interval(interval) if interval else None
    if dask_address:
        task_runner = "dask"
    # Served runs report to a real Prefect server, and their log lines are what the UI shows.
    os.environ.setdefault("PREFECT_API_URL", DEFAULT_API_URL)
    if os.environ.get("PREFECT_LOGGING_LEVEL") == "CRITICAL":
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
    with user_errors():
        _check_drops_dir(drops_dir)
        guard_processes()
        from flows.serve import serve_batch

        serve_batch(
            drops_dir=str(drops_dir.resolve()), out_dir=str(out_dir.resolve()), interval=every, cron=cron,
            name=name or drops_dir.resolve().name, task_runner=task_runner, dask_address=dask_address,
            dask_workers=dask_workers, group_size=group_size, settle_seconds=settle,
            settings=_overrides(min_confidence, model, languagetool_url), warm=warm, on_warm=_say_warm,
            reports_url=reports_url,
        )


def _say_warm(cluster) -> None:
    pids = ", ".join(str(pid) for pid in cluster.worker_pids)
    click.echo(f"warm Dask cluster {cluster.address}: the model is loaded in worker processes {pids}")
