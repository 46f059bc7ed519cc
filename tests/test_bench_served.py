"""The served-run rows of `make bench`, and how a flow run's times are read from its states."""

from __future__ import annotations

import bench.served as served
from bench.run import SECTIONS, render

ROW = {"runs": [{}, {}, {}], "median_s": 3.2, "median_process_start_s": 2.1, "empty_runs": 4, "empty_median_s": 2.4,
       "log_clean": True}
SERVED = {"drop": {"docid": "x", "target_lines": 10}, "warm_work_s": 1.6, "target": "<= 1.5",
          "warm": {**ROW, "ratio": 2.0}, "cold": {**ROW, "median_s": 4.8, "ratio": 3.0},
          "parts": {name: {"cpu_s": 0.5, "wall_s": 0.9} for name in served.PARTS}}


def test_served_rows_show_both_modes_against_the_warm_work():
    table = render({"machine": "test cpu, 2 cores", "started": "2026-12-02 12:00", "served": SERVED})
    assert ("| served run of one small drop (10 lines), warm Dask worker (default) | 3.20 s (median of 3; of which "
            "process start 2.10 s; a run finding nothing: 2.40 s) | 1.60 s (the same batch flow in a warm process) "
            "| 2.00 | <= 1.5 |") in table
    assert "`--no-warm`: model loaded per run | 4.80 s" in table and "| 3.00 | <= 1.5 |" in table
    assert "served" in SECTIONS
    assert "| a served run's process: Python + `import prefect.flow_engine` (alone, fresh processes) | 0.50 s CPU" in table
    assert table.count("(alone, fresh processes)") == len(served.PARTS)


def test_run_timing_counts_from_the_runner_taking_the_run_to_its_end(monkeypatch):
    states = [  # as the API returns them: not in order, a retried RUNNING after the first
        {"type": "COMPLETED", "timestamp": "2026-12-02T12:00:09.500000Z"},
        {"type": "SCHEDULED", "timestamp": "2026-12-02T11:59:58Z"},
        {"type": "RUNNING", "timestamp": "2026-12-02T12:00:03Z"},
        {"type": "PENDING", "timestamp": "2026-12-02T12:00:01Z"},
        {"type": "RUNNING", "timestamp": "2026-12-02T12:00:05Z"},
    ]

    class Response:
        status_code = 200

        def raise_for_status(self):
            pass

        def json(self):
            return states

    monkeypatch.setattr(served.requests, "get", lambda *args, **kwargs: Response())
    timing = served.run_timing("http://api", "run-id")
    assert timing == {"taken_to_end_s": 8.5, "running_s": 6.5, "process_start_s": 2.0}
