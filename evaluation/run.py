"""Run the benchmarks and write outputs/eval/results.md and results.json.

    python -m evaluation.run [--data data] [--out outputs/eval] [--only jfleg,mlqe,wmt21,comparable]

Test splits only (dev splits are for `evaluation.calibrate`). The LanguageTool
server is started once (or MTREPAIR_LANGUAGETOOL_URL is used) and the model
loaded once; the time per 1000 lines excludes both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import datetime, timezone
from pathlib import Path

from repair.decide.calibration import load_calibration
from repair.errors import RepairError

from . import comparable, jfleg, mlqe, wmt21, word_flags
from .data import REPOSITORY_DATA, check_data, comparable_dev_line
from .components import components
from .report import markdown

BENCHMARKS = ("jfleg", "mlqe", "wmt21", "comparable")
SETS = {"jfleg": "jfleg", "mlqe": "mlqe-pe", "wmt21": "wmt21-ru-en"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPOSITORY_DATA)
    parser.add_argument("--out", type=Path, default=Path("outputs/eval"))
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated subset of " + ", ".join(BENCHMARKS))
    parser.add_argument("--wmt-systems", default=None, help="comma-separated WMT21 systems (default: all ten)")
    args = parser.parse_args()
    chosen = [b.strip() for b in args.only.split(",") if b.strip()]
    for name in chosen:
        if name not in BENCHMARKS:
            parser.error(f"unknown benchmark {name!r}")
    check_data(args.data, tuple(SETS[name] for name in chosen if name in SETS))  # comparable-dev is optional
    print(comparable_dev_line(args.data), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    load_before = os.getloadavg()
    rows: list[dict] = []
    section = flags = None
    try:
        with components() as parts:
            if "jfleg" in chosen:
                learner = load_calibration("learner")
                rows.append({**jfleg.run(args.data, parts, "test", learner, hypothesis_out=args.out / "jfleg-test.learner.txt"),
                             "profile": "learner"})
                row = jfleg.run(args.data, parts, "test", load_calibration("mt"), hypothesis_out=args.out / "jfleg-test.mt.txt")
                row["seconds_per_1000"] = None  # LanguageTool's cache already holds these lines (row above)
                rows.append({**row, "profile": "mt"})
                _progress(rows)
            if "mlqe" in chosen:
                rows += [{**row, "profile": "mt"} for row in mlqe.run(args.data, parts, "test20", load_calibration("mt"))]
                _progress(rows)
            if "wmt21" in chosen:
                systems = args.wmt_systems.split(",") if args.wmt_systems else None
                rows += [{**row, "profile": "mt"} for row in wmt21.run(args.data, parts, load_calibration("mt"), systems=systems)]
                _progress(rows)
            if "comparable" in chosen:
                runs: list = []
                section = comparable.run(args.data, parts, load_calibration("mt"), runs_out=runs)
                flags = word_flags.section(args.data, runs)
    except RepairError as exc:
        raise SystemExit(f"evaluation: error: {exc}") from None
    results = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data": str(args.data),
        "machine": {"cpus": os.cpu_count(), "load_before": [round(x, 2) for x in load_before],
                    "load_after": [round(x, 2) for x in os.getloadavg()], "python": platform.python_version()},
        "calibration": {name: load_calibration(name).min_confidence for name in ("mt", "learner")},
        "seconds": round(time.perf_counter() - started, 1),
        "rows": rows,
        "comparable": section,
        "word_flags": flags,
    }
    (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    text = markdown(results) + ("\n" + comparable.markdown(section) + "\n" + word_flags.markdown(flags)
                                if "comparable" in chosen else "")
    (args.out / "results.md").write_text(text, encoding="utf-8")
    print(text)


def _progress(rows: list[dict]) -> None:
    row = rows[-1]
    print(f"done: {row['benchmark']} ({row.get('seconds', '-')} s)", flush=True)


if __name__ == "__main__":
    main()
