"""WMT21 news ru-en: reference-guided repair of whole documents.

Per document, a system's output is the awkward target, reference A the
reference and reference B the gold (two independent human translations).
Corpus TER against B, raw and repaired. WMT21 has no dev split, and every
system translates the same sentences against the same gold B, so the documents
are split in two, deterministically: documents at even positions (in file
order) are the dev documents used for calibration, those at odd positions the
test documents reported here. Systems are ordered by the human ranking (z);
the best three and the weakest three are the systems the targets name.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from repair.decide.calibration import Calibration
from repair.text.document import prepare_text
from repair.line_mode import correct_lines
from repair.text.load import LoadedText

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
    def best_systems(self) -> list[str]:
        return [s for s, _ in self.ranking][:TEST_EACH_END]

    @property
    def weakest_systems(self) -> list[str]:
        return [s for s, _ in self.ranking][-TEST_EACH_END:]

    def split(self, part: str) -> Wmt21:
        """The dev (even positions) or test (odd positions) documents only."""
        keep = 0 if part == "dev" else 1
        return replace(self, documents=[d for i, d in enumerate(self.documents) if i % 2 == keep])

    @property
    def rows(self) -> list[int]:
        return [i for _, rows in self.documents for i in rows]


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
    full = load(data_dir)
    data = full.split("test")
    rows_used = data.rows
    gold = [full.reference_b[i] for i in rows_used]
    chosen = systems or [s for s, _ in data.ranking]
    rows = [{
        "benchmark": "WMT21 ru-en", "split": f"test docs ({len(data.documents)})", "system": "reference A (as output)",
        "role": "baseline", "metric": "TER vs ref B", "better": "lower", "lines": len(rows_used),
        "baselines": {"raw": ter([full.reference_a[i] for i in rows_used], gold), "raw, all 1000 lines": ter(full.reference_a, full.reference_b)},
        "mtrepair": None,
    }]
    for system in chosen:
        lines = full.system_lines(system)
        started = time.perf_counter()
        repaired, kinds, labelled = repair_system(data, system, parts, calibration, min_confidence)
        seconds = time.perf_counter() - started
        raw = [lines[i] for i in rows_used]
        ours = [repaired[i] for i in rows_used]
        role = "best" if system in data.best_systems else "weakest" if system in data.weakest_systems else "middle"
        rows.append({
            "benchmark": "WMT21 ru-en",
            "split": f"test docs ({len(data.documents)})",
            "system": system,
            "role": role,
            "z": dict(data.ranking)[system],
            "metric": "TER vs ref B",
            "better": "lower",
            "lines": len(rows_used),
            "baselines": {"raw": ter(raw, gold), "raw, all 1000 lines": ter(lines, full.reference_b)},
            "mtrepair": ter(ours, gold),
            "chrF": {"raw": chrf(raw, gold), "mtrepair": chrf(ours, gold)},
            "reference_types": dict(kinds),
            "target": "lower than raw" if role == "weakest" else "not higher than raw",
            "seconds": round(seconds, 1),
            "seconds_per_1000": round(1000 * seconds / len(rows_used), 1),
            "lines_changed": sum(a != b for a, b in zip(raw, ours)),
            "precision": precision_by(labelled, sub_kind),
        })
    return rows
