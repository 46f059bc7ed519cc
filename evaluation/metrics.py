"""Scores: JFLEG's GLEU (PyPI `gleu`, as the leaderboard computes it), TER and
chrF (sacrebleu), and a word edit distance for labelling single edits."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from rapidfuzz.distance import Levenshtein
from sacrebleu.metrics import CHRF, TER


def gleu(source: Path, references: Sequence[Path], hypothesis: Sequence[str]) -> float:
    """Corpus GLEU x100 with the fixed seed (`gleu -s SRC -r REFS -o HYP -f`)."""
    with tempfile.TemporaryDirectory(prefix="mtrepair-gleu-") as tmp:
        hyp = Path(tmp) / "hyp.txt"
        hyp.write_text("".join(line + "\n" for line in hypothesis), encoding="utf-8")
        command = [str(Path(sys.executable).parent / "gleu"), "-s", str(source), "-r", *map(str, references), "-o", str(hyp), "-f"]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return float(out.strip().split("\t")[-1])  # `gleu` prints "HYP<TAB>40.54"


def ter(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    """sacrebleu corpus TER (defaults: case-insensitive, no tokenisation)."""
    return round(TER().corpus_score(list(hypotheses), [list(references)]).score, 2)


def chrf(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    return round(CHRF().corpus_score(list(hypotheses), [list(references)]).score, 2)


_SPLIT = re.compile(r"\S+")


def words(line: str, case_sensitive: bool = False) -> list[str]:
    return [w if case_sensitive else w.casefold() for w in _SPLIT.findall(line)]


def distance(hypothesis: str, references: Sequence[str], case_sensitive: bool = False) -> int:
    """Word edit distance to the closest reference (case-insensitive, like TER, unless asked:
    GLEU counts case)."""
    hyp = words(hypothesis, case_sensitive)
    return min(Levenshtein.distance(hyp, words(r, case_sensitive)) for r in references)
