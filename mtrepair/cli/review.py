"""`mtrepair review` and `mtrepair apply`: from a run's proposals to the final article.

    mtrepair review OUT_DIR            serve the review desk over a batch output folder
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
@click.argument("folder", metavar="OUT_DIR|RUN_DIR", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port to listen on (0: a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any address other than loopback needs --token-file.")
@click.option("--token-file", type=click.Path(path_type=Path), default=None,
              help="A file whose first line is the desk's token (16+ characters); every request must carry it.")
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser; just print its address.")
def review(folder: Path, port: int, host: str, token_file: Path | None, no_browser: bool) -> None:
    """Serve the review desk for a batch output folder (OUT_DIR), or one run's review page (RUN_DIR).

    The desk lists every drop neediest first; editors open a drop, their decisions
    are saved as they work, and Done writes final.txt and changes.md. It listens on
    127.0.0.1 unless --host says otherwise, which requires --token-file.
    """
    from desk.server import read_token, serve_folder
    from repair.review.listing import is_out_dir

    stop_on_ctrl_c()
    with user_errors():
        token = read_token(token_file)
        served = serve_folder(folder, host=host, port=port, token=token)
    desk = is_out_dir(folder)
    if desk:
        click.echo(f"review desk: {served.url}  (Ctrl+C to stop)", nl=True)
        if token:
            click.echo(f"sign in once with: {served.url}?token=<the token in {token_file}>")
        served.app.app.state.site.on_save = _echo_desk_saved
    else:
        click.echo(f"review page: {served.url}  (Ctrl+C to stop)")
        click.echo(f"then: mtrepair apply {folder} --decisions {folder / 'decisions.json'}")
        served.app.app.state.site.on_save = _echo_saved
    if not no_browser:
        import webbrowser

        webbrowser.open(served.url + (f"?token={token}" if token else ""))
    try:
        served.serve()
    except KeyboardInterrupt:
        pass
    finally:
        served.close()
    click.echo("review desk stopped" if desk else "review server stopped")


def _echo_saved(decisions, path) -> None:
    click.echo(f"saved {len(decisions.decisions)} decisions to {path}")


def _echo_desk_saved(decisions, path) -> None:
    """One line per save on the desk's console (who saved which drop), instead of an access log."""
    import json

    by = json.loads(path.read_text(encoding="utf-8")).get("by")
    click.echo(f"{path.parent.parent.name}/{path.parent.name}: {len(decisions.decisions)} decisions, "
               f"{len(decisions.rewrites)} rewrites saved" + (f" by {by}" if by else ""))


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
