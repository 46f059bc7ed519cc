"""The ONNX path gives the PyTorch path's vectors, and picks or refuses itself as documented.

The comparison runs both real paths on the seed articles and on one WMT21 document
(its reference translation), sentence by sentence, and on short phrases; it
needs the install-time export (`make install`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from repair.alignment.align import Embedder, resolve_model
from repair.config import DEFAULT_MODEL
from repair.errors import SetupError
from repair.alignment.onnx_embedder import ONNX_FILE, OnnxEmbedder, export_dir, make_embedder, pool, read_pipeline
from repair.text.segment import split_sentences

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
WMT21 = ROOT / "data" / "wmt21-ru-en"  # the copy in the repository
MIN_COSINE = 0.9999


def _model_folder() -> Path:
    return Path(resolve_model(DEFAULT_MODEL))


def _export() -> Path:
    folder = export_dir(_model_folder())
    if not (folder / ONNX_FILE).exists():
        pytest.skip("no ONNX export on this machine: run `make install`")
    return folder


def _wmt21_document() -> list[str]:
    """The reference sentences of the first WMT21 ru-en document of 20 lines or more."""
    docids = WMT21 / "newstest2021.ru-en.docids"
    if not docids.exists():
        pytest.skip(f"WMT21 data not found at {WMT21}")
    ids = docids.read_text(encoding="utf-8").splitlines()
    lines = (WMT21 / "newstest2021.ru-en.ref.A.en").read_text(encoding="utf-8").splitlines()
    first = next(doc for doc in dict.fromkeys(ids) if ids.count(doc) >= 20)
    return [line for doc, line in zip(ids, lines) if doc == first and line.strip()]


@pytest.fixture(scope="module")
def embedders():
    torch_embedder = Embedder(DEFAULT_MODEL)
    onnx_embedder = OnnxEmbedder(DEFAULT_MODEL, _model_folder(), _export())
    return torch_embedder, onnx_embedder


def _seed_sentences() -> list[str]:
    return [s.text for path in SEEDS for s in split_sentences(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("source", ["seeds", "wmt21", "phrases"])
def test_vectors_match_sentence_transformers(embedders, source):
    torch_embedder, onnx_embedder = embedders
    if source == "seeds":
        texts = _seed_sentences()
    elif source == "wmt21":
        texts = _wmt21_document()
    else:
        texts = sorted({word for text in _seed_sentences() for word in text.split()[:3]})
    assert len(texts) > 10
    if source == "phrases":
        expected, got = torch_embedder.encode_phrases(texts), onnx_embedder.encode_phrases(texts)
    else:
        expected, got = torch_embedder.encode(texts), onnx_embedder.encode(texts)
    assert got.shape == expected.shape and got.dtype == np.float32
    cosines = np.sum(expected * got, axis=1) / (np.linalg.norm(expected, axis=1) * np.linalg.norm(got, axis=1))
    assert cosines.min() >= MIN_COSINE, f"worst cosine {cosines.min():.6f} at {texts[int(cosines.argmin())]!r}"
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_long_text_is_truncated_like_sentence_transformers(embedders):
    torch_embedder, onnx_embedder = embedders
    text = " ".join(_seed_sentences()) * 3  # far beyond 256 tokens
    expected, got = torch_embedder.encode([text, "short"]), onnx_embedder.encode([text, "short"])
    assert float(np.sum(expected * got, axis=1).min()) >= MIN_COSINE


def test_empty_input_gives_no_rows(embedders):
    _, onnx_embedder = embedders
    assert onnx_embedder.encode([]).shape == (0, 384)


def test_mean_pooling_ignores_padding():
    hidden = np.array([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]])
    np.testing.assert_allclose(pool(hidden, mask, "mean_tokens"), [[2.0, 3.0]])
    np.testing.assert_allclose(pool(hidden, mask, "max_tokens"), [[3.0, 4.0]])
    np.testing.assert_allclose(pool(hidden, mask, "cls_token"), [[1.0, 2.0]])


def test_pipeline_is_read_from_the_model_folder():
    pipeline = read_pipeline(_model_folder())
    assert (pipeline.pooling, pipeline.normalize, pipeline.max_seq_length, pipeline.dimension) == (
        "mean_tokens", True, 256, 384)


def test_unsupported_pooling_is_refused(tmp_path):
    (tmp_path / "modules.json").write_text(
        '[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},'
        ' {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]')
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(
        '{"word_embedding_dimension": 8, "pooling_mode_mean_tokens": true, "pooling_mode_max_tokens": true}')
    with pytest.raises(SetupError, match="pooling"):
        read_pipeline(tmp_path)


def test_make_embedder_prefers_onnx_and_honours_the_override(monkeypatch):
    _export()
    monkeypatch.delenv("MTREPAIR_EMBEDDER", raising=False)
    assert isinstance(make_embedder(DEFAULT_MODEL), OnnxEmbedder)
    monkeypatch.setenv("MTREPAIR_EMBEDDER", "torch")
    assert isinstance(make_embedder(DEFAULT_MODEL), Embedder)
    monkeypatch.setenv("MTREPAIR_EMBEDDER", "gpu")
    with pytest.raises(SetupError, match="MTREPAIR_EMBEDDER"):
        make_embedder(DEFAULT_MODEL)


def test_missing_export_falls_back_with_one_note(tmp_path):
    """A fresh cache has no export: the run uses sentence-transformers and says so once, in one line."""
    code = (
        "from repair.alignment.onnx_embedder import make_embedder\n"
        "from repair.alignment.align import Embedder\n"
        "a = make_embedder('all-MiniLM-L6-v2'); b = make_embedder('all-MiniLM-L6-v2')\n"
        "assert isinstance(a, Embedder) and isinstance(b, Embedder)\n"
        "print(a.encode(['a sentence']).shape)\n"
    )
    env = {**os.environ, "MTREPAIR_CACHE": str(tmp_path), "MTREPAIR_EMBEDDER": "auto"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(1, 384)"
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mtrepair: note: no ONNX export"), done.stderr


def test_missing_export_is_refused_when_onnx_is_forced(tmp_path, monkeypatch):
    monkeypatch.setenv("MTREPAIR_CACHE", str(tmp_path))
    monkeypatch.setenv("MTREPAIR_EMBEDDER", "onnx")
    with pytest.raises(SetupError, match="no ONNX path"):
        make_embedder(DEFAULT_MODEL)
