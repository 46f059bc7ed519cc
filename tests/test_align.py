"""Alignment: top-k in blocks (pure), and the real model on small texts."""

import numpy as np
import pytest

from repair.align import align, resolve_model, top_k_similar
from repair.errors import SetupError
from repair.records import Document
from repair.segment import split_sentences


def test_top_k_in_blocks_equals_full_matrix():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(50, 8)).astype(np.float32)
    b = rng.normal(size=(30, 8)).astype(np.float32)
    idx, scores = top_k_similar(a, b, k=3, block=7)
    full = a @ b.T
    expected = np.argsort(-full, axis=1)[:, :3]
    assert (idx == expected).all()
    assert np.allclose(scores, np.take_along_axis(full, expected, axis=1))


def test_top_k_with_fewer_keys_than_k():
    idx, scores = top_k_similar(np.eye(2, dtype=np.float32), np.eye(2, dtype=np.float32)[:1], k=3)
    assert idx.shape == (2, 1)


def test_a_missing_model_folder_is_a_setup_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(SetupError, match="config.json"):
        resolve_model(str(tmp_path / "empty"))


def doc(name, text):
    return Document(name, name, text, text, split_sentences(text))


def test_real_model_aligns_paraphrases(embedder):
    target = doc("t", "Russia recalled its ambassador to Washington. The weather was sunny in Paris.")
    reference = doc("r", "It rained all week in Tokyo. Moscow pulled its envoy out of the United States.")
    alignments = align(
        target,
        embedder.encode([s.text for s in target.sentences]),
        [(reference, embedder.encode([s.text for s in reference.sentences]))],
        top_k=2,
        min_similarity=0.45,
    )
    assert alignments[0].best.sentence_index == 1
    assert alignments[0].supported
    assert not alignments[1].supported
    assert embedder.encode(["x"]).shape == (1, embedder.dimension)
