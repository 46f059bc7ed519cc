"""WMT21 news ru-en: reference-guided repair of whole documents.

Per document, a system's output is the awkward target, reference A the
reference and reference B the gold (two independent human translations).
Corpus TER against B, over all documents, raw and repaired. Systems are ordered
by the human ranking (z score); the middle-ranked ones are the dev systems used
for calibration, the best and the weakest are the test systems.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from repair.calibration import Calibration
from repair.document import prepare_text
from repair.line_mode import correct_lines
from repair.load import LoadedText

from .components import Components
from .labels import Labelled, label_edits, precision_by, sub_kind
from .metrics import chrf, ter

PREFIX = "newstest2021.ru-en"
TEST_EACH_END = 3
"""The best three and the weakest three systems are the test systems."""


@dataclass(frozen=True)
class Wmt21:
    reference_a: list[str]
    reference_b: list[str]
    documents: list[tuple[str, list[int]]]
    ranking: list[tuple[str, float]]
    """(system, z score), best first, humans excluded."""
    folder: Path

    def system_lines(self, system: str) -> list[str]:
        return _lines(self.folder / "system-outputs" / f"{PREFIX}.hyp.{system}.en")

    @property
    def test_systems(self) -> list[str]:
        names = [s for s, _ in self.ranking]
        return names[:TEST_EACH_END] + names[-TEST_EACH_END:]

    @property
    def dev_systems(self) -> list[str]:
        names = [s for s, _ in self.ranking]
        return names[TEST_EACH_END:-TEST_EACH_END]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def load(data: Path) -> Wmt21:
    folder = data / "wmt21-ru-en"
    docids = _lines(folder / f"{PREFIX}.docids")
    documents: dict[str, list[int]] = {}
    for i, doc in enumerate(docids):
        documents.setdefault(doc, []).append(i)
    ranking = []
    for row in _lines(folder / "ad-sys-ranking-ru-en-z-names.csv"):
        fields = row.split()
        if len(fields) >= 6 and fields[-1] != "HUMAN":
            ranking.append((fields[-1], float(fields[1])))
    ranking.sort(key=lambda r: -r[1])
    return Wmt21(_lines(folder / f"{PREFIX}.ref.A.en"), _lines(folder / f"{PREFIX}.ref.B.en"), list(documents.items()), ranking, folder)


def reference_document(data: Wmt21, name: str, rows: list[int]):
    """Reference A of one document as an article (one line a paragraph)."""
    text = "\n".join(data.reference_a[i] for i in rows)
    return prepare_text(f"{name} (ref A)", f"{name}.A", LoadedText(text, "utf-8", ())).document


def repair_system(data: Wmt21, system: str, parts: Components, calibration: Calibration | None = None,
                  min_confidence: float | None = None, with_labels: str | None = "applied"):
    """Repaired lines of one system, document by document; reference types; labelled edits."""
    lines = data.system_lines(system)
    out = list(lines)
    kinds: Counter = Counter()
    labelled: list[Labelled] = []
    references = {name: reference_document(data, name, rows) for name, rows in data.documents}
    if hasattr(parts.embedder, "warm"):  # encode all sentences in large batches first
        parts.embedder.warm([*lines, *(s.text for d in references.values() for s in d.sentences)])
    for name, rows in data.documents:
        reference = references[name]
        result = correct_lines([lines[i] for i in rows], [reference], parts.checker, parts.embedder, parts.settings,
                               tokenized=False, calibration=calibration, min_confidence=min_confidence)
        for k, i in enumerate(rows):
            out[i] = result.lines[k]
        kinds[result.reference_type.kind if result.reference_type else "none"] += 1
        if with_labels:
            for item in label_edits(result, [[data.reference_b[i]] for i in rows], which=with_labels):
                labelled.append(Labelled(rows[item.line], item.proposal, item.delta))
    return out, kinds, labelled


def run(data_dir: Path, parts: Components, calibration: Calibration | None = None, min_confidence: float | None = None,
        systems: list[str] | None = None) -> list[dict]:
    data = load(data_dir)
    chosen = systems or [s for s, _ in data.ranking]
    rows = [{
        "benchmark": "WMT21 ru-en", "system": "reference A (as output)", "role": "baseline",
        "metric": "TER vs ref B", "better": "lower", "lines": len(data.reference_a),
        "baselines": {"raw": ter(data.reference_a, data.reference_b)}, "mtrepair": None,
    }]
    for system in chosen:
        lines = data.system_lines(system)
        started = time.perf_counter()
        repaired, kinds, labelled = repair_system(data, system, parts, calibration, min_confidence)
        seconds = time.perf_counter() - started
        role = "test (best)" if system in data.test_systems[:TEST_EACH_END] else "test (weakest)" if system in data.test_systems else "dev"
        rows.append({
            "benchmark": "WMT21 ru-en",
            "system": system,
            "role": role,
            "z": dict(data.ranking)[system],
            "metric": "TER vs ref B",
            "better": "lower",
            "lines": len(lines),
            "baselines": {"raw": ter(lines, data.reference_b)},
            "mtrepair": ter(repaired, data.reference_b),
            "chrF": {"raw": chrf(lines, data.reference_b), "mtrepair": chrf(repaired, data.reference_b)},
            "reference_types": dict(kinds),
            "target": "lower than raw" if "weakest" in role else "not higher than raw",
            "seconds": round(seconds, 1),
            "seconds_per_1000": round(1000 * seconds / len(lines), 1),
            "lines_changed": sum(a != b for a, b in zip(lines, repaired)),
            "precision": precision_by(labelled, sub_kind),
        })
    return rows
