"""Decisions of one run: what the review page reads and saves, Done, Reopen, carry-over.

    GET  api/run          the run, its saved decisions and their version (ETag), the review's state
    POST api/decisions    save the page's decisions (If-Match: the version the page started from)
    POST api/done         apply the saved decisions: final.txt and changes.md (desk only)
    POST api/reopen       take a done drop back into review (desk only)
    POST api/carry-over   save what still fits of an earlier run's (stale) decisions (desk only)

The paths are relative to the run's page, so the same review script talks to the
desk (`/drops/<drop>/<run>/api/...`) and to a one-run server (`/api/...`).
A save from an older version answers 412 and writes nothing; a save to a done
drop answers 409; decisions that do not fit the run answer 400 with the one-line
reason `mtrepair apply` would give.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from repair.errors import InputError, RepairError
from repair.review.saved import ReviewClosed, VersionConflict, check_editor, mark_done, read_saved, reopen, save_decisions
from repair.review.stale import stale_decisions

from desk.site import TooLarge, error, json_body, not_found, site_of


def _etag(version: str) -> str:
    return f'"{version}"'


def _if_match(request: Request) -> str | None:
    value = request.headers.get("if-match")
    return value.strip().strip('"') if value is not None else None


def _locked(site, work, *args):
    """`work(*args)` under the site's lock (called in a worker thread: file writes block)."""
    with site.lock:
        return work(*args)


def _refusal(exc: RepairError) -> JSONResponse:
    if isinstance(exc, VersionConflict):
        return error(412, str(exc), version=exc.current, by=exc.by, at=exc.at)
    if isinstance(exc, ReviewClosed):
        return error(409, str(exc))
    if isinstance(exc, TooLarge):
        return error(413, str(exc))
    return error(400, str(exc))


async def run_info(request: Request) -> JSONResponse:
    site = site_of(request)
    try:
        run = site.review_run(request)
        saved = read_saved(run)
    except RepairError as exc:
        return not_found(exc)
    info = {
        "run_id": run.run_id,
        "text_sha256": run.text_sha256,
        "target": run.target,
        "folder": f"{run.folder.parent.name}/{run.folder.name}" if site.is_desk else str(run.folder),
        "decisions": (saved.decisions.to_dict() | ({"by": saved.by} if saved.by else {})) if saved.decisions else None,
        "version": saved.version,
        "waiting": site.waiting,
        "desk": site.is_desk,
    }
    if site.is_desk:
        stale = stale_decisions(run) if saved.decisions is None and not saved.state else None
        info.update(
            state=saved.state.get("state") or ("in review" if saved.decisions else "new"),
            by=saved.by or saved.state.get("by"),
            at=saved.at if not saved.done else saved.state.get("at"),
            done_by=saved.state.get("by") if saved.done else None,
            done_at=saved.state.get("at") if saved.done else None,
            final=(run.folder / "final.txt").is_file(),
            problem=saved.problem,
            stale=None if stale is None else {
                "run": stale.run_folder.name, "by": stale.by, "created": stale.decisions.created,
                "total": stale.total, "fitting": stale.fitting, "dropped": list(stale.dropped),
            },
        )
    return JSONResponse(info, headers={"ETag": _etag(saved.version)})


async def save(request: Request) -> JSONResponse:
    site = site_of(request)
    try:
        run = site.review_run(request)
    except RepairError as exc:
        return not_found(exc) if site.is_desk else error(400, str(exc))
    base = _if_match(request)
    if site.is_desk and base is None:
        return error(428, "a save must say which version of the decisions it started from (If-Match)")
    try:
        data = await json_body(request)
        editor = data.get("by") if site.is_desk else (data.get("by") or None)
        path = run.folder / "decisions.json"

        def write():
            with site.lock:
                version, decisions = save_decisions(run, data, base, editor)
                site.saves += 1
                # a thread of its own: `on_save` may call sync APIs that refuse to run inside an event loop (Prefect's resume)
                return version, decisions, site.on_save(decisions, path) if site.on_save else None

        version, decisions, extra = await run_in_threadpool(write)
    except RepairError as exc:
        return _refusal(exc)
    n, rewritten = len(decisions.decisions), len(decisions.rewrites)
    also = f" and {rewritten} rewritten sentence{'s' if rewritten != 1 else ''}" if rewritten else ""
    where = f"{run.folder.parent.name}/{run.folder.name}" if site.is_desk else str(path)
    message = f"Saved {n} decision{'s' if n != 1 else ''}{also} to {where if site.is_desk else path}."
    if extra:
        message = f"{message} {extra}"
    elif not site.is_desk:
        message = f"{message} Apply with: mtrepair apply {run.folder} --decisions {path}"
    return JSONResponse({"message": message, "version": version}, headers={"ETag": _etag(version)})


async def done(request: Request) -> JSONResponse:
    site = site_of(request)
    try:
        run = site.review_run(request)
    except RepairError as exc:
        return not_found(exc)
    base = _if_match(request)
    if base is None:
        return error(428, "Done must say which version of the decisions it applies (If-Match)")
    try:
        data = await json_body(request)
        final = await run_in_threadpool(_locked, site, mark_done, run, base, data.get("by"))
    except RepairError as exc:
        return _refusal(exc)
    counts = final.outcome.counts()
    summary = ", ".join(f"{counts.get(k, 0)} {label}" for k, label in
                        (("accepted", "accepted"), ("edited", "edited"), ("rejected", "rejected"), ("undecided", "not decided")))
    if counts.get("rewritten"):
        summary += f", {counts['rewritten']} rewritten"
    return JSONResponse({"message": f"Done: final.txt and changes.md written ({summary}).",
                         "final": "final.txt", "changes": "changes.md", "counts": counts})


async def reopen_run(request: Request) -> JSONResponse:
    site = site_of(request)
    try:
        run = site.review_run(request)
        data = await json_body(request)
        await run_in_threadpool(_locked, site, reopen, run, data.get("by"))
    except RepairError as exc:
        return _refusal(exc)
    return JSONResponse({"message": "Reopened: change the decisions, then Done writes final.txt again."})


async def carry_over(request: Request) -> JSONResponse:
    site = site_of(request)
    try:
        run = site.review_run(request)
        data = await json_body(request)
        editor = check_editor(data.get("by"))
        stale = stale_decisions(run)
        if stale is None:
            raise InputError(run.folder.name, "no earlier decisions to carry over")
        version, _ = await run_in_threadpool(_locked, site, save_decisions, run, stale.kept.to_dict(),
                                             _if_match(request) or "", editor)
    except RepairError as exc:
        return _refusal(exc)
    return JSONResponse({"message": f"Carried over {stale.fitting} of {stale.total} earlier decisions; "
                                    f"{len(stale.dropped)} did not fit the new text.", "version": version})


def routes(desk: bool) -> list[Route]:
    common = [Route("/api/run", run_info, methods=["GET"]), Route("/api/decisions", save, methods=["POST"])]
    if not desk:
        return common
    return [*common, Route("/api/done", done, methods=["POST"]), Route("/api/reopen", reopen_run, methods=["POST"]),
            Route("/api/carry-over", carry_over, methods=["POST"])]
