"""The start-up rows of `make bench`: cold run against its floor, memory, quick commands (rendering only)."""

from __future__ import annotations

from bench.run import SECTIONS, render

COLD = {"command_s": 8.2, "first_ever_s": 9.9, "python_peak_mb": 450.4, "embedder": "onnx",
        "languagetool_start_s": 2.5, "languagetool_first_check_s": 3.0, "model_read_s": 0.4, "floor_s": 5.9,
        "ratio": 1.39, "shared_server_s": 3.6, "shared_server_ratio": 1.44, "target": "<= 10 s (quiet machine)",
        "shared_target": "<= 1.5", "memory_target": "<= 500 MB"}
QUICK = {"help": {"seconds": 0.21, "cpu_s": 0.18}, "refusal": {"seconds": 0.43}, "target": "<= 0.5 s"}


def test_cold_start_rows_show_the_floor_its_parts_and_the_ratios():
    table = render({"machine": "test cpu, 2 cores", "started": "2026-12-02 12:00", "cold_start": COLD})
    assert "| cold start, seeds (`mtrepair run`, onnx) | 8.2 s (first ever, with Prefect's database: 9.9 s) " in table
    assert "5.9 s floor (LanguageTool up 2.5 + first check 3.0 + model read 0.40) | 1.39 |" in table
    assert "| cold start, seeds, LanguageTool already up (`mtrepair languagetool`) | 3.6 s | 2.5 s" in table
    assert "| 1.44 | <= 1.5 |" in table
    assert "| Python peak memory, cold seed run | 450 MB |" in table
    assert "LanguageTool and a Prefect server" not in table  # an older result without that run


def test_cold_start_with_a_prefect_server_up_has_its_own_row():
    cold = {**COLD, "shared_servers_s": 2.9, "shared_servers_ratio": 1.16}
    table = render({"machine": "test cpu, 2 cores", "started": "2026-12-02 12:00", "cold_start": cold})
    assert ("| cold start, seeds, LanguageTool and a Prefect server already up (`PREFECT_API_URL`) | 2.9 s "
            "| 2.5 s (that LanguageTool server's own start) | 1.16 | <= 1.5 |") in table


def test_quick_command_rows():
    table = render({"machine": "test cpu, 2 cores", "started": "2026-12-02 12:00", "quick": QUICK})
    assert "| `mtrepair --help` | 0.21 s (0.18 s CPU) | — | — | <= 0.5 s |" in table
    assert "| a refused bad input (binary target) | 0.43 s |" in table


def test_the_new_sections_can_be_chosen():
    assert {"cold", "quick"} <= set(SECTIONS)
