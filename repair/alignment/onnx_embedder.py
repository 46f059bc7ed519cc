"""Sentence embeddings with ONNX Runtime and `tokenizers`: the model without PyTorch.

Importing PyTorch and sentence-transformers costs far more than the model itself
(the weights are 90 MB); a run that only encodes sentences needs neither. This
module runs the transformer that `repair.alignment.onnx_export` exported at set-up time (`mtrepair setup`) and
does the rest of the sentence-transformers pipeline itself, as the model folder's
modules.json and pooling config describe it: tokenise (the folder's tokenizer.json,
truncated to max_seq_length, padded to the longest text of a batch), batch in
the same length-sorted order as sentence-transformers, mean-pool over the
attention mask, normalise to unit length. The vectors match sentence-transformers'
to float rounding (tests/test_onnx_embedder.py).

Only numpy, onnxruntime and tokenizers are imported here; `make_embedder` picks this
path when its export exists and falls back to sentence-transformers (with a one-line
note) when it does not.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import numpy as np

from repair.errors import SetupError

ONNX_FILE = "model.onnx"
EXPORT_FORMAT = "1"
"""Bump when the export itself changes (inputs, outputs, opset), so old exports are not reused."""
PHRASE_BATCH_SIZE = 64
_WEIGHTS = ("model.safetensors", "pytorch_model.bin")
_GRAPH_SHAPERS = ("torch", "transformers", "sentence-transformers")
_SUPPORTED_MODULES = {
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
}


def onnx_cache_root() -> Path:
    """The machine-wide folder of exports (next to the LanguageTool jars)."""
    from repair.config import cache_root

    return cache_root() / "onnx"


def export_key(model_folder: Path) -> str:
    """What the export depends on: the model's config and weights file, and the exporter's versions.

    The weights are identified by size and modification time (uv hard-links the same
    file into every virtual environment), not hashed: reading 90 MB would cost
    more than this module saves.
    """
    parts = [f"format={EXPORT_FORMAT}"]
    for name in ("config.json", "modules.json", "sentence_bert_config.json", "tokenizer.json"):
        path = model_folder / name
        if path.exists():
            parts.append(f"{name}={hashlib.sha256(path.read_bytes()).hexdigest()}")
    for name in _WEIGHTS:
        path = model_folder / name
        if path.exists():
            stat = path.stat()
            parts.append(f"{name}={stat.st_size}:{stat.st_mtime_ns}")
    for package in _GRAPH_SHAPERS:
        try:
            parts.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package}=none")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:20]


def export_dir(model_folder: str | Path) -> Path:
    """Where the export of `model_folder` lives (it may not exist yet)."""
    folder = Path(model_folder)
    return onnx_cache_root() / f"{folder.name or 'model'}-{export_key(folder)}"


class Pipeline:
    """The parts of a sentence-transformers model folder the runtime path reproduces."""

    def __init__(self, max_seq_length: int, pooling: str, normalize: bool, dimension: int) -> None:
        self.max_seq_length = max_seq_length
        self.pooling = pooling
        self.normalize = normalize
        self.dimension = dimension


def read_pipeline(model_folder: str | Path) -> Pipeline:
    """Read modules.json and the pooling config; SetupError for anything this path cannot reproduce."""
    folder = Path(model_folder)
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        types = [module["type"] for module in modules]
        if not types or types[0] != "sentence_transformers.models.Transformer" or set(types) - _SUPPORTED_MODULES:
            raise SetupError(f"model folder {folder}: modules {types} are not transformer + pooling + normalize")
        pooling_dir = next(m["path"] for m in modules if m["type"].endswith(".Pooling"))
        pooling = json.loads((folder / pooling_dir / "config.json").read_text(encoding="utf-8"))
        modes = [mode for mode in ("cls_token", "mean_tokens", "max_tokens") if pooling.get(f"pooling_mode_{mode}")]
        other = [key for key, on in pooling.items() if key.startswith("pooling_mode_") and on
                 and key[len("pooling_mode_"):] not in ("cls_token", "mean_tokens", "max_tokens")]
        if len(modes) != 1 or other:
            raise SetupError(f"model folder {folder}: pooling {pooling} is not one of cls, mean, max")
        bert_config = folder / "sentence_bert_config.json"
        config = json.loads(bert_config.read_text(encoding="utf-8")) if bert_config.exists() else {}
        if config.get("do_lower_case"):
            raise SetupError(f"model folder {folder}: do_lower_case is not supported by the ONNX path")
        max_length = int(config.get("max_seq_length") or 512)
        return Pipeline(max_length, modes[0], "sentence_transformers.models.Normalize" in types,
                        int(pooling["word_embedding_dimension"]))
    except SetupError:
        raise
    except (OSError, ValueError, KeyError, StopIteration, TypeError) as exc:
        raise SetupError(f"model folder {folder}: cannot read its module configuration ({type(exc).__name__})") from None


class OnnxEmbedder:
    """Turns sentences into unit vectors with the exported model; the same interface as align.Embedder."""

    def __init__(self, name: str, model_folder: str | Path, export: str | Path, batch_size: int = 16) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.name = name
        self.path = str(model_folder)
        self.batch_size = batch_size
        self.pipeline = read_pipeline(model_folder)
        export = Path(export)
        self.inputs = json.loads((export / "inputs.json").read_text(encoding="utf-8"))["inputs"]
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # errors only: a normal run prints no library notes
        self.session = onnxruntime.InferenceSession(str(export / ONNX_FILE), options,
                                                    providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(Path(model_folder) / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=self.pipeline.max_seq_length)
        pad_token = self.tokenizer.padding["pad_token"] if self.tokenizer.padding else "[PAD]"
        pad_id = self.tokenizer.token_to_id(pad_token)
        self.tokenizer.enable_padding(pad_id=0 if pad_id is None else pad_id, pad_token=pad_token)

    @property
    def dimension(self) -> int:
        return self.pipeline.dimension

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """Unit-length float32 embeddings, one row per text (empty input: 0 rows)."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        size = batch_size or self.batch_size
        order = np.argsort([-len(text) for text in texts])  # as sentence-transformers batches them
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), size):
            rows = order[start : start + size]
            vectors[rows] = self._encode_batch([texts[i] for i in rows])
        return vectors

    def encode_phrases(self, phrases: Sequence[str]) -> np.ndarray:
        """`encode` for short phrases, in larger batches (see align.Embedder.encode_phrases)."""
        return self.encode(phrases, batch_size=max(self.batch_size, PHRASE_BATCH_SIZE))

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        arrays = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        (hidden,) = self.session.run(["last_hidden_state"], {name: arrays[name] for name in self.inputs})
        pooled = pool(hidden, arrays["attention_mask"], self.pipeline.pooling)
        if self.pipeline.normalize:
            pooled = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32)


def pool(hidden: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    """sentence-transformers' Pooling for one mode, over the real (unpadded) tokens."""
    if mode == "cls_token":
        return hidden[:, 0]
    weights = mask[:, :, None].astype(hidden.dtype)
    if mode == "max_tokens":
        return np.where(weights > 0, hidden, np.finfo(hidden.dtype).min).max(axis=1)
    return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)


_noted: set[str] = set()


def make_embedder(model: str, device: str | None = None, batch_size: int = 16):
    """The fastest embedder available for `model`: the ONNX export if it exists, else sentence-transformers.

    MTREPAIR_EMBEDDER=torch forces sentence-transformers, =onnx refuses the fallback.
    A device other than the CPU (MTREPAIR_DEVICE) also means sentence-transformers.
    """
    from repair.alignment.align import Embedder, resolve_model

    choice = os.environ.get("MTREPAIR_EMBEDDER", "auto").strip().lower() or "auto"
    if choice not in ("auto", "onnx", "torch"):
        raise SetupError(f"MTREPAIR_EMBEDDER must be auto, onnx or torch, not '{choice}'")
    if choice == "torch" or (device not in (None, "cpu") and choice == "auto"):
        return Embedder(model, device, batch_size)
    folder = Path(resolve_model(model))
    reason = _unusable(folder)
    if reason is None:
        try:
            return OnnxEmbedder(model, folder, export_dir(folder), batch_size)
        except SetupError as exc:
            reason = str(exc)
        except Exception as exc:  # a broken export or runtime: sentence-transformers still works
            reason = f"the ONNX model could not be loaded ({type(exc).__name__})"
    if choice == "onnx":
        raise SetupError(f"no ONNX path for the model '{model}': {reason}")
    if model not in _noted:
        _noted.add(model)
        print(f"mtrepair: note: {reason}; using sentence-transformers (slower start)", file=sys.stderr)
    return Embedder(model, device, batch_size)


def _unusable(folder: Path) -> str | None:
    """Why the ONNX path cannot serve this model folder, or None."""
    if not folder.is_dir():
        return f"the model '{folder}' is not a local folder"
    try:
        read_pipeline(folder)
    except SetupError as exc:
        return str(exc)
    if not (folder / "tokenizer.json").exists():
        return f"model folder {folder} has no tokenizer.json"
    if not (export_dir(folder) / ONNX_FILE).exists():
        return "no ONNX export of the model yet (run `mtrepair setup`)"
    return None
