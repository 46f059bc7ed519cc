"""Benchmark `mtrepair batch`: drops per minute, sequential and on Dask, and an unchanged re-run.

    .venv/bin/python -m bench.batch data/wmt21-ru-en --count 60 --workdir /tmp/mtrepair-bench

Builds COUNT drops from WMT21 ru-en (bench.drops), then times, each as a
fresh `mtrepair batch` process (so start-up is included, as a user sees it):
1. the sequential batch, 2. the same command again (nothing changed),
3. the batch on a local Dask cluster with --dask-workers into a new output folder.
It prints one line per measurement and writes them to WORKDIR/bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

from bench.drops import make_drops

from .measure import run_cli


def timed_batch(drops: Path, out: Path, *extra: str) -> dict:
    wall, _ = run_cli(["batch", str(drops), "--out", str(out), *extra])
    index = json.loads((out / "index.json").read_text())
    repaired = index["counts"]["repaired"]
    return {"args": list(extra), "wall_s": round(wall, 1), "flow_s": index["seconds"], "repaired": repaired,
            "drops_per_min": round(60 * repaired / wall, 1) if repaired else None, "counts": index["counts"]}


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark mtrepair batch on WMT21 drops.")
    parser.add_argument("data_dir")
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/mtrepair-bench"))
    parser.add_argument("--dask-workers", type=int, default=2)
    args = parser.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    drops = args.workdir / "drops"
    made = make_drops(args.data_dir, drops, args.count)
    old = time.time() - 60  # written a minute ago: no settle wait in the measurements
    for folder in made:
        for path in [folder, *folder.iterdir()]:
            os.utime(path, (old, old))
    sentences = sum(len((f / "target.txt").read_text().splitlines()) for f in made)
    results = {"drops": len(made), "target_lines": sentences, "load_before": os.getloadavg()}
    results["sequential"] = timed_batch(drops, args.workdir / "out-seq")
    print("sequential:", results["sequential"], flush=True)
    results["second_run"] = timed_batch(drops, args.workdir / "out-seq")
    print("second run:", results["second_run"], flush=True)
    results["dask"] = timed_batch(drops, args.workdir / "out-dask", "--task-runner", "dask",
                                  "--dask-workers", str(args.dask_workers))
    print("dask:", results["dask"], flush=True)
    results["load_after"] = os.getloadavg()
    (args.workdir / "bench.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
