"""Split a cleaned article into sentences whose offsets point exactly into it.

Each non-empty line is a paragraph (a headline, a subheading or a body
paragraph); pysbd splits the paragraphs into sentences. Offsets are recovered by
locating each segment in the line, so `text[s.start:s.end] == s.text` always
holds, whatever the segmenter does with spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import pysbd

from repair.records import Sentence

MAX_SENTENCE_CHARS = 2000
"""Longer 'sentences' (no punctuation for pages) are cut at spaces into pieces of
at most this size, so that later stages see bounded inputs."""


MAX_BLOCK_CHARS = 4_000
"""The most characters pysbd is given at once (see `_blocks`)."""
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")


@lru_cache(maxsize=4)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of non-empty lines, without their newline."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            spans.append((offset + lead, offset + len(line.rstrip())))
        offset += len(line) + 1
    return spans


def split_sentences(text: str, language: str = "en") -> tuple[Sentence, ...]:
    """All sentences of `text`, in order, with exact character offsets."""
    sentences: list[Sentence] = []
    for number, p_start, p_end in _blocks(text):
        paragraph = text[p_start:p_end]
        cursor = 0
        for piece in _segmenter(language).segment(paragraph):
            piece = piece.strip()
            if not piece:
                continue
            found = paragraph.find(piece, cursor)
            if found < 0:  # the segmenter altered the text; fall back to the rest of the paragraph
                found, piece = cursor, paragraph[cursor:].strip()
                if not piece:
                    break
                found = paragraph.find(piece, cursor)
            for a, b in _bounded(piece, found):
                start, end = p_start + a, p_start + b
                sentences.append(Sentence(len(sentences), start, end, text[start:end], number))
            cursor = found + len(piece)
        rest = paragraph[cursor:].strip()
        if rest:
            found = paragraph.find(rest, cursor)
            for a, b in _bounded(rest, found):
                start, end = p_start + a, p_start + b
                sentences.append(Sentence(len(sentences), start, end, text[start:end], number))
    return tuple(sentences)


def _blocks(text: str) -> Iterator[tuple[int, int, int]]:
    """(paragraph number, start, end) of the pieces pysbd segments: whole paragraphs, except that
    one longer than MAX_BLOCK_CHARS is cut after its last sentence end (else space) before that size.

    pysbd's time grows with the square of a paragraph's length (100 KB without a sentence end
    took minutes), so it is only ever given bounded pieces.
    """
    for number, (start, end) in enumerate(paragraphs(text)):
        while end - start > MAX_BLOCK_CHARS:
            window = text[start : start + MAX_BLOCK_CHARS]
            ends = [m.end() for m in _SENTENCE_END.finditer(window)]
            cut = ends[-1] if ends else window.rfind(" ") + 1 or MAX_BLOCK_CHARS
            yield number, start, start + len(window[:cut].rstrip())
            start += cut
            while start < end and text[start].isspace():
                start += 1
        if end > start:
            yield number, start, end


def _bounded(piece: str, offset: int) -> list[tuple[int, int]]:
    """Cut an over-long piece at spaces into spans of at most MAX_SENTENCE_CHARS."""
    if len(piece) <= MAX_SENTENCE_CHARS:
        return [(offset, offset + len(piece))]
    spans = []
    start = 0
    while start < len(piece):
        end = min(start + MAX_SENTENCE_CHARS, len(piece))
        if end < len(piece):
            space = piece.rfind(" ", start + 1, end)
            end = space if space > start else end
        chunk = piece[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        if chunk.strip():
            spans.append((offset + start + lead, offset + start + len(chunk.rstrip())))
        start = end
    return spans
