"""`make bench` renders its measurements as one table of ratios (the measuring itself is not a test)."""

from __future__ import annotations

from bench.run import machine, render

WARM = {"target_sentences": 27, "pipeline_s": 0.7, "bare_s": 0.5, "languagetool_s": 0.2, "languagetool_threads": 4,
        "encode_s": 0.3, "ratio": 1.4, "target": "<= 1.25", "stages_s": {"grammar": 0.2, "embed": 0.3, "align": 0.001}}


def test_the_table_has_a_row_per_measure_with_its_ratio_and_target():
    results = {
        "machine": "test cpu, 2 cores",
        "started": "2026-11-29 01:00",
        "seed_warm": WARM,
        "batch": {"drops": 100, "bare_s": 60.0, "languagetool_s": 20.0, "encode_s": 40.0, "target": ">= 0.9",
                  "runs": {"sequential": {"wall_s": 50.0, "drops_per_min": 120.0, "ratio": 1.2}}},
        "scaling": [{"lines": 100, "sentences": 120, "seconds": 12.0, "python_peak_mb": 900.0, "jvm_peak_mb": 700.0}],
    }
    table = render(results)
    assert "| seed pair, warm (27 sentences) | 0.70 s | 0.50 s" in table
    assert "| 1.40 | <= 1.25 |" in table
    assert "| batch of 100 drops, sequential (throughput) | 50.0 s, 120 drops/min" in table
    assert "| 100 | 120 | 12.0 s | 100.0 | 900 MB | 700 MB |" in table
    assert "grammar 0.20, embed 0.30" in table and "align" not in table.split("stages")[-1]


def test_the_machine_is_named_with_its_cores():
    assert "cores" in machine()
