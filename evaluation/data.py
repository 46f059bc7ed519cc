"""Where the benchmark data is: the repository's `data/` unless a folder is given.

The public sets (JFLEG, MLQE-PE, WMT21 ru-en) ship in `data/`, so `make eval`,
`make calibrate` and `make bench` work from a fresh clone. Another folder with
the same layout can be given (`DATA=...` in the Makefile, `--data` here). The
comparable-dev set (copyrighted news) is never in the repository: it is used
only when the given folder has a `comparable-dev/` subfolder.
"""

from __future__ import annotations

from pathlib import Path

REPOSITORY_DATA = Path(__file__).resolve().parent.parent / "data"
PUBLIC_SETS = ("jfleg", "mlqe-pe", "wmt21-ru-en")
COMPARABLE_DEV = "comparable-dev"


def check_data(folder: Path, needed: tuple[str, ...] = PUBLIC_SETS) -> Path:
    """The folder, if it holds the needed sets; SystemExit with one line naming what is missing otherwise."""
    missing = [name for name in needed if not (folder / name).is_dir()]
    if missing:
        raise SystemExit(f"evaluation: error: {folder}: no {', '.join(missing)} folder there "
                         f"(the repository's own data is {REPOSITORY_DATA})")
    return folder


def comparable_dev(folder: Path) -> Path | None:
    """The comparable-dev folder under `folder`, or None (it is never part of the repository)."""
    candidate = folder / COMPARABLE_DEV
    return candidate if candidate.is_dir() else None


def comparable_dev_line(folder: Path) -> str:
    """The one line the evaluation prints about comparable-dev: used from where, or absent."""
    found = comparable_dev(folder)
    if found is not None:
        return f"comparable-dev: using {found}"
    return (f"comparable-dev: not in {folder}, skipped (copyrighted news, kept outside the repository; "
            "point DATA at a folder that has it)")
