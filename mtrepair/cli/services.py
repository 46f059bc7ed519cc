"""`mtrepair up`, `mtrepair down`, `mtrepair status`: keep a Prefect server and LanguageTool warm.

`up` starts the keeper (mtrepair/services/keeper.py) in the background, waits until
both servers answer and returns; later runs find them (mtrepair/services/discover.py).
`down` stops them; `status` says what runs, where, since when and its memory, with
exit code 0 when they run and 3 when not (as `systemctl status` does).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime

import click

from mtrepair.cli.common import one_line

NOT_RUNNING = 3


def _duration(text: str) -> float:
    from mtrepair.cli.batch import parse_interval

    return parse_interval(text).total_seconds()


@click.command("up")
@click.option("--idle-timeout", default=None, metavar="DURATION",
              help="Stop both servers after this long without a run (30s, 10m, 2h; default 30m, "
                   "or MTREPAIR_UP_IDLE_TIMEOUT).")
@click.option("--check", is_flag=True, help="Only say whether they run (as `mtrepair status`).")
@click.option("--timeout", type=click.FloatRange(1, 3600), default=300, show_default=True,
              help="Seconds to wait for both servers to answer.")
def up(idle_timeout: str | None, check: bool, timeout: float) -> None:
    """Start a Prefect server and a LanguageTool server in the background for later runs."""
    from filelock import FileLock

    from mtrepair.services import state as up_state

    if check:
        _status(quiet=False)
        return
    idle_s = _duration(idle_timeout or os.environ.get("MTREPAIR_UP_IDLE_TIMEOUT") or "30m")
    folder = up_state.home()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"{folder}: cannot create the state folder ({exc.strerror})") from None
    with FileLock(str(folder / "up.lock"), timeout=timeout):
        current = up_state.read_state(folder)
        if current is not None and up_state.pid_alive(current.keeper_pid):
            if current.ready:
                click.echo("mtrepair up: already running")
                _describe(current)
                return
        elif current is not None:
            up_state.remove_state(folder)  # a keeper that was killed: its servers died with it
        log = folder / "keeper.log"
        with open(log, "ab") as out:
            keeper = subprocess.Popen(
                [sys.executable, "-m", "mtrepair.services.keeper", "--idle-timeout", str(idle_s)],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            current = up_state.read_state(folder)
            if current is not None and current.ready and current.keeper_pid == keeper.pid:
                click.echo(f"mtrepair up: started (stops after {_human(idle_s)} without a run; `mtrepair down` stops it now)")
                _describe(current)
                return
            if keeper.poll() is not None:
                raise click.ClickException(f"the servers did not start: {_last_line(log)} (log: {log})")
            time.sleep(0.25)
        keeper.terminate()
        raise click.ClickException(f"the servers did not answer within {timeout:.0f} s (log: {log})")


@click.command("down")
@click.option("--timeout", type=click.FloatRange(1, 600), default=60, show_default=True,
              help="Seconds to wait before the servers are killed.")
def down(timeout: float) -> None:
    """Stop the servers that `mtrepair up` started."""
    from mtrepair.services import state as up_state

    current = up_state.read_state()
    if current is None:
        click.echo("mtrepair down: nothing runs")
        return
    pids = [current.keeper_pid] + [s.pid for s in (current.prefect, current.languagetool) if s is not None]
    if up_state.pid_alive(current.keeper_pid):
        os.kill(current.keeper_pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(up_state.pid_alive(pid) for pid in pids):
        time.sleep(0.2)
    left = [pid for pid in pids if up_state.pid_alive(pid)]
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    up_state.remove_state()
    click.echo("mtrepair down: stopped" + (f" (killed {len(left)} that did not stop in {timeout:.0f} s)" if left else ""))


@click.command("status")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing; exit code 0 when the servers run, 3 when not.")
def status(quiet: bool) -> None:
    """Say whether the servers of `mtrepair up` run, where, since when, and their memory."""
    _status(quiet)


def _status(quiet: bool) -> None:
    from mtrepair.services import state as up_state

    current = up_state.read_state()
    if current is None or not up_state.pid_alive(current.keeper_pid):
        if not quiet:
            click.echo("mtrepair: no servers of `mtrepair up` run; runs start their own (`mtrepair up` keeps them warm)")
        sys.exit(NOT_RUNNING)
    if not quiet:
        if not current.ready:
            click.echo("mtrepair up: starting")
        _describe(current)
        idle = up_state.idle_seconds(current)
        click.echo(f"  idle for {_human(idle)}; stops after {_human(current.idle_timeout_s)} without a run")


def _describe(current) -> None:
    from mtrepair.services import state as up_state

    for label, server in (("Prefect", current.prefect), ("LanguageTool", current.languagetool)):
        if server is None:
            click.echo(f"  {label}: not running")
            continue
        memory = up_state.resident_mb(server.pid)
        alive = up_state.pid_alive(server.pid)
        click.echo(f"  {label} {server.version}: {server.url}  pid {server.pid}"
                   f"{'' if alive else ' (not running)'}, since {_since(server.started)}"
                   + (f", {memory:.0f} MB" if memory is not None else ""))
    memory = up_state.resident_mb(current.keeper_pid)
    runner = ", runs `mtrepair run` warm" if current.runner else ""
    click.echo(f"  keeper: pid {current.keeper_pid}{runner}" + (f", {memory:.0f} MB" if memory is not None else "")
               + f"; state in {up_state.home()}")


def _since(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")


def _human(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s"


def _last_line(path) -> str:
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "(no log)"
    return one_line(lines[-1]) if lines else "(empty log)"
