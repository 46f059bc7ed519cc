"""Run the mtrepair CLI and record this process's peak memory (for the scaling bench).

Usage: python -m bench.child RSS_FILE mtrepair-arguments...

The peak is the kernel's high-water mark of this process's own memory (VmHWM in
/proc/self/status). Not `ru_maxrss`: on Linux a child's ru_maxrss starts from its
parent's resident size at fork and survives exec, so a child of a large bench process
reported the bench's 663 MB, not its own (docs/performance.md, memory).
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path


def main() -> None:
    rss_file = Path(sys.argv[1])
    sys.argv = ["mtrepair", *sys.argv[2:]]
    try:
        from mtrepair.cli import main as cli_main

        cli_main()
    finally:
        rss_file.write_text(str(peak_bytes()))


def peak_bytes() -> int:
    """This process's peak resident memory in bytes (VmHWM; ru_maxrss where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    main()
