"""Read an article file into clean unicode text, or say clearly why not.

Decoding is the first place a tool can silently corrupt text (mojibake), so it
is explicit about what it does:

- a byte-order mark names the encoding (UTF-8, UTF-16, UTF-32);
- valid UTF-8 is UTF-8;
- otherwise, text with few non-ASCII bytes is Western text in Windows-1252
  (a superset of latin-1 for printable text): the bytes that are not valid
  UTF-8 are read as cp1252 and the valid UTF-8 runs are kept, so a file that
  mixes the two (pasted from two sources) still reads right;
- text with many non-ASCII bytes (a Cyrillic or Asian code page) is decoded
  with the encoding charset-normalizer detects, only when it is confident;
  otherwise it is refused. (Such an article is rarely English; the language
  check then says which language it is.)

Unicode damage already inside the text is repaired with ftfy, and invisible
control and direction characters are dropped, because they break segmentation
and offsets. A plain-text file that is really an HTML page is refused: its
markup would be "repaired" as if it were prose.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from repair.errors import InputError
from repair.text.language import english_problem

MAX_BYTES = 1_000_000
"""Largest article accepted: 1 MB, about 150,000 words, ten times a long feature.
The limit bounds one run's time, not memory: a 218 KB article against a 115 KB
reference took 197 s on the shared 2-core development machine (grammar 105 s,
embedding 52 s), so a 1 MB article takes about a quarter of an hour; a larger
file is refused before it is read, with its size and the limit.
MTREPAIR_MAX_ARTICLE_BYTES raises or lowers it (the scaling benchmark's 10,000-line
article is 1.1 MB)."""


def max_article_bytes() -> int:
    """The size limit in force: MTREPAIR_MAX_ARTICLE_BYTES when set to a positive whole number."""
    value = os.environ.get("MTREPAIR_MAX_ARTICLE_BYTES", "").replace("_", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else MAX_BYTES


_WESTERN_MAX_HIGH_BYTES = 0.3
"""A non-UTF-8 file with at most this share of non-ASCII bytes is read as cp1252."""

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read bytes that are not UTF-8 as cp1252 (latin-1 where cp1252 has a hole)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(bytes([b]).decode("cp1252", errors="replace").replace("\ufffd", chr(b)) for b in bad), error.end


codecs.register_error("mtrepair-cp1252", _cp1252_fallback)

_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0/C1 controls except tab and newline
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"  # zero-width, bidi marks
)


def _ftfy_fix(text: str):
    """ftfy's repair and its explanation. Curly quotes carry meaning for quote repair, so
    ftfy must not straighten them. Imported here: a refused file need not pay for ftfy."""
    import ftfy

    return ftfy.fix_and_explain(text, config=ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC", explain=True))


@dataclass(frozen=True)
class LoadedText:
    """Decoded text and what had to be done to get it."""

    text: str
    encoding: str
    fixes: tuple[str, ...]


def read_article(path: str | Path, max_bytes: int | None = None) -> LoadedText:
    """Read and decode one article file; raise `InputError` naming the problem."""
    loaded = decode_article(read_article_bytes(path, max_bytes), path)
    check_article_text(loaded.text, path)
    return loaded


def read_article_bytes(path: str | Path, max_bytes: int | None = None) -> bytes:
    """The bytes of one article file, checked for existence, size and permission."""
    path = Path(path)
    max_bytes = max_bytes or max_article_bytes()
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory, not a file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                path, f"is {size:,} bytes; the limit for one article is {max_bytes:,} bytes"
            )
        return path.read_bytes()
    except PermissionError:
        raise InputError(path, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


def check_article_text(text: str, path: str | Path = "<text>") -> None:
    """Refuse decoded text that is not a plain English article (HTML, another language)."""
    if looks_like_html(text):
        raise InputError(path, "looks like HTML markup, not plain text; save the article's text as a plain-text file")
    problem = english_problem(text)
    if problem:
        raise InputError(path, problem)


_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|\?xml)", re.I | re.S)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_BLOCK_LINE = re.compile(r"^\s*</?(?:p|div|h[1-6]|li|ul|ol|br|span|a|article|section|table|tr|td|img|meta|link|script|style)\b[^<>]*>", re.I | re.M)


def looks_like_html(text: str) -> bool:
    """True for an HTML page or fragment: a document start, markup-heavy text,
    or most lines opening with a tag. A few tags inside prose are just text."""
    if _HTML_START.match(text):
        return True
    sample = text[:200_000]
    tags = _TAG.findall(sample)
    if len(tags) >= 10 and sum(map(len, tags)) >= 0.2 * len(sample.strip()):
        return True
    lines = [line for line in sample.split("\n") if line.strip()]
    tagged = len(_BLOCK_LINE.findall(sample))
    return tagged >= 3 and tagged >= 0.5 * len(lines)


def decode_article(data: bytes, path: str | Path = "<text>") -> LoadedText:
    """Decode bytes to normalised text; raise `InputError` for unusable input."""
    if not data.strip():
        raise InputError(path, "is empty" if not data else "contains only whitespace")
    has_bom = any(data.startswith(bom) for bom, _ in _BOMS)
    if b"\x00" in data[:8192] and not has_bom:
        raise InputError(path, "looks like a binary file, not text")
    text, encoding = _decode(data, path)
    fixes: list[str] = []
    if encoding == "utf-8-sig":
        fixes.append("removed UTF-8 byte-order mark")
    elif encoding != "utf-8":
        fixes.append(f"decoded from {encoding}")
    fixed, explanation = _ftfy_fix(text)
    if fixed != text:
        steps = ", ".join(f"{step.action} {step.parameter}" for step in explanation or [])
        fixes.append(f"repaired broken unicode ({steps})")
    text = fixed
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # ftfy already made U+2028/U+2029 newlines
    stripped = _CONTROL.sub("", text)
    if stripped != text:
        fixes.append(f"removed {len(text) - len(stripped)} control or direction characters")
    text = unicodedata.normalize("NFC", stripped)
    if not text.strip():
        raise InputError(path, "contains no readable text")
    if _looks_binary(text):
        raise InputError(path, "looks like a binary file, not text")
    return LoadedText(text=text, encoding=encoding, fixes=tuple(fixes))


def _decode(data: bytes, path: str | Path) -> tuple[str, str]:
    """The text and the name of the encoding it was read with (see the module docstring)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise InputError(path, f"starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    high = (len(data) - len(data.translate(None, bytes(range(0x80, 0x100))))) / len(data)
    if high <= _WESTERN_MAX_HIGH_BYTES:
        encoding = "mixed UTF-8 and cp1252" if _UTF8_MULTIBYTE.search(data) else "cp1252"
        return data.decode("utf-8", errors="mtrepair-cp1252"), encoding
    from charset_normalizer import from_bytes  # only for the rare file that is neither UTF-8 nor cp1252

    best = from_bytes(data).best()
    if best is None or best.encoding is None or best.chaos > 0.2:
        raise InputError(path, "is not UTF-8 and its encoding could not be detected reliably")
    return str(best), best.encoding


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    odd = sum(1 for ch in sample if unicodedata.category(ch) in ("Co", "Cn", "Cs"))
    return odd > 0.05 * len(sample)
