"""The `mtrepair-batch` flow: repair every new or changed drop in a drops folder.

    scan the drops (layout, content hash, still being copied?) ->
    skip those whose current content already has a complete run ->
    repair the rest in groups, one Prefect task per group ->
    write OUT_DIR/index.json + index.html and publish a summary table

One LanguageTool server serves the whole batch (started here unless a URL is
given) and the model is loaded once per process, so many small drops cost
about what their sentences cost. Groups run one after another in this process
(`task_runner="sequential"`) or on a Dask cluster (`"dask"`): a local
`distributed.LocalCluster` by default, or an existing one at `dask_address`.
Each Dask worker process loads its own model; on a local cluster all workers
use this process's LanguageTool server, on a remote cluster the configured
MTREPAIR_LANGUAGETOOL_URL or else one server per worker.

Bad drops are recorded in the index and in OUT_DIR/<drop>/error.json; the
flow itself fails only when the drops or output folder cannot be used.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.futures import as_completed
from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings
from prefect.states import Failed
from prefect.task_runners import ThreadPoolTaskRunner

from repair.batch.batch_index import (
    IndexEntry,
    clear_error,
    entry_for_run,
    error_entry,
    index_document,
    out_lock,
    plan,
    run_dir,
    write_error,
    write_index,
)
from repair.config import Settings
from repair.batch.drops import DEFAULT_SETTLE_SECONDS, scan_drops
from repair.reporting.outputs import prepare_out_dir
from repair.records import PROPOSAL_KINDS

from .local import on_demand
from repair.batch.drop_work import DropJob, DropResult, repair_group
from .report_links import markdown_text, report_link
from .run_names import batch_run_name, drop_run_name, group_run_name

TASK_RUNNERS = ("sequential", "dask")
DEFAULT_GROUP_SIZE = 8

ProgressHook = Callable[[IndexEntry, int, int], None]
_progress_hooks: list[ProgressHook] = []


def add_progress_hook(hook: ProgressHook) -> Callable[[], None]:
    """Call `hook(entry, done, total)` for each drop this process repairs; returns a remover.

    The CLI uses it for its progress bar; a served flow logs a line per drop instead.
    """
    _progress_hooks.append(hook)
    return lambda: _progress_hooks.remove(hook)


@task(name="repair-drops", cache_policy=NONE, task_run_name=group_run_name)
def repair_group_task(jobs: list[DropJob]) -> list[DropResult]:
    """Repair one group of drops in whichever process the task runner chose."""
    return repair_group(jobs)


def make_task_runner(kind: str, dask_address: str | None = None, dask_workers: int = 2):
    """The Prefect task runner for `kind`: 'sequential' (this process) or 'dask'."""
    if kind == "sequential":
        return ThreadPoolTaskRunner(max_workers=1)
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        # Dask's scheduler and nannies log their life cycle at INFO in this process; that is
        # Prefect-level detail, shown when Prefect's own lines are (mtrepair -v), never below WARNING.
        level = max(logging.WARNING, logging.getLogger("prefect").getEffectiveLevel())
        logging.getLogger("distributed").setLevel(level)

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(
            cluster_class="distributed.LocalCluster",
            cluster_kwargs={"n_workers": dask_workers, "threads_per_worker": 1, "processes": True,
                            "dashboard_address": ":0", "silence_logs": logging.ERROR},
        )
    raise ValueError(f"unknown task runner {kind!r} (choose from {', '.join(TASK_RUNNERS)})")


def settings_from(value: Settings | dict | None) -> Settings:
    """Settings from a flow parameter: a Settings, a dict of overrides (deployments), or the environment."""
    if isinstance(value, Settings):
        return value
    overrides = dict(value or {})
    if "disabled_rules" in overrides:
        overrides["disabled_rules"] = tuple(overrides["disabled_rules"])
    return Settings.from_env(**overrides)


def groups(jobs: list[DropJob], size: int) -> list[list[DropJob]]:
    """Jobs in groups of `size`, in order (the same for every task runner, so results match)."""
    size = max(1, size)
    return [jobs[i : i + size] for i in range(0, len(jobs), size)]


def _languagetool_for_workers(base: Settings, task_runner: str, dask_address: str | None) -> Settings:
    """The settings the workers get: one shared server URL, unless each remote worker starts its own."""
    if base.languagetool_url or (task_runner == "dask" and dask_address):
        return base
    from repair.engines import resources  # here, so a run whose work goes to warm workers never imports it

    return replace(base, languagetool_url=resources.languagetool_url(base))


def _never_retry(task, task_run, state) -> bool:
    return False


# retries=1 with a condition that always says no: a refused drop is final (the next batch retries it
# if it can be), and Prefect then ends the task run with one "Finished in state Failed(...)" line
# instead of also logging an empty traceback ("NoneType: None") for a state that carries no exception.
@task(name="drop", cache_policy=NONE, task_run_name=drop_run_name, retries=1, retry_condition_fn=_never_retry)
def drop_outcome(entry: IndexEntry, line: str):
    """One drop's outcome as its own task run: its log line, and a failed state when the drop was refused.

    The Prefect UI then lists every drop of a batch with its state, and a refused
    drop is a failed task run whose message is the one-line error.
    """
    logger = get_run_logger()
    if entry.status == "error":
        logger.warning("%s", line)
        return Failed(message=f"{entry.name}: {entry.error}")
    logger.info("%s", line)
    return entry.status


@flow(name="mtrepair-batch", flow_run_name=batch_run_name, log_prints=False, validate_parameters=False)
def batch(
    drops_dir: str,
    out_dir: str,
    task_runner: str = "sequential",
    dask_address: str | None = None,
    dask_workers: int = 2,
    group_size: int = DEFAULT_GROUP_SIZE,
    settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    settings: dict | None = None,
    publish_artifacts: bool = True,
    reports_url: str | None = None,
) -> dict:
    """Repair every drop of `drops_dir` not yet repaired in its current content; return index.json's content.

    `reports_url` is where a web server publishes `out_dir` (e.g. http://reports.internal/mtrepair/), or the
    review desk over it (`mtrepair review OUT_DIR`): the artifacts and index.html then link each report
    there, so the links open from the Prefect UI (a browser does not open file:// links from a web page);
    on the desk each link opens the drop's review page.
    """
    if task_runner not in TASK_RUNNERS:
        raise ValueError(f"unknown task runner {task_runner!r} (choose from {', '.join(TASK_RUNNERS)})")
    logger = get_run_logger()
    started = time.perf_counter()
    base = settings_from(settings)
    out = prepare_out_dir(out_dir)
    with out_lock(out, on_wait=logger.info):
        scan = scan_drops(drops_dir, base, settle_seconds, exclude=out)
        todo, entries = plan(out, scan)
        logger.info(
            "%d drops: %d to repair, %d unchanged, %d bad, %d still being copied",
            len(scan.ready) + len(scan.bad) + len(scan.pending), len(todo),
            len(scan.ready) - len(todo), len(scan.bad), len(scan.pending),
        )
        _report_known(entries, logger)
        if todo:
            entries += _repair(out, todo, base, task_runner, dask_address, dask_workers, group_size, logger)
        document = index_document(entries, str(drops_dir), round(time.perf_counter() - started, 2))
        write_index(out, document, reports_url)
    if publish_artifacts:
        _publish(out, document, reports_url)
    logger.info("index: %s", out / "index.html")
    return document


def _repair(out: Path, todo, base: Settings, task_runner, dask_address, dask_workers, group_size, logger) -> list[IndexEntry]:
    shared = _languagetool_for_workers(base, task_runner, dask_address)
    jobs = [DropJob(d, str(run_dir(out, d)), d.settings(shared)) for d in todo]
    entries: list[IndexEntry] = []
    with make_task_runner(task_runner, dask_address, dask_workers) as runner:
        futures = {runner.submit(repair_group_task, {"jobs": group}): group for group in groups(jobs, group_size)}
        for future in as_completed(list(futures)):
            try:
                results = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker fails its group, recorded per drop
                results = [DropResult(j.drop.name, j.drop.content_hash, "error",
                                      error=f"the worker failed: {type(exc).__name__}: {exc}") for j in futures[future]]
            by_name = {job.drop.name: job.drop for job in futures[future]}
            for result in results:
                entry = _record(out, by_name[result.name], result)
                entries.append(entry)
                _report_progress(entry, len(entries), len(jobs), result)
    return entries


def _record(out: Path, drop, result: DropResult) -> IndexEntry:
    if result.status == "repaired":
        clear_error(out, drop.name)
        return entry_for_run(out, drop, "repaired")
    write_error(out, drop.name, result.error or "unknown error", drop.content_hash, retry=result.retry)
    return error_entry(out, drop.name, result.error or "unknown error", drop.content_hash)


def _report_known(entries: list[IndexEntry], logger) -> None:
    """A line for each drop this batch does not repair; a failed task run for each refused one."""
    for entry in entries:
        if entry.status == "error":
            drop_outcome(entry, f"{entry.name}: error: {entry.error}", return_state=True)
        elif entry.status == "unchanged":
            logger.info("%s: unchanged (report %s)", entry.name, entry.report)
        elif entry.status == "pending":
            logger.info("%s: still being copied, left for the next batch", entry.name)


def _report_progress(entry: IndexEntry, done: int, total: int, result: DropResult) -> None:
    if entry.status == "repaired":
        kinds = ", ".join(f"{k} {entry.by_kind.get(k, 0)}" for k in PROPOSAL_KINDS)
        line = f"[{done}/{total}] {entry.name}: repaired in {result.seconds:.1f} s ({kinds})"
    else:
        line = f"[{done}/{total}] {entry.name}: error: {entry.error}"
    drop_outcome(entry, line, return_state=True)
    for hook in list(_progress_hooks):
        hook(entry, done, total)


def _publish(out: Path, document: dict, reports_url: str | None = None) -> None:
    """The batch summary table and the links to reports, as Prefect artifacts."""
    rows = []
    for d in document["drops"]:
        rows.append({
            "drop": d["name"],
            "status": d["status"],
            **{kind: d["by_kind"].get(kind, "") for kind in PROPOSAL_KINDS},
            "report": report_link(out, d["report"], reports_url) if d["report"] else (d["error"] or ""),
        })
    c = document["counts"]
    description = ", ".join(f"{n} {status}" for status, n in c.items())
    create_table_artifact(key="mtrepair-batch", table=rows, description=f"mtrepair batch: {description}")
    lines = [f"# mtrepair batch\n\n{description}; [index]({report_link(out, 'index.html', reports_url)})\n"]
    for d in document["drops"]:
        name = markdown_text(d["name"])
        if d["report"] and d["status"] in ("repaired", "unchanged"):
            lines.append(f"- **{name}**: {d['status']}, [report]({report_link(out, d['report'], reports_url)})")
        elif d["status"] == "error":
            lines.append(f"- **{name}**: error: {markdown_text(d['error'] or '')}")
    create_markdown_artifact(key="mtrepair-batch-reports", markdown="\n".join(lines),
                             description="the current report of every drop, and the refused drops")


@contextmanager
def shared_prefect_api() -> Iterator[str | None]:
    """Give the processes this one starts (Dask workers) the same Prefect API.

    With no PREFECT_API_URL, Prefect runs a temporary server for this process
    only, and each worker process would start its own on the same database. Here
    this process's temporary server is started up front and its URL is put in
    the environment and the settings the workers inherit.
    """
    if get_current_settings().api.url:
        yield get_current_settings().api.url
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the one Prefect itself uses in this process
    server.start()
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield server.api_url
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous


def run_batch(drops_dir: str, out_dir: str, task_runner: str = "sequential", **options) -> dict:
    """Run the batch flow in this process (the CLI's and the tests' entry point)."""
    with on_demand():
        if task_runner == "dask":
            with shared_prefect_api():
                return batch(drops_dir, out_dir, task_runner=task_runner, **options)
        return batch(drops_dir, out_dir, task_runner=task_runner, **options)
