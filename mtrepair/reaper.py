"""Nothing left behind: a watchdog that stops the processes a command started once it ends.

A command such as `mtrepair run` or `mtrepair batch` starts other processes: LanguageTool's
JVM, Prefect's temporary API server (started by Prefect itself, `python -m uvicorn ...`), Dask
workers, Maven. When the command ends normally it stops them; killed outright (SIGKILL, the
out-of-memory killer) it runs no code at all, and they would keep running.

`guard()` marks the command's environment with a random token, which every process it
starts afterwards inherits (Prefect passes its environment on to its server, and so on, down
to grandchildren), and starts this file as a small watchdog in its own session holding the
read end of a pipe whose write end only the command holds. The kernel closes that pipe when
the command ends, however it ends; the watchdog then reads end-of-file, finds every process
still carrying the token in the command's session (in /proc/<pid>/environ and stat, so it
also finds processes that were re-parented away from the command), sends them SIGTERM, and
SIGKILL to those still there after a grace period. This needs no change to Prefect or any
other library. A process that starts its own session is meant to outlive the command and is
spared: the user's web browser, which Python's `webbrowser` starts that way for the review page.

Linux only (it reads /proc); elsewhere `guard()` does nothing. The watchdog uses the
standard library only and is run as a script (`python -I -S`), so it starts quickly and
imports nothing of mtrepair or its environment.
"""

from __future__ import annotations

import os
import signal
import sys
import time

VARIABLE = "MTREPAIR_PROCESS_GUARD"
"""The environment variable holding the tokens (space-separated: a guarded command started by
another guarded command carries both, so either watchdog finds it)."""
GRACE_SECONDS = 10.0
"""How long processes get to stop after SIGTERM (Prefect's server flushes its records) before SIGKILL."""

_guarded: tuple[int, str] | None = None  # (pid, token) of the watchdog set up in this process
_keep_open: list = []  # the command's end of the pipe (never closed by hand) and the watchdog's Popen


def guard() -> str | None:
    """Start the watchdog for this process (once per process); return its token, or None where unsupported."""
    global _guarded
    if not sys.platform.startswith("linux") or not os.path.isdir("/proc/self"):
        return None
    if _guarded is not None and _guarded[0] == os.getpid():
        return _guarded[1]
    import secrets
    import subprocess

    token = secrets.token_hex(8)
    read_end, write_end = os.pipe()  # both close-on-exec: no child keeps the command's end open
    try:
        watchdog = subprocess.Popen(
            [sys.executable, "-I", "-S", os.path.abspath(__file__), token, str(os.getsid(0))],
            stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,  # not in the terminal's process group: Ctrl+C does not stop it early
            env={key: value for key, value in os.environ.items() if key != VARIABLE},
        )
    except OSError:
        os.close(write_end)
        return None
    finally:
        os.close(read_end)
    _keep_open.extend([write_end, watchdog])  # held until this process ends; the kernel closes the pipe then
    os.environ[VARIABLE] = f"{os.environ.get(VARIABLE, '')} {token}".strip()
    _guarded = (os.getpid(), token)
    return token


def marked(token: str, session: int, exclude: int) -> list[int]:
    """The processes of `session` whose environment carries `token` (those this user may read)."""
    needle = token.encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == exclude or _stat(int(entry), 3) != session:
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environ = handle.read()
        except OSError:  # gone, or another user's
            continue
        for item in environ.split(b"\0"):
            if item.startswith(VARIABLE.encode() + b"=") and needle in item.split(b"=", 1)[1].split():
                found.append(int(entry))
                break
    return found


def stop(token: str, session: int, grace: float = GRACE_SECONDS) -> list[int]:
    """SIGTERM every marked process, SIGKILL those still there after `grace` seconds; look again
    (a process may have started a child meanwhile) until none is left. Returns the pids stopped."""
    me = os.getpid()
    stopped: list[int] = []
    for _ in range(5):
        pids = marked(token, session, me)
        if not pids:
            break
        stopped.extend(pids)
        _signal(pids, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(_running(pid) for pid in pids):
            time.sleep(0.1)
        _signal([pid for pid in pids if _running(pid)], signal.SIGKILL)
    return stopped


def _signal(pids: list[int], signum: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, signum)
        except OSError:
            pass


def _stat(pid: int, field: int) -> int | bytes | None:
    """A field of /proc/<pid>/stat after the command name: 0 state, 1 parent, 2 group, 3 session."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            value = handle.read().rsplit(b")", 1)[1].split()[field]
    except (OSError, IndexError):
        return None
    return value if field == 0 else int(value)


def _running(pid: int) -> bool:
    """Alive and not a zombie (a zombie is dead; its parent has yet to collect it)."""
    return _stat(pid, 0) not in (None, b"Z", b"X")


def watch(token: str, session: int) -> None:
    """The watchdog: wait until the command's end of the pipe closes, then stop what it left."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    while True:
        try:
            if not os.read(0, 4096):
                break
        except InterruptedError:
            continue
        except OSError:
            break
    stop(token, session)


if __name__ == "__main__":
    watch(sys.argv[1], int(sys.argv[2]))
