"""Read an article in any of the accepted formats: plain text, Markdown or HTML.

The one reader of input articles: every command (run, batch, correct's
references) reads articles through `read_any_article` / `prepare_article`.

`.txt` (and any other name) is read as it is; `.md` and `.html`/`.htm` are
decoded the same strict way and then reduced to their prose (see
`html_text`), so every later stage sees plain text with one paragraph a line.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from repair.text.document import PreparedDocument, prepare_text
from repair.errors import InputError
from repair.text.html_text import html_to_text, markdown_to_text
from repair.text.load import LoadedText, check_article_text, decode_article, read_article, read_article_bytes

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
_CONVERTERS = {".md": ("Markdown", markdown_to_text), ".html": ("HTML", html_to_text), ".htm": ("HTML", html_to_text)}


def read_any_article(path: str | Path) -> LoadedText:
    """Decode one article file and, for Markdown or HTML, keep only its text."""
    path = Path(path)
    converter = _CONVERTERS.get(path.suffix.lower())
    if converter is None:
        return read_article(path)
    kind, convert = converter
    loaded = decode_article(read_article_bytes(path), path)
    text = convert(loaded.text)
    if not text.strip():
        raise InputError(path, f"has no article text in its {kind}")
    check_article_text(text, path)  # the same checks as a plain-text article (language, leftover markup)
    return replace(loaded, text=text, fixes=(*loaded.fixes, f"took the text of the {kind}"))


def prepare_article(path: str | Path) -> PreparedDocument:
    """Read (any accepted format), clean and segment one article file."""
    path = Path(path)
    return prepare_text(path.name, str(path), read_any_article(path))
