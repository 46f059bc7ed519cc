"""`mtrepair run` sent to the warm runner of `mtrepair up`, when there is one to use.

The command still parses its arguments and prints the summary itself; the run (the input
checks, then the `repair_pair` flow) happens in the keeper's warm process
(mtrepair/services/runner.py). It goes there only when this process found `up`'s servers
(mtrepair/services/discover.py), uses both of them, has the same MTREPAIR_* settings as the
keeper and is not verbose; otherwise the command runs the flow itself, as without `up`.
"""

from __future__ import annotations

import os
from pathlib import Path

from mtrepair.services import state as up_state
from mtrepair.services.discover import IN_USE, LANGUAGETOOL_URL, PREFECT_API_URL


class RunnerFailed(Exception):
    """The run failed in the warm runner for a reason that is not the user's (exit code 1)."""


def usable_runner(settings) -> str | None:
    """The warm runner's socket, if this run may go there."""
    if not os.environ.get(IN_USE) or os.environ.get("MTREPAIR_VERBOSE") == "1":
        return None
    cache = os.environ.get("MTREPAIR_CACHE")
    if cache and not os.path.isabs(cache):
        return None  # a relative cache means another folder in the runner's working folder
    state = up_state.read_state()
    if state is None or not state.runner or state.prefect is None or state.languagetool is None:
        return None
    if os.environ.get(PREFECT_API_URL, "").rstrip("/") != state.prefect.url.rstrip("/"):
        return None
    if settings.languagetool_url != state.languagetool.url or os.environ.get(LANGUAGETOOL_URL) != state.languagetool.url:
        return None
    if up_state.run_environment() != state.environment:
        return None
    return state.runner if Path(state.runner).exists() else None


def run_in_keeper(target: Path, references: list[Path], out_dir: Path | None, settings) -> Path | None:
    """Run in the warm runner and return the run folder; None when the runner cannot be used
    (then the caller runs the flow itself). A user's error comes back as a RepairError."""
    from repair.errors import RepairError

    socket_path = usable_runner(settings)
    if socket_path is None:
        return None
    import httpx

    body = {"cwd": os.getcwd(), "target": str(target), "references": [str(r) for r in references],
            "out_dir": str(out_dir) if out_dir else None, "settings": settings.to_dict()}
    try:
        with httpx.Client(transport=httpx.HTTPTransport(uds=socket_path), timeout=None) as client:
            response = client.post("http://mtrepair-up/run", json=body)
            answer = response.json()
    except (httpx.TransportError, ValueError):
        return None  # the runner went away before it took the run: run here
    if "error" in answer:
        if answer.get("code") == 2:
            raise RepairError(answer["error"])
        raise RunnerFailed(answer["error"])
    return Path(answer["out_dir"])
