"""Clean an article: boilerplate, duplicate passages, quotes and spacing.

Every change is returned as a `CleanupEdit`, computed against the same source
text and never overlapping, so the reviewer sees each one and every edit can be
mapped between the source and the cleaned article. Headlines and subheadings are
kept: only lines that are known site furniture are dropped.
"""

from __future__ import annotations

import re
from dataclasses import replace

from repair.records import CleanupEdit

BOILERPLATE_LINES = [
    r"back to top( button)?",
    r"strong points:?",
    r"(share|share this|share on|share via)( (article|story|post))?:?( (facebook|twitter|x|whatsapp|telegram|email|linkedin)[ ,|]*)*",
    r"(facebook|twitter|whatsapp|telegram|linkedin|email|print)([ ,|/]+(facebook|twitter|whatsapp|telegram|linkedin|email|print))+",
    r"(subscribe|sign up)( (now|today|to our newsletter|for our newsletter|to our channel))?[.!]?",
    r"follow us( on [\w ,]+)?[.!]?",
    r"(read more|read also|also read|see also|related( articles| stories| posts| news)?|recommended( for you)?)[:.]?",
    r"advertisement|sponsored( content)?|\[?ad\]?",
    r"click here.*",
    r"(all rights reserved|copyright ©?).*",
    r"(loading|loading\.\.\.|please wait)\.*",
    r"tags?:.*",
    r"comments?( \(\d+\))?:?",
    r"(previous|next) (article|post|story).*",
]
_BOILERPLATE = re.compile(r"^\s*(?:" + "|".join(BOILERPLATE_LINES) + r")\s*$", re.IGNORECASE)

_MIN_DUPLICATE_WORDS = 6


def clean_text(source: str) -> tuple[str, list[CleanupEdit]]:
    """Return the cleaned article and the edits that turned `source` into it."""
    edits: list[CleanupEdit] = []
    seen_lines: set[str] = set()
    pending_blanks: list[tuple[int, int]] = []  # blank lines kept since the last text line
    offset = 0
    for line in source.splitlines(keepends=True):
        start, end = offset, offset + len(line)
        offset = end
        body = line.rstrip("\n")
        key = " ".join(body.split()).casefold()
        if not key:
            if not seen_lines or pending_blanks:  # leading, or a second blank in a row
                edits.append(_edit(source, start, end, "", "blank-line", "extra blank line removed"))
            else:
                pending_blanks.append((start, end))
            continue
        if _BOILERPLATE.match(body):
            edits.append(_edit(source, start, end, "", "boilerplate", "site boilerplate line removed"))
            continue
        if len(key.split()) >= _MIN_DUPLICATE_WORDS and key in seen_lines:
            edits.append(
                _edit(source, start, end, "", "duplicate", "passage repeats an earlier one word for word")
            )
            continue
        seen_lines.add(key)
        pending_blanks = []
        edits.extend(_line_edits(source, start, start + len(body)))
    for start, end in pending_blanks:  # blank lines after the last text line
        edits.append(_edit(source, start, end, "", "blank-line", "blank line at the end removed"))
    edits.sort(key=lambda e: e.source_start)
    return _apply(source, edits)


def _edit(source: str, start: int, end: int, replacement: str, rule: str, reason: str) -> CleanupEdit:
    return CleanupEdit(start, end, source[start:end], replacement, rule, reason)


_QUOTE_EDITS = [
    # but“ Legion ”is -> but “Legion” is: a space inside a quote that a word touches outside moves out
    (re.compile(r"(?<=\w)“[ \t]+(?=\S)"), lambda m: " “", "quote-spacing", "space moved before the opening quote"),
    (re.compile(r"(?<=\S)[ \t]+”(?=\w)"), lambda m: "” ", "quote-spacing", "space moved after the closing quote"),
    # “ murder ” -> “murder”: no space just inside curly quotes
    (re.compile(r"“[ \t]+(?=\S)"), lambda m: "“", "quote-spacing", "space after opening quote removed"),
    (re.compile(r"(?<=\S)[ \t]+”"), lambda m: "”", "quote-spacing", "space before closing quote removed"),
    # soon “. -> soon”. : an opening quote used to close a quotation
    (
        re.compile(r"(?<=[^\s“])[ \t]*“(?=[ \t]*(?:[.,;:!?)]|$))"),
        lambda m: "”",
        "quote-direction",
        "opening quote used as a closing quote",
    ),
    (re.compile(r"(?<=\w)[ \t]+(?=[,.;:!?](?:\s|$|[”\"’]))"), lambda m: "", "punctuation-spacing", "space before punctuation removed"),
    (re.compile(r"(?<=\S)[ \t]{2,}(?=\S)"), lambda m: " ", "space", "repeated spaces collapsed"),
    (re.compile(r"^[ \t]+"), lambda m: "", "space", "leading spaces removed"),
    (re.compile(r"[ \t]+$"), lambda m: "", "space", "trailing spaces removed"),
]


def _line_edits(source: str, start: int, end: int) -> list[CleanupEdit]:
    """Character-level edits inside one kept line, non-overlapping, first rule wins."""
    line = source[start:end]
    found: list[CleanupEdit] = []
    taken: list[tuple[int, int]] = []
    for pattern, make, rule, reason in _QUOTE_EDITS:
        for match in pattern.finditer(line):
            a, b = match.span()
            if a == b or any(a < y and x < b for x, y in taken):
                continue
            replacement = make(match)
            if replacement == match.group(0):
                continue
            taken.append((a, b))
            found.append(_edit(source, start + a, start + b, replacement, rule, reason))
    found.extend(_straight_quote_edits(source, start, line, taken))
    return found


def _straight_quote_edits(source: str, start: int, line: str, taken: list[tuple[int, int]]) -> list[CleanupEdit]:
    """Pair straight double quotes on a line and remove spaces just inside each pair."""
    positions = [i for i, ch in enumerate(line) if ch == '"']
    if len(positions) % 2:
        return []
    found = []
    for opening, closing in zip(positions[::2], positions[1::2]):
        inner = line[opening + 1 : closing]
        lead = len(inner) - len(inner.lstrip(" \t"))
        trail = len(inner) - len(inner.rstrip(" \t"))
        if not inner.strip():
            continue
        # a word touching the quote outside keeps a space: it moves out (said, "- he"said -> said, "- he" said)
        word_before = opening > 0 and line[opening - 1].isalnum()
        word_after = closing + 1 < len(line) and line[closing + 1].isalnum()
        spans = (
            (opening, opening + 1 + lead, ' "') if word_before else (opening + 1, opening + 1 + lead, ""),
            (closing - trail, closing + 1, '" ') if word_after else (closing - trail, closing, ""),
        )
        for a, b, replacement in spans:
            if b - a > len(replacement.strip()) and not any(a < y and x < b for x, y in taken):
                taken.append((a, b))
                found.append(_edit(source, start + a, start + b, replacement, "quote-spacing", "space inside quotes removed"))
    return found


def _apply(source: str, edits: list[CleanupEdit]) -> tuple[str, list[CleanupEdit]]:
    out: list[str] = []
    placed: list[CleanupEdit] = []
    cursor = 0
    length = 0
    for edit in edits:
        if edit.source_start < cursor:  # overlapping edit: the earlier one stands
            continue
        kept = source[cursor : edit.source_start]
        out.append(kept)
        length += len(kept)
        out.append(edit.replacement)
        placed.append(replace(edit, start=length, end=length + len(edit.replacement)))
        length += len(edit.replacement)
        cursor = edit.source_end
    out.append(source[cursor:])
    return "".join(out), placed


def clean_line(line: str) -> tuple[str, list[CleanupEdit]]:
    """Clean one line of a sentence-per-line file: spacing and quote rules only.

    Boilerplate and duplicate removal are for articles; in a corpus a repeated
    or short line is data, and every input line must give one output line.
    """
    line = line.replace("\n", " ")
    return _apply(line, sorted(_line_edits(line, 0, len(line)), key=lambda e: e.source_start))
