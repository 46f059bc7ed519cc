"""The state file of `mtrepair up`: which servers run, where, since when, for which versions.

One folder per user, `<cache>/up/` (`MTREPAIR_CACHE`, else `~/.cache/mtrepair`), so two
users, or two homes, never share servers. It holds

- `state.json`: the keeper's pid, the two servers (url, pid, version, start time), the
  versions they were started for and the idle timeout; written atomically by the keeper,
  removed by it when it stops;
- `leases/<pid>`: one empty file per process that uses the servers now (a run, a batch,
  `serve`): the keeper never stops while one of them lives;
- `last-used`: touched by every process that starts or ends using them; the idle time
  counts from its modification time;
- `keeper.log`, and the Prefect server's home (`prefect/`, its SQLite database).

Only the standard library is imported here: every run reads this file before it decides
whether to start servers of its own.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mtrepair.env import cache_dir

STATE_FILE = "state.json"
LAST_USED_FILE = "last-used"
LEASES = "leases"
DEFAULT_IDLE_TIMEOUT_S = 30 * 60.0


@dataclass(frozen=True)
class Server:
    """One background server."""

    url: str
    pid: int
    version: str
    started: float
    """Seconds since the epoch."""


@dataclass(frozen=True)
class ServicesState:
    """What `mtrepair up` started (the schema of state.json)."""

    keeper_pid: int
    started: float
    idle_timeout_s: float
    versions: dict[str, str]
    """The versions of mtrepair, Prefect and LanguageTool the servers were started for."""
    prefect: Server | None = None
    languagetool: Server | None = None
    ready: bool = False
    runner: str | None = None
    """The Unix socket of the keeper's warm runner (mtrepair/services/runner.py), when it serves one."""
    environment: dict[str, str] = field(default_factory=dict)
    """The keeper's MTREPAIR_* settings (`run_environment()`): a run goes to the warm runner only with the same."""
    schema_version: int = 1
    extra: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def from_dict(cls, data: dict) -> ServicesState:
        servers = {name: Server(**data[name]) if data.get(name) else None for name in ("prefect", "languagetool")}
        return cls(**{**data, **servers})


RUN_ENVIRONMENT_IGNORED = frozenset({"MTREPAIR_LANGUAGETOOL_URL", "MTREPAIR_UP", "MTREPAIR_PROCESS_GUARD",
                                     "MTREPAIR_UP_IDLE_TIMEOUT", "MTREPAIR_VERBOSE"})


def run_environment() -> dict[str, str]:
    """The MTREPAIR_* variables that can change what a run does (the model, the article size limit,
    WordNet, ...): a command uses the keeper's warm runner only when its own are the same."""
    return {k: v for k, v in sorted(os.environ.items())
            if k.startswith("MTREPAIR_") and k not in RUN_ENVIRONMENT_IGNORED}


def home() -> Path:
    """This user's folder for `mtrepair up`."""
    return cache_dir() / "up"


def read_state(folder: Path | None = None) -> ServicesState | None:
    """The recorded state, or None when nothing was started (or the file is unreadable)."""
    path = (folder or home()) / STATE_FILE
    try:
        return ServicesState.from_dict(json.loads(path.read_text()))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError):
        return None


def write_state(state: ServicesState, folder: Path | None = None) -> None:
    from repair.reporting.outputs import write_atomic

    folder = folder or home()
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / STATE_FILE, state.to_json())


def remove_state(folder: Path | None = None) -> None:
    (folder or home()).joinpath(STATE_FILE).unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True  # no /proc: trust the signal


def resident_mb(pid: int) -> float | None:
    """A process's resident memory in MB (Linux /proc), or None."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def touch_last_used(folder: Path | None = None) -> None:
    path = (folder or home()) / LAST_USED_FILE
    try:
        path.touch()
    except OSError:
        pass


def last_used(folder: Path | None = None) -> float:
    """When a process last started or stopped using the servers (0 when never)."""
    try:
        return ((folder or home()) / LAST_USED_FILE).stat().st_mtime
    except OSError:
        return 0.0


def take_lease(folder: Path | None = None, pid: int | None = None) -> Path | None:
    """Record that process `pid` (this one) uses the servers now; returns the lease file."""
    leases = (folder or home()) / LEASES
    try:
        leases.mkdir(parents=True, exist_ok=True)
        lease = leases / str(pid or os.getpid())
        lease.touch()
    except OSError:
        return None
    touch_last_used(folder)
    return lease


def drop_lease(lease: Path | None, folder: Path | None = None) -> None:
    if lease is not None:
        lease.unlink(missing_ok=True)
        touch_last_used(folder)


def live_leases(folder: Path | None = None) -> list[int]:
    """The pids that hold a lease and still run; stale leases (a killed run) are removed."""
    alive = []
    for lease in ((folder or home()) / LEASES).glob("*"):
        try:
            pid = int(lease.name)
        except ValueError:
            continue
        if pid_alive(pid):
            alive.append(pid)
        else:
            lease.unlink(missing_ok=True)
    return alive


def idle_seconds(state: ServicesState, folder: Path | None = None, now: float | None = None) -> float:
    """How long nobody has used the servers (0 while a lease is held)."""
    if live_leases(folder):
        return 0.0
    now = time.time() if now is None else now
    return max(0.0, now - max(last_used(folder), state.started))
