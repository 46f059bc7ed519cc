"""`python tests/batch_killer.py POINT mtrepair-args...`: the real CLI, killed with SIGKILL at POINT.

For the crash tests: the process really dies by kill -9 (no cleanup, no finally blocks), at a
chosen moment instead of a random one, so each dangerous moment is hit every time:

    hash:N       while hashing the Nth drop of the scan
    write:N      inside the writing of run folders, just before the Nth folder sync (3 per run folder:
                 files staged; old run.json removed; files renamed into place)
    index        after index.json is written, before index.html is
"""

from __future__ import annotations

import os
import signal
import sys


def die() -> None:
    """SIGKILL to this process and all it started (the test starts it as a process group leader):
    what a reboot or an out-of-memory kill of the whole job does."""
    sys.stdout.flush()
    os.killpg(os.getpgid(0), signal.SIGKILL)


def after_calls(module, name: str, n: int, before: bool = True) -> None:
    real = getattr(module, name)
    calls = [0]

    def wrapped(*args, **kwargs):
        calls[0] += 1
        if calls[0] == n and before:
            die()
        result = real(*args, **kwargs)
        if calls[0] == n:
            die()
        return result

    setattr(module, name, wrapped)


def install(point: str) -> None:
    kind, _, n = point.partition(":")
    if kind == "hash":
        import repair.batch.drops

        after_calls(repair.batch.drops, "content_hash", int(n), before=False)
    elif kind == "write":
        import repair.reporting.outputs

        after_calls(repair.reporting.outputs, "_sync_folder", int(n))
    elif kind == "index":
        import repair.batch.batch_index

        real = repair.batch.batch_index.write_atomic

        def write_atomic(path, content):
            if str(path).endswith("index.html"):
                die()
            return real(path, content)

        repair.batch.batch_index.write_atomic = write_atomic
    else:
        raise SystemExit(f"unknown kill point {point!r}")


if __name__ == "__main__":
    install(sys.argv[1])
    from mtrepair.cli import main

    sys.argv = ["mtrepair", *sys.argv[2:]]
    main()
