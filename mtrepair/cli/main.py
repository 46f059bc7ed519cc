"""`mtrepair`: repair machine-translated articles against references.

Each command parses its arguments, calls one flow or library function, and
prints a short result. Errors a user can fix are printed as one line (file and
problem) with a non-zero exit code, never as a traceback.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from mtrepair import env
from mtrepair.cli.batch import batch_command, serve_command
from mtrepair.cli.correct import correct
from mtrepair.cli.languagetool import languagetool
from mtrepair.cli.review import apply, review
from mtrepair.cli.common import (guard_processes, languagetool_url_option, min_confidence_option, model_option,
                                 stop_on_ctrl_c, user_errors, uses_running_services)
from mtrepair.cli.services import down, status, up
from mtrepair.cli.setup import setup

_user_errors = user_errors  # its old name
__all__ = ["cli", "main", "stop_on_ctrl_c"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show Prefect's own log lines.")
@click.version_option(package_name="mtrepair")
def cli(verbose: bool) -> None:
    """Repair machine-translated English articles against cleaner reference articles.

    Once per machine, after installing: `mtrepair setup` (Java check, LanguageTool's jars, the model's ONNX export).
    """
    env.configure(verbose)


@cli.command()
@click.argument("target", type=click.Path(path_type=Path))
@click.option("-r", "--reference", "references", multiple=True, type=click.Path(path_type=Path),
              help="A cleaner article on the same event (repeatable).")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Run folder (default outputs/<target>-<timestamp>/).")
@min_confidence_option()
@model_option
@languagetool_url_option
@click.option("--review", is_flag=True,
              help="Then pause for an editor's decisions (review page, or the paused run's form in the Prefect UI) "
                   "and write final.txt.")
@click.option("--no-browser", is_flag=True, help="With --review: print the review page's address, do not open it.")
@uses_running_services
def run(target, references, out_dir, min_confidence, model, languagetool_url, review, no_browser):
    """Repair TARGET against one or more --reference articles."""
    from repair.config import Settings

    settings = Settings.from_env(min_confidence=min_confidence, model=model, languagetool_url=languagetool_url)
    started = time.perf_counter()
    if not review and _ran_in_keeper(target, references, out_dir, settings, started):
        return
    with user_errors():
        check_inputs([target, *references])
        check_model(settings.model)
        check_out_dir(out_dir or "outputs")
        guard_processes()
        from repair.engines import resources
        from flows.local import on_demand
        from flows.repair_pair import repair_pair

        resources.prefetch(settings)

        if review:
            from flows.review import repair_and_review

            record = repair_and_review(str(target), [str(r) for r in references],
                                       str(out_dir) if out_dir else None, settings, open_browser=not no_browser)
        else:
            with on_demand():
                record = repair_pair(str(target), [str(r) for r in references],
                                     str(out_dir) if out_dir else None, settings)
    _print_summary(record, time.perf_counter() - started)
    if review:
        click.echo(f"final article: {record.review['final']}  (audit: {record.review['changes']})")


def _ran_in_keeper(target, references, out_dir, settings, started: float) -> bool:
    """With `mtrepair up`'s warm runner at hand, run there and print the summary; False to run here."""
    from mtrepair.services.delegate import RunnerFailed, run_in_keeper

    with user_errors():
        try:
            folder = run_in_keeper(target, list(references), out_dir, settings)
        except RunnerFailed as exc:
            click.echo(f"mtrepair: {exc} (run with -v for details)", err=True)
            raise SystemExit(1) from None
        if folder is None:
            return False
        from repair.reporting.run_record import RunRecord

        record = RunRecord.read(folder)
    _print_summary(record, time.perf_counter() - started)
    click.echo("ran in the warm process of `mtrepair up` (`mtrepair status`)")
    return True


def check_inputs(paths) -> None:
    """Read every input once before any work, so a bad file fails fast and alone."""
    from repair.text.articles import read_any_article

    for path in paths:
        read_any_article(path)


def check_out_dir(path) -> None:
    """Make sure the run folder can be created and written, without creating it yet."""
    from repair.reporting.outputs import check_out_dir as check

    check(path)


def check_model(model: str) -> None:
    """Make sure the model setting names a usable model before any work (a cheap look, not a load)."""
    from repair.alignment.align import resolve_model

    resolve_model(model)


def _print_summary(record, wall: float) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    summary = record.summary
    table = Table(title=f"mtrepair: {record.target['name']}", show_header=True, header_style="bold")
    kinds = {kind: n for kind, n in summary["by_kind"].items() if kind != "word"}  # words: a line of their own
    for kind in kinds:
        table.add_column(kind, justify="right")
    table.add_column("sentences touched", justify="right")
    table.add_column(f"applied ≥ {record.settings['min_confidence']}", justify="right")
    table.add_row(*[str(v) for v in kinds.values()],
                  f"{summary['sentences_touched']}/{summary['sentences']}", str(summary["applied"]))
    console.print(table)
    words = summary["by_kind"].get("word", 0)
    if words:
        click.echo(f"out-of-place words: {words} flagged with alternatives, for the reviewer (never applied by default)")
    coverage = summary.get("coverage")
    if coverage:
        click.echo(f"coverage: {coverage['supported']} of {coverage['sentences']} sentences supported by the references")
    click.echo("time per stage: " + ", ".join(f"{k} {v:.2f} s" for k, v in record.timings.items())
               + f"; total {wall:.1f} s")
    if record.startup:
        click.echo("started in the background: " + ", ".join(f"{k} {v:.2f} s" for k, v in record.startup.items()))
    for note in record.notes:
        click.echo(f"note: {note}")
    click.echo(f"report: {Path(record.out_dir) / 'report.html'}")


cli.add_command(correct)
cli.add_command(review)
cli.add_command(apply)
cli.add_command(batch_command)
cli.add_command(serve_command)
cli.add_command(languagetool)
cli.add_command(setup)
cli.add_command(up)
cli.add_command(down)
cli.add_command(status)


def main() -> None:
    cli(prog_name="mtrepair")
