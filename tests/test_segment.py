"""Sentences carry exact offsets into the cleaned text."""

from repair.text.segment import MAX_SENTENCE_CHARS, paragraphs, split_sentences


def test_sentences_and_offsets():
    text = "Headline without stop\nDr. Smith arrived. He said “hi.” Then left.\n\nLast one."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Headline without stop",
        "Dr. Smith arrived.",
        "He said “hi.”",
        "Then left.",
        "Last one.",
    ]
    for s in sentences:
        assert text[s.start : s.end] == s.text
    assert [s.paragraph for s in sentences] == [0, 1, 1, 1, 2]
    assert [s.index for s in sentences] == list(range(5))


def test_paragraph_spans_skip_blank_lines():
    assert paragraphs("a\n\n b \n") == [(0, 1), (4, 5)]


def test_a_sentence_without_punctuation_is_cut_into_bounded_pieces():
    text = " ".join(["word"] * 3000)
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(text[s.start : s.end] == s.text for s in sentences)
