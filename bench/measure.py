"""Small measuring helpers: wall time, peak memory of a process, repeat-and-take-best."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def best_of(n: int, fn: Callable[[], object]) -> float:
    """The fastest of n runs: the least disturbed measurement on a shared machine."""
    return min(timed(fn)[0] for _ in range(n))


def peak_rss_of_pid(pid: int) -> int:
    """Peak resident memory (bytes) of a running process, from /proc (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def python_wall(code: str, env: dict | None = None) -> float:
    """Wall time of a fresh Python process running `code`."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, **(env or {})}, capture_output=True)
    return time.perf_counter() - start


def run_cli(args: list[str], env: dict | None = None, rss_file: Path | None = None) -> tuple[float, int]:
    """Wall time of `mtrepair ARGS` in a fresh process, and its peak memory in bytes."""
    command = [sys.executable, "-m", "bench.child", str(rss_file), *args] if rss_file else [sys.executable, "-m", "mtrepair", *args]
    start = time.perf_counter()
    result = subprocess.run(command, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"mtrepair {' '.join(args)} failed: {result.stderr[-2000:]}")
    rss = int(rss_file.read_text()) if rss_file and rss_file.exists() else 0
    return wall, rss
