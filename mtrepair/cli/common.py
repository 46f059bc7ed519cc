"""What every `mtrepair` command shares: the options declared once, and one
way to turn an error into one line and an exit code."""

from __future__ import annotations

import sys

import click

from mtrepair import env

model_option = click.option("--model", default=None, help="sentence-transformers model name or folder.")
languagetool_url_option = click.option("--languagetool-url", default=None, help="Use this running LanguageTool server.")


def min_confidence_option(what: str = "in repaired.txt"):
    """--min-confidence; its default is the threshold chosen on dev data for the calibration profile."""
    from repair.config import default_min_confidence

    chosen = ", ".join(f"{profile} {default_min_confidence(profile)}" for profile in ("mt", "learner"))
    return click.option(
        "--min-confidence", type=click.FloatRange(0, 1), default=None,
        help=f"Apply proposals at or above this confidence {what} "
             f"(default: the calibration profile's threshold, chosen on dev data: {chosen}; docs/quality.md).",
    )


def uses_running_services(command):
    """For the commands that run the pipeline: first look for the servers that `mtrepair up`
    keeps warm and use them (mtrepair/services/discover.py); one note line when some were
    started but cannot be used, and the command then starts its own, as without `up`."""
    import functools

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from mtrepair.services.discover import use_running_services

        note = use_running_services()
        if note:
            click.echo(f"mtrepair: note: {note}", err=True)
        return command(*args, **kwargs)

    return wrapper


def guard_processes() -> None:
    """From here on, every process this command starts (LanguageTool's JVM, Prefect's temporary
    server, Dask workers, Maven) is stopped when the command ends, even when it is killed with
    SIGKILL (mtrepair/reaper.py). Called by each command just before it starts any."""
    from mtrepair import reaper

    reaper.guard()


def stop_on_ctrl_c() -> None:
    """Make Ctrl+C (SIGINT) stop a long-running command even when the shell started it
    with SIGINT ignored (a background job), in which case Python installs no handler."""
    import signal

    signal.signal(signal.SIGINT, signal.default_int_handler)


class user_errors:
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
            click.echo(f"mtrepair: error: {one_line(str(error))}", err=True)
            sys.exit(2)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            where = Path(exc.filename).parent if exc.filename else "the output folder"
            click.echo(f"mtrepair: error: {where}: no space left on the device; finished runs are kept, "
                       "run again when there is room", err=True)
            sys.exit(2)
        if isinstance(exc, KeyboardInterrupt):
            click.echo("mtrepair: interrupted", err=True)
            sys.exit(130)
        if env.verbose():
            return False
        click.echo(f"mtrepair: internal error: {type(exc).__name__}: {one_line(str(exc))} (run with -v for details)", err=True)
        sys.exit(1)


def one_line(text: str) -> str:
    return " ".join(text.split())
