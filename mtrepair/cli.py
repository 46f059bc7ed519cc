"""`mtrepair`: repair machine-translated articles against references.

Each command parses its arguments, calls one flow or library function, and
prints a short result. Errors a user can fix are printed as one line (file and
problem) with a non-zero exit code, never as a traceback.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import env


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show Prefect's own log lines.")
@click.version_option(package_name="mtrepair")
def cli(verbose: bool) -> None:
    """Repair machine-translated English articles against cleaner reference articles."""
    env.configure(verbose)


@cli.command()
@click.argument("target", type=click.Path(path_type=Path))
@click.option("-r", "--reference", "references", multiple=True, type=click.Path(path_type=Path),
              help="A cleaner article on the same event (repeatable).")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Run folder (default outputs/<target>-<timestamp>/).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Apply proposals at or above this confidence in repaired.txt (default: chosen on dev data, docs/quality.md).")
@click.option("--model", default=None, help="sentence-transformers model name or folder.")
@click.option("--languagetool-url", default=None, help="Use this running LanguageTool server.")
@click.option("--review", is_flag=True,
              help="Then pause for an editor's decisions (review page, or the paused run's form in the Prefect UI) "
                   "and write final.txt.")
@click.option("--no-browser", is_flag=True, help="With --review: print the review page's address, do not open it.")
def run(target, references, out_dir, min_confidence, model, languagetool_url, review, no_browser):
    """Repair TARGET against one or more --reference articles."""
    from repair.config import Settings

    settings = Settings.from_env(min_confidence=min_confidence, model=model, languagetool_url=languagetool_url)
    started = time.perf_counter()
    with _user_errors():
        check_inputs([target, *references])
        check_model(settings.model)
        check_out_dir(out_dir or "outputs")
        from flows import resources
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
        click.echo(f"final article: {record['review']['final']}  (audit: {record['review']['changes']})")


def check_inputs(paths) -> None:
    """Read every input once before any work, so a bad file fails fast and alone."""
    from repair.load import read_article

    for path in paths:
        read_article(path)


def check_out_dir(path) -> None:
    """Make sure the run folder can be created and written, without creating it yet."""
    from repair.outputs import check_out_dir as check

    check(path)


def check_model(model: str) -> None:
    """Make sure the model setting names a usable model before any work (a cheap look, not a load)."""
    from repair.align import resolve_model

    resolve_model(model)


def _print_summary(record: dict, wall: float) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    summary = record["summary"]
    table = Table(title=f"mtrepair: {record['target']['name']}", show_header=True, header_style="bold")
    for kind in summary["by_kind"]:
        table.add_column(kind, justify="right")
    table.add_column("sentences touched", justify="right")
    table.add_column(f"applied ≥ {record['settings']['min_confidence']}", justify="right")
    table.add_row(*[str(v) for v in summary["by_kind"].values()],
                  f"{summary['sentences_touched']}/{summary['sentences']}", str(summary["applied"]))
    console.print(table)
    coverage = summary.get("coverage")
    if coverage:
        click.echo(f"coverage: {coverage['supported']} of {coverage['sentences']} sentences supported by the references")
    click.echo("time per stage: " + ", ".join(f"{k} {v:.2f} s" for k, v in record["timings"].items())
               + f"; total {wall:.1f} s")
    if record.get("startup"):
        click.echo("started in the background: " + ", ".join(f"{k} {v:.2f} s" for k, v in record["startup"].items()))
    for note in record.get("notes", []):
        click.echo(f"note: {note}")
    click.echo(f"report: {Path(record['out_dir']) / 'report.html'}")


def stop_on_ctrl_c() -> None:
    """Make Ctrl+C (SIGINT) stop a long-running command even when the shell started it
    with SIGINT ignored (a background job), in which case Python installs no handler."""
    import signal

    signal.signal(signal.SIGINT, signal.default_int_handler)


class _user_errors:
    """Turn RepairError into one line on stderr and exit code 2; any other
    failure into one line and exit code 1 (the traceback only with -v)."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        import errno
        from pathlib import Path

        from repair.errors import RepairError

        if exc is None or isinstance(exc, (SystemExit, click.exceptions.Exit, click.ClickException)):
            return False
        error = exc
        while error is not None and not isinstance(error, RepairError):
            error = error.__cause__ or error.__context__
        if isinstance(error, RepairError):
            click.echo(f"mtrepair: error: {_one_line(str(error))}", err=True)
            sys.exit(2)
        if isinstance(exc, KeyboardInterrupt):
            click.echo("mtrepair: interrupted", err=True)
            sys.exit(130)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            where = Path(exc.filename).parent if exc.filename else "the output folder"
            click.echo(f"mtrepair: error: {where}: no space left on the device; finished runs are kept, "
                       "run again when there is room", err=True)
            sys.exit(2)
        if env.verbose():
            return False
        click.echo(f"mtrepair: internal error: {type(exc).__name__}: {_one_line(str(exc))} (run with -v for details)", err=True)
        sys.exit(1)


def _one_line(text: str) -> str:
    return " ".join(text.split())


from .cli_correct import correct  # noqa: E402  (line mode lives in its own module)

cli.add_command(correct)


def main() -> None:
    cli(prog_name="mtrepair")


from .cli_review import apply, review  # noqa: E402 - registered after the group exists

cli.add_command(review)
cli.add_command(apply)

from .cli_batch import batch_command, serve_command  # noqa: E402 - registered last: it uses _user_errors

cli.add_command(batch_command)
cli.add_command(serve_command)

from .cli_languagetool import languagetool  # noqa: E402

cli.add_command(languagetool)
