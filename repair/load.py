"""Read an article file into clean unicode text, or say clearly why not.

Decoding is the first place a tool can silently corrupt text (mojibake), so it
is strict: UTF-8 (with or without a byte-order mark) first, then a detected
legacy encoding only when the detector is confident, else an error. Unicode
damage already inside the text is repaired with ftfy, and invisible control and
direction characters are dropped, because they break segmentation and offsets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import ftfy
from charset_normalizer import from_bytes

from .errors import InputError

MAX_BYTES = 5_000_000
"""Largest article accepted (5 MB, about 800k words): far above any news article."""

_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0/C1 controls except tab and newline
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"  # zero-width, bidi marks
)


# Curly quotes carry meaning for quote repair, so ftfy must not straighten them.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC", explain=True)


@dataclass(frozen=True)
class LoadedText:
    """Decoded text and what had to be done to get it."""

    text: str
    encoding: str
    fixes: tuple[str, ...]


def read_article(path: str | Path, max_bytes: int = MAX_BYTES) -> LoadedText:
    """Read and decode one article file; raise `InputError` naming the problem."""
    path = Path(path)
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
        data = path.read_bytes()
    except PermissionError:
        raise InputError(path, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    return decode_article(data, path)


def decode_article(data: bytes, path: str | Path = "<text>") -> LoadedText:
    """Decode bytes to normalised text; raise `InputError` for unusable input."""
    if not data.strip():
        raise InputError(path, "is empty" if not data else "contains only whitespace")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "looks like a binary file, not text")
    text, encoding = _decode(data, path)
    fixes: list[str] = []
    if encoding not in ("utf-8", "utf-8-sig"):
        fixes.append(f"decoded from {encoding}")
    if encoding == "utf-8-sig":
        fixes.append("removed UTF-8 byte-order mark")
    fixed, explanation = ftfy.fix_and_explain(text, config=_FTFY)
    if fixed != text:
        steps = ", ".join(f"{step.action} {step.parameter}" for step in explanation or [])
        fixes.append(f"repaired broken unicode ({steps})")
    text = fixed
    text = text.replace("\r\n", "\n").replace("\r", "\n")
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
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None or best.chaos > 0.2:
        raise InputError(path, "is not UTF-8 and its encoding could not be detected reliably")
    return str(best), best.encoding


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    odd = sum(1 for ch in sample if unicodedata.category(ch) in ("Co", "Cn", "Cs"))
    return odd > 0.05 * len(sample)
