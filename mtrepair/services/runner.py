"""The keeper's warm runner: `mtrepair run` executed in the keeper's own, already warm process.

Keeping the servers warm leaves a new `mtrepair run` paying for its own process: importing
Prefect and the libraries, reading the model, the first calls (docs/performance.md). So the
keeper also keeps one process with all of that loaded, as Gradle's daemon runs builds: the
command sends its arguments over a Unix socket in the user's state folder (only the user can
open it) and prints the result, and the run itself is the same `repair_pair` flow, with the
same checks, against the same servers.

One run at a time (a lock): the runs of one user share two cores anyway. The run happens in
the command's working folder (the keeper changes into it under the lock), so relative paths,
the default run folder and run.json read exactly as in a run without `up`. Errors a user can
fix come back as the same one line; anything else as an internal error.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

SOCKET_FILE = "runner.sock"


def runner_app():
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    lock = threading.Lock()

    def one_at_a_time(body: dict) -> dict:
        with lock:
            return execute(body)

    async def run(request: Request) -> JSONResponse:
        return JSONResponse(await run_in_threadpool(one_at_a_time, await request.json()))

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"ready": True, "pid": os.getpid()})

    return Starlette(routes=[Route("/run", run, methods=["POST"]), Route("/health", health)])


def execute(body: dict) -> dict:
    """Run one `mtrepair run` request: {cwd, target, references, out_dir, settings} -> {out_dir} or {error, code}."""
    from repair.config import Settings
    from repair.errors import RepairError

    from repair.engines import resources

    before = os.getcwd()
    resources.startup_seconds.clear()  # nothing starts for a run here: its run.json says so
    try:
        os.chdir(body["cwd"])
        settings = Settings(**{k: tuple(v) if isinstance(v, list) else v for k, v in body["settings"].items()})
        record = repair(body["target"], body["references"], body.get("out_dir"), settings)
        return {"out_dir": str(record.out_dir)}
    except RepairError as exc:
        return {"error": " ".join(str(exc).split()), "code": 2}
    except Exception as exc:  # the command prints it as an internal error, as a local run would
        return {"error": f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())}", "code": 1}
    finally:
        os.chdir(before)


def repair(target: str, references: list[str], out_dir: str | None, settings):
    """What `mtrepair run` does after parsing its arguments: the same checks, then the flow."""
    from flows.local import on_demand
    from flows.repair_pair import repair_pair
    from mtrepair.cli.main import check_inputs, check_model, check_out_dir

    check_inputs([Path(target), *map(Path, references)])
    check_model(settings.model)
    check_out_dir(out_dir or "outputs")
    with on_demand():
        return repair_pair(target, references, out_dir, settings)


def warm_up() -> None:
    """Load what every run needs, so the first one finds it loaded (the model, the language model,
    the flow and Prefect's client); the first run on a new server still registers its flow."""
    from repair.config import Settings
    from repair.engines import resources
    from repair.engines.language_model import get_language_model
    import flows.repair_pair  # noqa: F401  (Prefect and the pipeline)

    resources.get_embedder(Settings.from_env())
    get_language_model()


def serve(folder: Path):
    """Serve the runner on `folder`/runner.sock in a background thread; returns the uvicorn server."""
    import uvicorn

    path = folder / SOCKET_FILE
    path.unlink(missing_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o077)  # the socket file: this user only
    try:
        sock.bind(str(path))
    finally:
        os.umask(old)
    config = uvicorn.Config(runner_app(), log_level="warning", access_log=False, log_config=None, lifespan="off",
                            timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="mtrepair-runner", daemon=True).start()
    return server
