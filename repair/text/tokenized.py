"""Pre-tokenised lines (``Hello , world .``): check them as plain text, answer in kind.

Corpora such as JFLEG and MLQE-PE separate every token by a space. LanguageTool
would flag each such space, and the references a line is scored against are
tokenised the same way, so a line is *detokenised* for checking (spaces before
punctuation and clitics removed, ````/''`` shown as curly quotes) and every edit
is mapped back onto the tokens it touched: only those tokens are re-tokenised,
so untouched tokens come back byte for byte.

Libraries such as sacremoses detokenise, but none reports where each token went,
which is what mapping edits back needs; the rules here only ever join tokens, so
they are short and testable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CLOSING = frozenset(". , ; : ! ? % ) ] } ... … '' ” ’ -RRB-".split())
OPENING = frozenset("( [ { $ `` “ ‘ -LRB-".split())
_CLITIC = re.compile(r"^(?:'(?:s|t|m|d|ll|re|ve)|n't)$", re.IGNORECASE)
_SHOWN = {"``": "“", "''": "”", "-LRB-": "(", "-RRB-": ")"}
_PUNCTUATION_RUN = re.compile(r"^[.,;:!?]+$")


@dataclass(frozen=True)
class TokenStyle:
    """How a corpus writes the tokens that detokenising changes."""

    ptb_clitics: bool = True
    """``do n't`` (Penn Treebank) rather than ``don 't`` (Moses)."""
    ptb_quotes: bool = False
    """Double quotes written as ```` and '' rather than a straight ``"``."""

    @classmethod
    def of(cls, lines: Iterable[str]) -> TokenStyle:
        """The style most lines of a corpus use."""
        ptb = moses = backticks = straight = 0
        for line in lines:
            ptb += line.count(" n't")
            moses += line.count("n 't")
            backticks += line.count("``") + line.count("''")
            straight += line.count('"')
        return cls(ptb_clitics=ptb >= moses, ptb_quotes=backticks > straight)


@dataclass(frozen=True)
class Detokenized:
    """A tokenised line shown as plain text, with the span of each token in it."""

    tokens: tuple[str, ...]
    text: str
    spans: tuple[tuple[int, int], ...]


def looks_tokenized(lines: Sequence[str], min_share: float = 0.3) -> bool:
    """True when at least `min_share` of the lines with punctuation have it space-separated."""
    with_punct = spaced = 0
    for line in lines:
        if re.search(r"[A-Za-z0-9][.,;:!?]", line) or re.search(r" [.,;:!?](?: |$)", line):
            with_punct += 1
            spaced += bool(re.search(r"\w [.,;:!?](?: |$)", line))
    return with_punct > 0 and spaced / with_punct >= min_share


def detokenize(line: str) -> Detokenized:
    """Join the space-separated tokens of `line` the way running text writes them."""
    tokens = tuple(line.split())
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    straight_open = False
    for i, token in enumerate(tokens):
        shown = _SHOWN.get(token, token)
        glue = i == 0 or _joins(tokens[i - 1], token, straight_open)
        if token == '"':
            straight_open = not straight_open
        if not glue:
            pieces.append(" ")
            length += 1
        pieces.append(shown)
        spans.append((length, length + len(shown)))
        length += len(shown)
    return Detokenized(tokens, "".join(pieces), tuple(spans))


def _joins(previous: str, token: str, straight_open: bool) -> bool:
    """No space between `previous` and `token` in running text."""
    if previous in OPENING or (previous == '"' and straight_open):
        return True
    if token in CLOSING or _PUNCTUATION_RUN.match(token) or _CLITIC.match(token):
        return True
    return token == '"' and straight_open  # a straight quote that closes


_LEADING = "([{“‘\"`$"
_TRAILING = ".,;:!?)]}%”’\"'…"
_PTB_CLITIC = re.compile(r"^(.+?)(n't|'s|'m|'d|'ll|'re|'ve)$", re.IGNORECASE)
_MOSES_CLITIC = re.compile(r"^(.+?)('t|'s|'m|'d|'ll|'re|'ve)$", re.IGNORECASE)


def tokenize_text(text: str, style: TokenStyle = TokenStyle()) -> list[str]:
    """Tokens of running text in the corpus's style (for the words an edit put in).

    Periods inside abbreviations and numbers (``U.S.``, ``3.5``) stay in the word.
    """
    tokens: list[str] = []
    for word in text.replace("’", "'").split():
        tokens.extend(_split_word(word, style))
    return [_quote(t, style) for t in tokens]


def _split_word(word: str, style: TokenStyle) -> list[str]:
    lead: list[str] = []
    trail: list[str] = []
    while word and word[0] in _LEADING and len(word) > 1:
        take = 2 if word.startswith("``") else 1
        lead.append(word[:take])
        word = word[take:]
    while word and not re.fullmatch(r"(?:[A-Za-z]\.){2,}|\d+(?:[.,]\d+)*", word):
        if word.endswith("...") and len(word) > 3:
            trail.insert(0, "...")
            word = word[:-3]
        elif word.endswith("''") and len(word) > 2:
            trail.insert(0, "''")
            word = word[:-2]
        elif word[-1] in _TRAILING and len(word) > 1 and not _is_clitic_quote(word):
            trail.insert(0, word[-1])
            word = word[:-1]
        else:
            break
    clitic = (_PTB_CLITIC if style.ptb_clitics else _MOSES_CLITIC).match(word)
    core = [clitic.group(1), clitic.group(2)] if clitic else [word]
    return [t for t in [*lead, *core, *trail] if t]


def _is_clitic_quote(word: str) -> bool:
    return word.endswith("'") and word.lower().endswith(("s'", "n'"))  # the players' : keep


def _quote(token: str, style: TokenStyle) -> str:
    if token in ("“", "”", '"', "``", "''"):
        return ("``" if token in ("“", "``") else "''") if style.ptb_quotes else '"'
    return token


@dataclass(frozen=True)
class TextEdit:
    """Replace `text[start:end]` of a detokenised line by `replacement`."""

    start: int
    end: int
    replacement: str


def apply_edits_to_tokens(line: Detokenized, edits: Sequence[TextEdit], style: TokenStyle = TokenStyle()) -> str:
    """The tokenised line after `edits` (made on `line.text`), untouched tokens unchanged.

    Each edit is widened to the tokens it touches; edits touching the same
    tokens are applied together and only that window is re-tokenised.
    """
    if not edits:
        return " ".join(line.tokens)
    groups: list[tuple[int, int, list[TextEdit]]] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        first, last = _touched(line, edit)
        if groups and first <= groups[-1][1]:
            a, b, members = groups[-1]
            groups[-1] = (a, max(b, last), [*members, edit])
        else:
            groups.append((first, last, [edit]))
    tokens: list[str] = []
    cursor = 0
    for first, last, members in groups:
        tokens.extend(line.tokens[cursor:first])
        window_start, window_end = line.spans[first][0], line.spans[last][1]
        window = line.text[window_start:window_end]
        for edit in sorted(members, key=lambda e: e.start, reverse=True):
            a = max(edit.start, window_start) - window_start
            b = min(edit.end, window_end) - window_start
            window = window[:a] + edit.replacement + window[b:]
        tokens.extend(tokenize_text(window, style))
        cursor = last + 1
    tokens.extend(line.tokens[cursor:])
    return " ".join(tokens)


def _touched(line: Detokenized, edit: TextEdit) -> tuple[int, int]:
    """First and last token index an edit touches (an insertion: the token before it)."""
    inside = [i for i, (a, b) in enumerate(line.spans) if a < edit.end and edit.start < b]
    if edit.start == edit.end or not inside:
        before = [i for i, (a, b) in enumerate(line.spans) if a <= edit.start]
        i = before[-1] if before else 0
        inside = [i] + [j for j in inside if j != i]
    return min(inside), max(inside)
