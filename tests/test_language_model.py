"""The pocketsphinx trigram model, loaded for real from the installed package."""

import pytest

from repair.engines.language_model import TO_LOG10, UNKNOWN, LanguageModel, get_language_model, model_path


@pytest.fixture(scope="module")
def model():
    return get_language_model()


def test_the_model_ships_inside_pocketsphinx_and_is_loaded_once_per_process(model):
    assert model_path().name == "en-us.lm.bin" and model_path().is_file()
    assert get_language_model() is model


def test_scores_are_log10_and_unknown_words_say_so(model):
    assert model.knows("ambassador") and not model.knows("qxzvbw")
    assert model.raw("qxzvbw") == UNKNOWN and model.log10("qxzvbw") is None
    the = model.log10("the")
    assert -3 < the < 0 and the == pytest.approx(model.raw("the") * TO_LOG10)
    # history, most recent first: "of" is likelier after "the rest" than after "the the"
    assert model.log10("of", ["rest", "the"]) > model.log10("of", ["the", "the"])


def test_a_fluent_sentence_scores_higher_than_its_words_shuffled(model):
    fluent = model.score_words("the council voted to build more schools".split())
    shuffled = model.score_words("schools build voted council more the to".split())
    assert fluent.mean > shuffled.mean + 0.5
    assert len(fluent.log10) == 7 and all(p is not None for p in fluent.log10)


def test_an_unknown_word_is_left_out_of_the_mean_and_of_the_history(model):
    scored = model.score_words(["the", "qxzvbw", "council"])
    assert scored.log10[1] is None
    assert scored.log10[2] == pytest.approx(model.log10("council", ["the", "<s>"]))
    assert scored.mean == pytest.approx(round((scored.log10[0] + scored.log10[2]) / 2, 4))
    assert model.score_words(["qxzvbw"]).mean is None


def test_the_window_is_the_part_of_the_score_one_word_changes(model):
    words = "the council voted to construct more schools".split()
    assert model.window(words, 4, "build") > model.window(words, 4) + 1
    assert model.window(words, 4, "qxzvbw") is None
    last = model.window(words, len(words) - 1)  # the last word, then the end of the sentence
    assert last == pytest.approx(model.log10("schools", ["more", "construct"]) + model.log10("</s>", ["schools", "more"]))


def test_a_missing_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="language model file not found"):
        LanguageModel(tmp_path / "absent.lm.bin")
