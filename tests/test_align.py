"""Alignment: top-k in blocks (pure), and the real model on small texts."""

import tracemalloc

import numpy as np
import pytest

from repair.alignment.align import align, resolve_model, top_k_similar
from repair.errors import SetupError
from repair.records import Document
from repair.text.segment import split_sentences


def test_top_k_in_blocks_equals_full_matrix():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(50, 8)).astype(np.float32)
    b = rng.normal(size=(30, 8)).astype(np.float32)
    idx, scores = top_k_similar(a, b, k=3, block=7)
    full = a @ b.T
    expected = np.argsort(-full, axis=1)[:, :3]
    assert (idx == expected).all()
    assert np.allclose(scores, np.take_along_axis(full, expected, axis=1))


@pytest.mark.parametrize("block, key_block", [(7, 5), (1, 1), (50, 30), (64, 4096)])
def test_top_k_in_blocks_over_queries_and_keys_equals_full_matrix(block, key_block):
    rng = np.random.default_rng(1)
    a = rng.normal(size=(50, 8)).astype(np.float32)
    b = rng.normal(size=(30, 8)).astype(np.float32)
    idx, scores = top_k_similar(a, b, k=4, block=block, key_block=key_block)
    full = a @ b.T
    expected = np.argsort(-full, axis=1, kind="stable")[:, :4]
    assert (idx == expected).all()
    assert np.allclose(scores, np.take_along_axis(full, expected, axis=1))


def test_top_k_memory_is_bounded_by_the_blocks_not_the_matrix():
    """3,000 x 20,000 similarities would take 240 MB at once; blocks of 256 x 1,024 stay near 3 MB."""
    rng = np.random.default_rng(2)
    queries = rng.normal(size=(3000, 16)).astype(np.float32)
    keys = rng.normal(size=(20000, 16)).astype(np.float32)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        idx, _ = top_k_similar(queries, keys, k=3, block=256, key_block=1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    full_matrix = queries.shape[0] * keys.shape[0] * 4
    one_block = 256 * 1024 * (4 + 8)  # similarities and their partition indices
    assert peak < 2 * one_block + idx.nbytes * 3, peak
    assert peak < full_matrix / 20
    assert idx[0, 0] == int(np.argmax(queries[0] @ keys.T))


def test_top_k_with_fewer_keys_than_k():
    idx, scores = top_k_similar(np.eye(2, dtype=np.float32), np.eye(2, dtype=np.float32)[:1], k=3)
    assert idx.shape == (2, 1)


def test_a_missing_model_folder_is_a_setup_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(SetupError, match="config.json"):
        resolve_model(str(tmp_path / "empty"))


@pytest.mark.parametrize(
    "files, problem",
    [
        ({"config.json": "{broken"}, "config.json is not valid JSON"),
        ({"config.json": "{}", "1_Pooling/config.json": "[1,"}, "1_Pooling/config.json is not valid JSON"),
        ({"config.json": "{}"}, "has no weights file"),
    ],
)
def test_a_broken_model_folder_is_named_with_its_problem(tmp_path, files, problem):
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    with pytest.raises(SetupError, match=problem):
        resolve_model(str(tmp_path))


def test_a_model_path_that_does_not_exist_is_said(tmp_path):
    with pytest.raises(SetupError, match="does not exist"):
        resolve_model(str(tmp_path / "nowhere"))
    with pytest.raises(SetupError, match="neither a folder nor in the local Hugging Face cache"):
        resolve_model("no-such-model-anywhere")


def test_the_bundled_model_passes_the_cheap_checks():
    from pathlib import Path

    from repair.alignment.align import check_model_folder

    check_model_folder(Path(resolve_model("all-MiniLM-L6-v2")))


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
