"""Check the cleaned article with LanguageTool, through `language-tool-python`.

One checker, two request planners: an article goes one request per paragraph
(fewer round trips than per sentence, and LanguageTool sees the context;
`request_spans` here), the lines of a corpus are packed many to a request
(`grammar_batch`). Either way the requests go out in parallel through
`GrammarChecker.send`, a request that still fails is reported, never dropped
silently, and matches become `GrammarMatch`es in one place (`to_grammar_match`).
For an article, offsets are mapped back to the whole
article. A paragraph longer than `MAX_REQUEST_CHARS` (a page without line
breaks) is sent in pieces cut between sentences, so no request comes near the
server's maximum text length and no request holds an enormous "sentence". Spelling alarms on names and terms that
the reference articles use are dropped: the references are the better dictionary for
those (`known_spelling`). If the server stops answering, the checker asks its owner to
restart it and tries again; pieces that still fail are reported as skipped
sentences, never silently.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import language_tool_python
import requests
from language_tool_python.exceptions import LanguageToolError

from wordfreq import zipf_frequency

from repair.decide.calibration import KNOWN_WORD_ZIPF
from repair.errors import SetupError
from repair.records import Document, GrammarMatch
from repair.text.segment import paragraphs

log = logging.getLogger(__name__)

MAX_REQUEST_CHARS = 3_000
"""Longest text sent in one request, unless one sentence is longer (the server
accepts up to 200,000 characters; see languagetool.py). LanguageTool's time
grows faster than the length of a sentence: one 10,000-word sentence without
punctuation, cut by the segmenter into 2,000-character pieces, took 34-90 s as
20,000-character requests and 9 s as one request per piece, on this 2-core
machine. A request never mixes two cut pieces (2 x 2,000 > 3,000)."""

WARM_UP_TEXT = (
    "This sentence are checked once , so that the the server loads it's rules before the first real request. "
    "Their going to recieve it tomorow."
)
"""A short text with common errors: LanguageTool's first check in a new JVM loads the
language's rules, tagger and dictionaries (about 4 s for the seed article against 0.25 s
once warm)."""

_WORD = re.compile(r"\w+(?:[’'.-]\w+)*", re.UNICODE)


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Every word of `texts`, casefolded: the words spelling checks should accept."""
    return frozenset(word.casefold() for text in texts for word in _WORD.findall(text))


@dataclass
class GrammarResult:
    """The findings of one check, and the sentences that could not be checked."""

    matches: list[GrammarMatch]
    skipped_sentences: list[int] = field(default_factory=list)
    requests: int = 0
    recoveries: int = 0
    """How many times the server stopped answering and its owner was asked to bring it back."""


class GrammarChecker:
    """A client of one LanguageTool server, for one language."""

    def __init__(
        self,
        url: str,
        language: str = "en-US",
        threads: int = 4,
        recover: Callable[[], None] | None = None,
        attempts: int = 3,
        disabled_rules: Iterable[str] = (),
    ) -> None:
        self.url = url
        self.language = language
        self.threads = threads
        self.recover = recover
        self.attempts = attempts
        self.disabled_rules = frozenset(disabled_rules)
        """LanguageTool rule ids sent as `disabledRules` with every request."""
        self.recoveries = 0
        self._client = self._connect()

    def _connect(self) -> language_tool_python.LanguageTool:
        try:
            client = language_tool_python.LanguageTool(self.language, remote_server=self.url)
        except (LanguageToolError, requests.RequestException, ValueError) as exc:
            raise SetupError(f"LanguageTool at {self.url} is not usable: {exc}") from None
        client.disabled_rules = set(self.disabled_rules)
        return client

    def check_text(self, text: str) -> list[language_tool_python.Match]:
        """Raw LanguageTool matches for one piece of text, recovering the server if needed."""
        for attempt in range(1, self.attempts + 1):
            try:
                return self._client.check(text)
            except (LanguageToolError, requests.RequestException) as exc:
                if attempt == self.attempts:
                    raise
                log.warning("LanguageTool request failed (%s); attempt %d of %d", exc, attempt, self.attempts)
                self._recover()
        return []

    def _recover(self) -> None:
        """Ask the server's owner to bring it back; a failed restart only costs this attempt."""
        if self.recover is None:
            return
        self.recoveries += 1
        try:
            self.recover()
        except Exception as exc:  # the next attempt fails and the piece is reported as skipped
            log.warning("LanguageTool could not be restarted: %s", exc)

    def send(self, texts: Sequence[str], labels: Sequence[str]) -> list[list[language_tool_python.Match] | None]:
        """Check each text as one request, in parallel; None for a request that failed
        after every attempt (logged with its label, e.g. 'a paragraph')."""

        def one(i: int) -> list[language_tool_python.Match] | None:
            try:
                return self.check_text(texts[i])
            except (LanguageToolError, requests.RequestException) as exc:
                log.warning("grammar check skipped for %s: %s", labels[i], exc)
                return None

        with ThreadPoolExecutor(max_workers=max(1, self.threads)) as pool:
            return list(pool.map(one, range(len(texts))))

    def check(self, document: Document, known_words: frozenset[str] = frozenset()) -> GrammarResult:
        """Check every paragraph of `document`; spans point into `document.text`."""
        spans = request_spans(document)
        recoveries_before = self.recoveries
        found_per_span = self.send([document.text[start:end] for start, end in spans], ["a paragraph"] * len(spans))

        matches: list[GrammarMatch] = []
        skipped: list[int] = []
        for (start, end), found in zip(spans, found_per_span):
            if found is None:
                skipped.extend(s.index for s in document.sentences if start <= s.start < end)
                continue
            for match in found:
                converted = _convert(match, start, document)
                if converted is not None and not known_spelling(converted, document.text, known_words):
                    matches.append(converted)
        matches.sort(key=lambda m: (m.start, m.end))
        return GrammarResult(
            matches=matches,
            skipped_sentences=sorted(set(skipped)),
            requests=len(spans),
            recoveries=self.recoveries - recoveries_before,
        )

    def warm_up(self) -> None:
        """Check a short text so that a new server loads its rules now, not in the first real check."""
        self.check_text(WARM_UP_TEXT)

    def close(self) -> None:
        self._client.close()


def request_spans(document: Document, limit: int | None = None) -> list[tuple[int, int]]:
    """The (start, end) pieces of `document.text` sent one per request: whole
    paragraphs, except that a paragraph over `limit` is cut between sentences."""
    limit = limit or MAX_REQUEST_CHARS
    spans = []
    for start, end in paragraphs(document.text):
        if end - start <= limit:
            spans.append((start, end))
            continue
        inside = [s for s in document.sentences if start <= s.start < end]
        piece_start = start
        for sentence in inside:
            if sentence.end - piece_start > limit and sentence.start > piece_start:
                spans.append((piece_start, _trim_end(document.text, piece_start, sentence.start)))
                piece_start = sentence.start
        spans.append((piece_start, end))
    return spans


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _convert(match: language_tool_python.Match, base: int, document: Document) -> GrammarMatch | None:
    start = base + match.offset
    end = start + match.error_length
    if not (0 <= start < end <= len(document.text)):
        return None
    sentence = document.sentence_at(start)
    return to_grammar_match(match, start, sentence.index if sentence else None)


def to_grammar_match(match: language_tool_python.Match, start: int, sentence_index: int | None) -> GrammarMatch:
    """A LanguageTool match as a `GrammarMatch` starting at `start` (at most five suggestions)."""
    return GrammarMatch(
        rule_id=match.rule_id,
        message=match.message,
        category=match.category,
        issue_type=match.rule_issue_type,
        start=start,
        end=start + match.error_length,
        replacements=tuple(match.replacements[:5]),
        sentence_index=sentence_index,
    )


def known_spelling(match: GrammarMatch, text: str, known_words: frozenset[str]) -> bool:
    """A spelling alarm on a name or term that the references use, which is dropped: the
    references are the better dictionary for names. Only names and terms, though: every
    flagged word must be used by a reference *and* look like a name or term, i.e. be no
    common English word (wordfreq) or be capitalised away from a sentence start. A common
    word ("Their is", "there") is checked as usual even when a reference happens to use it."""
    if match.issue_type != "misspelling" or not known_words:
        return False
    words = list(_WORD.finditer(text[match.start : match.end]))
    return bool(words) and all(
        word.group(0).casefold() in known_words and _name_or_term(word.group(0), text, match.start + word.start())
        for word in words
    )


def _name_or_term(word: str, text: str, start: int) -> bool:
    if zipf_frequency(word, "en") < KNOWN_WORD_ZIPF:
        return True
    return word[:1].isupper() and not _sentence_start(text, start)


def _sentence_start(text: str, start: int) -> bool:
    """Whether only spaces, quotes or brackets stand between `start` and the text's or a line's
    start or the end of the previous sentence."""
    before = text[:start].rstrip(" \t\"'“”‘’«»([")
    return not before or before[-1] in ".!?:\n"
