"""comparable-dev: real awkward articles, their originals and comparable references.

One folder per news event in `DATA/comparable-dev/<slug>/`: `awkward.txt` (a
machine-reworded copy), `original.txt` (the article it was reworded from: the
gold), `reference*.txt` (other outlets' articles on the same event). The texts
are copyrighted news: they are read here to measure, never copied into the
project.

The awkward copy and its original may cover different extents of the story, so
scoring is on aligned sentence pairs only: each awkward sentence is paired with
an original sentence by the real model's embeddings under a monotonic
constraint (a dynamic programme over the similarity matrix, as in classic
sentence alignment: pairs keep their order, sentences may be skipped), and a
pair counts only at cosine similarity >= `MIN_PAIR_SIMILARITY`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from repair.text.articles import prepare_article
from repair.text.document import PreparedDocument
from repair.records import Document

FOLDER = "comparable-dev"
MIN_PAIR_SIMILARITY = 0.6
"""Below this an awkward sentence and an original sentence are not taken to be the same sentence
reworded (reworded sentences of one article score 0.75-0.98; different sentences on one event
rarely above 0.6)."""


@dataclass(frozen=True)
class Case:
    slug: str
    awkward: PreparedDocument
    original: Document
    references: tuple[PreparedDocument, ...]


@dataclass(frozen=True)
class Pair:
    """Awkward sentence `target` is a rewording of original sentence `gold`."""

    target: int
    gold: int
    similarity: float


def folder(data: Path) -> Path:
    return data / FOLDER


def available(data: Path) -> bool:
    return folder(data).is_dir() and any(folder(data).glob("*/awkward.txt"))


def load_cases(data: Path) -> list[Case]:
    """Every event folder with an awkward copy, an original and at least one reference, by slug."""
    cases = []
    for event in sorted(p for p in folder(data).iterdir() if p.is_dir()):
        references = sorted(event.glob("reference*.txt"))
        if not (event / "awkward.txt").exists() or not (event / "original.txt").exists() or not references:
            continue
        cases.append(Case(
            event.name,
            prepare_article(event / "awkward.txt"),
            prepare_article(event / "original.txt").document,
            tuple(prepare_article(r) for r in references),
        ))
    return cases


def monotonic_pairs(similarity: np.ndarray, minimum: float = MIN_PAIR_SIMILARITY) -> list[Pair]:
    """The order-keeping one-to-one pairing that maximises the summed similarity above `minimum`
    (rows: awkward sentences, columns: original sentences; either may be skipped)."""
    rows, cols = similarity.shape
    gain = np.where(similarity >= minimum, similarity - minimum + 1e-6, -np.inf)
    best = np.zeros((rows + 1, cols + 1))
    for i in range(1, rows + 1):
        for j in range(1, cols + 1):
            best[i, j] = max(best[i - 1, j], best[i, j - 1], best[i - 1, j - 1] + gain[i - 1, j - 1])
    pairs = []
    i, j = rows, cols
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            pairs.append(Pair(i - 1, j - 1, round(float(similarity[i - 1, j - 1]), 4)))
            i, j = i - 1, j - 1
    return pairs[::-1]
