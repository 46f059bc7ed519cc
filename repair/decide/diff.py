"""Word-level differences between two strings, for track-changes display."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "delete", "insert"]
_PIECES = re.compile(r"\s+|\w+(?:[’'-]\w+)*|[^\w\s]", re.UNICODE)


def word_diff(before: str, after: str) -> list[tuple[Op, str]]:
    """(op, text) runs that turn `before` into `after`, word by word; joined
    'equal' + 'delete' runs give `before`, 'equal' + 'insert' runs give `after`."""
    a = _PIECES.findall(before)
    b = _PIECES.findall(after)
    runs: list[tuple[Op, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("insert", "".join(b[j1:j2])))
    return _merge(runs)


def _merge(runs: list[tuple[Op, str]]) -> list[tuple[Op, str]]:
    merged: list[tuple[Op, str]] = []
    for op, text in runs:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        elif text:
            merged.append((op, text))
    return merged


def markdown_diff(before: str, after: str) -> str:
    """The diff as Markdown: ~~deleted~~ and **inserted**."""
    out = []
    for op, text in word_diff(before, after):
        if op == "equal":
            out.append(_escape_md(text))
        elif text.strip():
            lead, core, trail = _split_space(text)
            out.append(f"{lead}{'~~' if op == 'delete' else '**'}{_escape_md(core)}{'~~' if op == 'delete' else '**'}{trail}")
        else:
            out.append(text if op == "insert" else "")
    return "".join(out)


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return lead, core, trail


def _escape_md(text: str) -> str:
    return re.sub(r"([\\`*_~\[\]<>|#])", r"\\\1", text)
