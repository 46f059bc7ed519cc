"""Turn an article file into a `Document`: read, clean, split into sentences."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .clean import clean_text
from .load import LoadedText, read_article
from .records import CleanupEdit, Document
from .segment import split_sentences


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


def prepare_document(path: str | Path) -> PreparedDocument:
    """Read, clean and segment one article file (raises InputError on bad input)."""
    path = Path(path)
    return prepare_text(path.name, str(path), read_article(path))
