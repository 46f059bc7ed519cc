"""Build the desk (a batch output folder) or the one-run review page as one ASGI app.

    desk_app(OUT_DIR)   /  the desk;  /drops/<drop>/<run>/  a run's review page, its api/ and files
    run_app(RUN_DIR)    /  the run's review page, its api/ and files (`mtrepair review RUN_DIR`)

Both are wrapped in `desk.security.DeskGuard` (Host, token, origin, body size).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount

from repair.decide.decisions import MAX_DECISIONS_BYTES, load_run
from repair.errors import InputError
from repair.review.listing import is_out_dir

from desk.routes import decisions, drops, files
from desk.security import DeskGuard, allowed_hosts
from desk.site import OnSave, Site


def _guarded(app: Starlette, site: Site, host: str, port: int, token: str | None) -> DeskGuard:
    app.state.site = site
    return DeskGuard(app, hosts=allowed_hosts(host, port), token=token, max_body=site.max_body)


def desk_app(out_dir: str | Path, *, host: str = "127.0.0.1", port: int = 0, token: str | None = None) -> DeskGuard:
    """The review desk over a batch output folder."""
    out = Path(out_dir)
    if not out.is_dir():
        raise InputError(out, "no such output folder")
    site = Site(out_dir=out.resolve(), max_body=MAX_DECISIONS_BYTES)
    run_routes = [*decisions.routes(desk=True), *files.routes()]
    app = Starlette(routes=[*drops.routes(), Mount("/drops/{drop}/{run}", routes=run_routes), *drops.folder_routes()])
    return _guarded(app, site, host, port, token)


def run_app(run_dir: str | Path, *, host: str = "127.0.0.1", port: int = 0, token: str | None = None,
            on_save: OnSave | None = None, waiting: str | None = None) -> DeskGuard:
    """One run's review page, for one editor (Save writes decisions.json; `on_save` may act on it)."""
    run = load_run(run_dir)
    folder = run.folder.resolve()
    if not (folder / "report.html").is_file():
        raise InputError(folder / "report.html", "missing; is this the folder of a finished `mtrepair run`?")
    site = Site(run_dir=folder, on_save=on_save, waiting=waiting, max_body=MAX_DECISIONS_BYTES)
    app = Starlette(routes=[*decisions.routes(desk=False), *files.routes()])
    return _guarded(app, site, host, port, token)


def app_for(folder: str | Path, **options) -> DeskGuard:
    """The desk for an output folder, the one-run page for a run folder."""
    return desk_app(folder, **options) if is_out_dir(Path(folder)) else run_app(folder, **options)
