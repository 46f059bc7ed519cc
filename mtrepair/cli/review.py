"""`mtrepair review` and `mtrepair apply`: from a run's proposals to the final article.

    mtrepair review RUN_DIR            serve the review page; Save writes RUN_DIR/decisions.json
    mtrepair apply RUN_DIR --decisions RUN_DIR/decisions.json
                                       write RUN_DIR/final.txt and RUN_DIR/changes.md

Both refuse, in one line, a folder that is not a finished run and decisions made
for another run or a changed text.
"""

from __future__ import annotations

from pathlib import Path

import click

from mtrepair.cli.common import stop_on_ctrl_c, user_errors


@click.command("review")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: a free one).")
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser; just print its address.")
def review(run_dir: Path, port: int, no_browser: bool) -> None:
    """Serve RUN_DIR's review page on 127.0.0.1 until Ctrl+C."""
    from repair.reporting.review_server import ReviewServer

    def saved(decisions, path) -> None:
        click.echo(f"saved {len(decisions.decisions)} decisions to {path}")

    stop_on_ctrl_c()
    with user_errors():
        server = ReviewServer(run_dir, port=port, on_save=saved)
    click.echo(f"review page: {server.url}  (Ctrl+C to stop)")
    click.echo(f"then: mtrepair apply {run_dir} --decisions {run_dir / 'decisions.json'}")
    if not no_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("review server stopped")
    finally:
        server.close()


@click.command("apply")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option("--decisions", "decisions_file", type=click.Path(path_type=Path), default=None,
              help="A decisions.json saved or exported from the review page.")
@click.option("--accept-default", "preset", flag_value="accept-default",
              help="Accept every proposal at or above the run's threshold (gives repaired.txt).")
@click.option("--accept-all", "preset", flag_value="accept-all", help="Accept every proposal.")
@click.option("--reject-all", "preset", flag_value="reject-all", help="Reject every proposal (gives cleaned.txt).")
def apply(run_dir: Path, decisions_file: Path | None, preset: str | None) -> None:
    """Write RUN_DIR/final.txt (the article as decided) and RUN_DIR/changes.md (the audit)."""
    from repair.decide.decisions import load_decisions, load_run
    from repair.decide.decisions import preset as preset_decisions
    from repair.decide.final import finish

    if (decisions_file is None) == (preset is None):
        raise click.UsageError("give exactly one of --decisions FILE, --accept-default, --accept-all, --reject-all")
    with user_errors():
        run = load_run(run_dir)
        decisions = load_decisions(decisions_file) if decisions_file else preset_decisions(run, preset)
        final = finish(run, decisions)
    counts = final.outcome.counts()
    rewrites = [("sentence rewritten" if counts["rewritten"] == 1 else "sentences rewritten", counts["rewritten"]),
                ("superseded", counts["superseded"])] if "rewritten" in counts else []
    click.echo(", ".join(f"{n} {label}" for label, n in
                         [("accepted", counts["accepted"]), ("edited", counts["edited"]), ("rejected", counts["rejected"]),
                          ("overridden", counts["overridden"]), ("not decided", counts["undecided"])] + rewrites))
    click.echo(f"final article: {final.final_txt}")
    click.echo(f"audit: {final.changes_md}")
