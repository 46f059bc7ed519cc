"""Turn decoded article text into a `Document`: clean, split into sentences.

Reading a file is `articles.prepare_article`, the one reader of every input format.
"""

from __future__ import annotations

from dataclasses import dataclass

from repair.text.clean import clean_text
from repair.text.load import LoadedText
from repair.records import CleanupEdit, Document
from repair.text.segment import split_sentences


@dataclass(frozen=True)
class PreparedDocument:
    """A document with what cleaning did to it and how it was decoded."""

    document: Document
    cleanup: tuple[CleanupEdit, ...]
    loaded: LoadedText


def prepare_text(name: str, path: str, loaded: LoadedText) -> PreparedDocument:
    """Clean and segment already-decoded text."""
    text, edits = clean_text(loaded.text)
    document = Document(name=name, path=path, source=loaded.text, text=text, sentences=split_sentences(text))
    return PreparedDocument(document, tuple(edits), loaded)

