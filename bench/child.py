"""Run the mtrepair CLI and record this process's peak memory (for the scaling bench).

Usage: python -m bench.child RSS_FILE mtrepair-arguments...
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
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rss_file.write_text(str(peak_kib * 1024))


if __name__ == "__main__":
    main()
