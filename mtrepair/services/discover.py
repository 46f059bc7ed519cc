"""Find the servers of `mtrepair up` and point this process at them.

A run, batch, line mode or `serve` calls `use_running_services()` before it imports
Prefect. When `mtrepair up` recorded a Prefect server and a LanguageTool server for
the same versions as this installation, and they answer, the process uses them
through the variables it would otherwise need to be given (`PREFECT_API_URL`,
`MTREPAIR_LANGUAGETOOL_URL`), which its subprocesses (Prefect's runners, Dask
workers) inherit, and takes a lease so that the keeper does not stop them while it
runs. A variable the user set wins. When nothing was started, nothing changes and
nothing is said; when something was started but cannot be used (another version, no
answer), the caller prints the returned note and the run starts its own servers.
"""

from __future__ import annotations

import atexit
import os
import urllib.error
import urllib.request
from importlib.metadata import PackageNotFoundError, version

from mtrepair import env
from mtrepair.services import state as up_state

LANGUAGETOOL_URL = "MTREPAIR_LANGUAGETOOL_URL"
PREFECT_API_URL = "PREFECT_API_URL"
IN_USE = "MTREPAIR_UP"
"""Set to the state folder in a process that uses the servers of `mtrepair up`."""


def local_versions() -> dict[str, str]:
    """The versions this installation would start servers for."""
    from repair.engines.languagetool import default_home

    def of(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "unknown"

    return {"mtrepair": of("mtrepair"), "prefect": of("prefect"), "languagetool": default_home().name}


def answers(url: str, timeout: float = 2.0) -> bool:
    """True when an HTTP GET of `url` answers 200 within `timeout` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError, ValueError):
        return False


def prefect_answers(server: up_state.Server) -> bool:
    return answers(server.url.rstrip("/") + "/health")


def languagetool_answers(server: up_state.Server) -> bool:
    return answers(server.url.rstrip("/") + "/v2/languages")


def use_running_services() -> str | None:
    """Use the servers of `mtrepair up` if they run for this version and answer.

    Returns a one-line note when servers were recorded but (some) cannot be used, else None.
    """
    if os.environ.get(IN_USE):
        return None  # a child of a process that already found them: the variables are set
    wanted = [name for name, variable in (("prefect", PREFECT_API_URL), ("languagetool", LANGUAGETOOL_URL))
              if not os.environ.get(variable)]
    if not wanted:
        return None
    state = up_state.read_state()
    if state is None:
        return None
    if not state.ready or not up_state.pid_alive(state.keeper_pid):
        return "the servers of `mtrepair up` are not running (`mtrepair status`); this run starts its own"
    ours = local_versions()
    if state.versions != ours:
        differ = ", ".join(f"{name} {state.versions.get(name)} (this is {ours[name]})"
                           for name in ours if state.versions.get(name) != ours[name])
        return (f"`mtrepair up` runs servers for {differ}; this run starts its own "
                "(`mtrepair down && mtrepair up` to restart them)")
    usable, silent = {}, []
    for name in wanted:
        server = getattr(state, name)
        check = prefect_answers if name == "prefect" else languagetool_answers
        if server is not None and check(server):
            usable[name] = server
        else:
            silent.append(name)
    if usable:
        lease = up_state.take_lease()
        atexit.register(up_state.drop_lease, lease)
        os.environ[IN_USE] = str(up_state.home())
    if "languagetool" in usable:
        os.environ[LANGUAGETOOL_URL] = usable["languagetool"].url
    if "prefect" in usable:
        env.use_prefect_server(usable["prefect"].url.rstrip("/"))
    if silent:
        names = " and ".join({"prefect": "Prefect", "languagetool": "LanguageTool"}[n] for n in silent)
        return f"the {names} server of `mtrepair up` does not answer; this run starts its own (`mtrepair status`)"
    return None
