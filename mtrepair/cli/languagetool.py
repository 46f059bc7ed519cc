"""`mtrepair languagetool`: a long-lived LanguageTool server that later runs reuse.

Every `mtrepair run` otherwise starts its own JVM and warms it up. Started once
here and named by MTREPAIR_LANGUAGETOOL_URL, one server serves any number of
runs, so a cold run pays only for the model (see README, Performance).
"""

from __future__ import annotations

import click

from mtrepair.cli.common import guard_processes, stop_on_ctrl_c, user_errors


@click.command("languagetool")
@click.option("--port", type=click.IntRange(0, 65535), default=8081, show_default=True,
              help="Port on 127.0.0.1 (0: a free one).")
def languagetool(port: int) -> None:
    """Run the LanguageTool server on 127.0.0.1 until Ctrl+C, for runs to share."""
    import signal
    import time

    from repair.engines.grammar import GrammarChecker
    from repair.engines.languagetool import LanguageToolServer, is_alive

    with user_errors():
        if port and is_alive(f"http://127.0.0.1:{port}", timeout=1.0):
            raise click.UsageError(f"a LanguageTool server already answers on port {port}")
        guard_processes()
        server = LanguageToolServer(port=port or None).start()
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as cleanly as Ctrl+C
    stop_on_ctrl_c()
    try:
        GrammarChecker(server.url).warm_up()
        click.echo(f"LanguageTool {server.url} is up (Ctrl+C to stop). In another shell:")
        click.echo(f"  export MTREPAIR_LANGUAGETOOL_URL={server.url}")
        while server.running:
            time.sleep(1)
        click.echo(f"LanguageTool stopped: {server.log_tail()}", err=True)
        raise SystemExit(1)
    except KeyboardInterrupt:
        click.echo("LanguageTool server stopped")
    finally:
        server.stop()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
