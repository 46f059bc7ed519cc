"""The language model's second opinion on word-level edits (the real pocketsphinx model)."""

from repair.decide.second_opinion import is_word_level, lm_gain, with_lm_opinion
from repair.engines.language_model import get_language_model
from repair.records import Document, Evidence, Proposal
from repair.text.segment import split_sentences

TEXT = "The weather was fine. I has a car and it is red."


def edit(original, replacement, kind="grammar", text=TEXT):
    start = text.index(original)
    return Proposal("P1", kind, None, start, start + len(original), original, replacement, "r", Evidence(rule_id="R"), 0.6)


def test_word_level_means_one_word_for_at_most_one_word_not_only_case():
    assert is_word_level(edit("has", "have"))
    assert is_word_level(edit("has", "", kind="reference"))
    assert not is_word_level(edit("has a", "have one"))
    assert not is_word_level(edit("car", "Car"))
    assert not is_word_level(edit("has", "has", kind="flag"))
    assert not is_word_level(edit("has", "have", kind="cleanup"))


def test_the_gain_is_the_change_of_the_mean_log10_per_word():
    model = get_language_model()
    sentence = "I has a car and it is red."
    assert lm_gain(sentence, 2, 5, "have", model) > 0  # "I have a car" reads better
    assert lm_gain(sentence, 2, 5, "hat", model) < 0
    assert lm_gain(sentence, 2, 5, "has", model) == 0


def test_word_level_edits_carry_the_gain_of_their_own_sentence():
    document = Document("t", "t", TEXT, TEXT, split_sentences(TEXT))
    word, phrase = edit("has", "have"), edit("has a", "have one")
    marked = with_lm_opinion(document, [word, phrase])
    sentence = document.sentence_at(word.start)
    offset = word.start - sentence.start
    assert marked[0].evidence.lm_gain == lm_gain(sentence.text, offset, offset + 3, "have", get_language_model())
    assert marked[0].evidence.lm_gain > 0
    assert marked[1] == phrase  # not word-level: untouched
    assert "lm_gain" in marked[0].to_dict()["evidence"] and "lm_gain" not in phrase.to_dict()["evidence"]
