"""JFLEG (fluency edits of learner English): line mode without references, GLEU."""

from __future__ import annotations

import time
from pathlib import Path

from repair.decide.calibration import Calibration
from repair.line_mode import correct_lines

from .components import Components
from .labels import label_edits, precision_by, sub_kind
from .metrics import gleu

PUBLISHED = {"test": {"best published (GPT-4, 2023)": 65.02, "human": 62.37}, "dev": {"human": 55.26}}
TARGET = {"test": 46.0}


def files(data: Path, split: str) -> tuple[Path, list[Path], Path]:
    folder = data / "jfleg" / split
    return folder / f"{split}.src", [folder / f"{split}.ref{i}" for i in range(4)], folder / f"{split}.spellchecked.src"


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def run(data: Path, parts: Components, split: str = "test", calibration: Calibration | None = None,
        min_confidence: float | None = None, hypothesis_out: Path | None = None) -> dict:
    source, refs, spell = files(data, split)
    lines = read_lines(source)
    golds = list(zip(*(read_lines(r) for r in refs)))
    started = time.perf_counter()
    result = correct_lines(lines, checker=parts.checker, settings=parts.settings, calibration=calibration,
                           min_confidence=min_confidence)
    seconds = time.perf_counter() - started
    if hypothesis_out is not None:
        hypothesis_out.write_text("".join(line + "\n" for line in result.lines), encoding="utf-8")
    labelled = label_edits(result, golds, which="applied", case_sensitive=True)
    return {
        "benchmark": "JFLEG",
        "split": split,
        "mode": "line mode, no reference",
        "metric": "GLEU",
        "better": "higher",
        "lines": len(lines),
        "baselines": {
            "source unchanged": gleu(source, refs, lines),
            "enchant spell-check": gleu(source, refs, read_lines(spell)),
            **PUBLISHED.get(split, {}),
        },
        "mtrepair": gleu(source, refs, result.lines),
        "target": TARGET.get(split),
        "seconds": round(seconds, 1),
        "seconds_per_1000": round(1000 * seconds / len(lines), 1),
        "lines_changed": sum(a != b for a, b in zip(lines, result.lines)),
        "precision": precision_by(labelled, sub_kind),
    }
