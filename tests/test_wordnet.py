"""WordNet located and read from its dict files (Debian's wordnet-base, or MTREPAIR_WORDNET)."""

import pytest

from repair.engines import wordnet
from repair.engines.wordnet import ENV, INSTALL_HINT, REQUIRED, WordNet, locate


@pytest.fixture(scope="module")
def real():
    found = locate()
    if not found.found:
        pytest.fail(f"WordNet is needed for these tests: {found.problem}")
    return WordNet(found.folder)


def test_synonyms_come_from_the_lemmas_synsets_in_sense_order(real):
    assert {"slay", "hit"} <= set(real.synonyms("murder", "v"))
    assert "murder" not in real.synonyms("murder", "v")
    assert real.synonyms("big", "a")[0] == "large"
    assert "rapidly" in real.synonyms("quickly", "r")
    assert "give up" in real.synonyms("abandon", "v")  # multi-word lemmas with spaces
    assert real.synonyms("qxzvbw", "n") == ()


def test_the_first_and_last_lemmas_of_an_index_are_found(real):
    first = (real.folder / "index.adv").read_text().splitlines()
    lemmas = [line.split(" ", 1)[0] for line in first if not line.startswith("  ")]
    for lemma in (lemmas[0], lemmas[len(lemmas) // 2], lemmas[-1]):
        assert real.synset_offsets(lemma, "r"), lemma


def test_mtrepair_wordnet_overrides_and_a_broken_folder_is_named(monkeypatch, tmp_path, real):
    for name in REQUIRED:
        (tmp_path / name).symlink_to(real.folder / name)
    monkeypatch.setenv(ENV, str(tmp_path))
    assert locate().folder == tmp_path and locate().source == ENV
    (tmp_path / "data.verb").unlink()
    found = locate()
    assert not found.found and "lacks data.verb" in found.problem
    monkeypatch.setenv(ENV, str(tmp_path / "absent"))
    assert "is not a folder" in locate().problem


def test_without_wordnet_the_problem_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setattr(wordnet, "DEBIAN_FOLDER", tmp_path / "none")
    monkeypatch.setattr(wordnet, "npm_folders", lambda: [tmp_path / "node_modules"])
    found = locate()
    assert not found.found and found.problem == INSTALL_HINT
    assert "wordnet-base" in INSTALL_HINT and "MTREPAIR_WORDNET" in INSTALL_HINT
    wordnet.reset()
    try:
        assert wordnet.get_wordnet() is None and wordnet.location().problem == INSTALL_HINT
    finally:
        monkeypatch.undo()
        wordnet.reset()


def test_a_folder_without_the_files_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a WordNet dict folder"):
        WordNet(tmp_path)
