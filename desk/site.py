"""What every route of the desk shares: the folder it serves and how a request names a run.

`Site` is either a desk over a batch output folder (`out_dir`: runs are named
`/drops/<drop>/<run>/...` and checked to lie inside it) or one run folder
(`run_dir`: the page at `/`, as `mtrepair review RUN_DIR` always served it).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse

from repair.decide.decisions import DecisionSet, ReviewRun, load_run
from repair.errors import InputError, RepairError
from repair.review.listing import contained

from desk.security import BodyTooLarge

OnSave = Callable[[DecisionSet, Path], "str | None"]


@dataclass
class Site:
    out_dir: Path | None = None
    run_dir: Path | None = None
    on_save: OnSave | None = None
    waiting: str | None = None
    max_body: int = 20_000_000
    saves: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def is_desk(self) -> bool:
        return self.out_dir is not None

    def run_folder(self, request: Request) -> Path:
        """The run folder a request names; InputError when it is not one inside the served folder."""
        if self.run_dir is not None:
            if self.run_dir.is_symlink():
                raise InputError(self.run_dir, "became a symbolic link after the review started; nothing written")
            return self.run_dir
        drop, run = request.path_params["drop"], request.path_params["run"]
        folder = contained(self.out_dir, drop, run)
        if not (folder / "run.json").is_file():
            raise InputError(f"{drop}/{run}", "no such run in the output folder")
        return folder

    def review_run(self, request: Request) -> ReviewRun:
        return load_run(self.run_folder(request))


def site_of(request: Request) -> Site:
    return request.app.state.site


def error(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def not_found(exc: RepairError | None = None) -> JSONResponse:
    return error(404, "not found" if exc is None else str(exc))


class TooLarge(InputError):
    """A request body that outgrew the limit while it was read (answered 413)."""


async def json_body(request: Request) -> dict:
    """The request's JSON object; InputError when it is not one (TooLarge when too large)."""
    try:
        raw = await request.body()
    except BodyTooLarge:
        raise TooLarge("request", f"body larger than {site_of(request).max_body:,} bytes") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError("request", f"is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InputError("request", "expected a JSON object")
    return data
