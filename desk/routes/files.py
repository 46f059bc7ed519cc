"""Files of a run folder: the review page and the few files an editor opens, nothing else.

Only the names in `SERVED` can be asked for (one run's own server, as before the
desk, serves only its report.html), so no request can name a path: no
`..`, no encoded `..`, no other file. A name that is a symbolic link is refused
(it could point out of the output folder).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from repair.errors import RepairError

from desk.site import not_found, site_of

SERVED = {
    "report.html": "text/html; charset=utf-8",
    "final.txt": "text/plain; charset=utf-8",
    "changes.md": "text/markdown; charset=utf-8",
    "report.md": "text/markdown; charset=utf-8",
    "cleaned.txt": "text/plain; charset=utf-8",
    "repaired.txt": "text/plain; charset=utf-8",
    "decisions.json": "application/json; charset=utf-8",
    "proposals.json": "application/json; charset=utf-8",
    "run.json": "application/json; charset=utf-8",
}
PAGE_POLICY = "frame-ancestors 'none'"
"""report.html carries its own Content-Security-Policy (a meta tag with its script's hash); this adds no framing."""


def read_served(request: Request, name: str) -> Response:
    site = site_of(request)
    if name not in SERVED or (not site.is_desk and name != "report.html"):
        return not_found()
    try:
        folder = site.run_folder(request)
    except RepairError as exc:
        return not_found(exc)
    path = folder / name
    if path.is_symlink() or not path.is_file():
        return not_found()
    headers = {"Content-Security-Policy": PAGE_POLICY if name == "report.html" else "default-src 'none'; sandbox"}
    return Response(path.read_bytes(), media_type=SERVED[name], headers=headers)


async def page(request: Request) -> Response:
    return read_served(request, "report.html")


async def file(request: Request) -> Response:
    return read_served(request, request.path_params["name"])


def routes() -> list[Route]:
    return [Route("/", page, methods=["GET"]), Route("/{name}", file, methods=["GET"])]
