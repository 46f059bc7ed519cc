"""A target that is one huge line without sentence ends: segmentation stays linear in its length.

pysbd's time grows with the square of what it is given, so it must only ever see bounded
blocks; the whole-drop figures for a 900 KB line are in docs/reliability.md.
"""

import random

import repair.text.segment as segment
from repair.text.segment import MAX_BLOCK_CHARS, MAX_SENTENCE_CHARS, split_sentences

WORDS = "the river town council said water levels were rising again after heavy rain across northern valleys".split()


def test_pysbd_only_sees_bounded_blocks_of_a_200_kb_line(monkeypatch):
    rng = random.Random(900)
    text = " ".join(rng.choice(WORDS) for _ in range(40_000))[:200_000]
    seen = []
    real = segment._segmenter

    class Recording:
        def __init__(self, inner):
            self.inner = inner

        def segment(self, block):
            seen.append(len(block))
            return self.inner.segment(block)

    monkeypatch.setattr(segment, "_segmenter", lambda language: Recording(real(language)))
    sentences = split_sentences(text)
    assert max(seen) <= MAX_BLOCK_CHARS and sum(seen) <= len(text)
    assert all(s.text == text[s.start : s.end] and len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    covered = sum(len(s.text) for s in sentences)
    assert covered >= len(text) - len(sentences) * 2  # only the spaces at the cuts are left out


def test_long_paragraphs_are_cut_after_a_sentence_end():
    sentence = "The council met again on Monday. "
    text = sentence * 400  # 13,200 characters in one paragraph
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [sentence.strip()] * 400
