"""The drops of the output folder: the desk's list (HTML and JSON) and each drop's latest run.

    GET /                    the desk: every drop's latest run, neediest first; ?state=...&q=... filter
    GET /api/drops           the same as JSON
    GET /drops/<drop>/       redirects to the latest run's review page, /drops/<drop>/<run>/
    GET /static/desk.css     the desk's style
    GET /<drop>/<run>/report.html, /index.html
                             the output folder's own paths (as index.html and a batch's
                             `--reports-url` links write them) redirect to the desk's pages

The list is read from the files at every request, so new drops and runs appear
on reload.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from importlib.resources import files
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from repair.errors import RepairError
from repair.review.listing import STATES, latest_run, list_drops

from desk.site import not_found, site_of

_ENV = Environment(loader=PackageLoader("desk", "templates"), autoescape=select_autoescape(default=True, default_for_string=True))
DESK_POLICY = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"


def _filters(request: Request) -> tuple[str | None, str]:
    state = request.query_params.get("state") or None
    return (state if state in STATES else None), (request.query_params.get("q") or "").strip()[:200]


def _when(value: str | None) -> str:
    if not value:
        return ""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return value


def drop_url(name: str, run: str | None = None) -> str:
    return f"/drops/{quote(name, safe='')}/" + (f"{quote(run, safe='')}/" if run else "")


async def desk_page(request: Request) -> Response:
    site = site_of(request)
    state, search = _filters(request)
    every = await run_in_threadpool(list_drops, site.out_dir)  # reads many small files: off the event loop
    shown = [d for d in every if (state is None or d.state == state) and search.casefold() in d.name.casefold()]
    counts = {s: sum(1 for d in every if d.state == s) for s in STATES}
    html = _ENV.get_template("desk.html.j2").render(
        drops=shown, counts=counts, total=len(every), state=state, search=search, states=STATES,
        out_dir=site.out_dir.name, drop_url=drop_url, when=_when,
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": DESK_POLICY})


async def drops_json(request: Request) -> JSONResponse:
    site = site_of(request)
    state, search = _filters(request)
    views = await run_in_threadpool(list_drops, site.out_dir, state, search or None)
    return JSONResponse({"drops": [v.to_dict() | {"url": drop_url(v.name, v.run) if v.run else None} for v in views]})


async def latest(request: Request) -> Response:
    site = site_of(request)
    name = request.path_params["drop"]
    try:
        folder = latest_run(site.out_dir, name)
    except RepairError as exc:
        return not_found(exc)
    if folder is None:
        return not_found()
    return RedirectResponse(drop_url(name, folder.name), status_code=303)


@lru_cache(maxsize=1)
def _css() -> bytes:
    return files("desk").joinpath("static", "desk.css").read_bytes()


async def css(request: Request) -> Response:
    return Response(_css(), media_type="text/css; charset=utf-8")


async def folder_path(request: Request) -> Response:
    """OUT_DIR's own layout, <drop>/<run>/<file>: the same file (report.html: the review page) on the desk."""
    name = request.path_params["name"]
    page = drop_url(request.path_params["drop"], request.path_params["run"])
    return RedirectResponse(page if name == "report.html" else page + quote(name, safe=""), status_code=303)


async def index_html(request: Request) -> Response:
    return RedirectResponse("/", status_code=303)


def folder_routes() -> list[Route]:
    """Routes for OUT_DIR's own paths; they come last, after the desk's own."""
    return [Route("/index.html", index_html, methods=["GET"]),
            Route("/{drop}/{run}/{name}", folder_path, methods=["GET"])]


def routes() -> list[Route]:
    return [
        Route("/", desk_page, methods=["GET"]),
        Route("/api/drops", drops_json, methods=["GET"]),
        Route("/static/desk.css", css, methods=["GET"]),
        Route("/drops/{drop}/", latest, methods=["GET"]),
    ]
