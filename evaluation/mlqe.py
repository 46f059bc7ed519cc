"""MLQE-PE (machine translation into English with post-edits): line mode on `.mt`,
no reference, corpus TER against `.pe` (lower is better; an edit that raises it
is a false correction)."""

from __future__ import annotations

import time
from pathlib import Path

from repair.decide.calibration import Calibration
from repair.line_mode import correct_lines

from .components import Components
from .labels import label_edits, precision_by, sub_kind
from .metrics import chrf, ter

PAIRS = ("ro-en", "ru-en", "si-en")
PUBLISHED_TER = {"ro-en": 24.3, "ru-en": 15.2, "si-en": 63.2}


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def run_pair(data: Path, parts: Components, pair: str, split: str = "test20", calibration: Calibration | None = None,
             min_confidence: float | None = None) -> dict:
    folder = data / "mlqe-pe" / f"{pair}-{split}"
    mt = read_lines(folder / f"{split}.mt")
    pe = read_lines(folder / f"{split}.pe")
    started = time.perf_counter()
    result = correct_lines(mt, checker=parts.checker, settings=parts.settings, calibration=calibration,
                           min_confidence=min_confidence)
    seconds = time.perf_counter() - started
    labelled = label_edits(result, [[p] for p in pe], which="applied")
    return {
        "benchmark": f"MLQE-PE {pair}",
        "split": split,
        "mode": "line mode on .mt, no reference",
        "metric": "TER vs .pe",
        "better": "lower",
        "lines": len(mt),
        "baselines": {"MT unchanged": ter(mt, pe), "MT unchanged (published)": PUBLISHED_TER[pair] if split == "test20" else None},
        "mtrepair": ter(result.lines, pe),
        "chrF": {"MT unchanged": chrf(mt, pe), "mtrepair": chrf(result.lines, pe)},
        "target": "lower than MT unchanged",
        "seconds": round(seconds, 1),
        "seconds_per_1000": round(1000 * seconds / len(mt), 1),
        "lines_changed": sum(a != b for a, b in zip(mt, result.lines)),
        "precision": precision_by(labelled, sub_kind),
    }


def run(data: Path, parts: Components, split: str = "test20", calibration: Calibration | None = None,
        min_confidence: float | None = None) -> list[dict]:
    return [run_pair(data, parts, pair, split, calibration, min_confidence) for pair in PAIRS]
