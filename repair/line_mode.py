"""Line mode: one sentence a line in, one corrected line out (a pipeline filter).

An adapter over the article pipeline (`pipeline.Repairer`): the lines become
one document whose paragraphs are the lines, each line one sentence, the
pipeline's stages run on it (cleanup -> grammar -> embed -> check references
-> align -> propose), and the proposals are mapped back to lines; what reaches
the confidence threshold is applied. LanguageTool requests (the lines planner,
`grammar_batch`) and embeddings are batched over all lines. References are
checked as in a run: an identical or off-event reference guides nothing. Pre-tokenised
input (``Hello , world .``) is detokenised for checking and every edit is mapped
back onto the tokens it touched (see `tokenized`), so the output keeps the
input's tokenisation. Without references only cleanup and grammar apply.

This module needs no Prefect: it is a plain function a pipeline can call.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from repair.alignment.align import Embedder
from repair.decide.apply import resolve_overlaps
from repair.decide.calibration import Calibration
from repair.text.clean import clean_line
from repair.config import Settings
from repair.engines.grammar import GrammarChecker, vocabulary
from repair.engines.grammar_batch import check_texts
from repair.pipeline import Repairer
from repair.records import CleanupEdit, Document, GrammarMatch, Proposal, Sentence, StageTimer
from repair.alignment.reference_type import ReferenceType
from repair.alignment.references import ReferenceCheck
from repair.text.tokenized import Detokenized, TextEdit, TokenStyle, apply_edits_to_tokens, detokenize, looks_tokenized


@dataclass
class LineResult:
    """Corrected lines, and what was proposed for each line.

    `texts[i]` is the text the proposals of line i point into (the cleaned or
    detokenised line); `lines[i]` is the output line in the input's form.
    """

    lines: list[str]
    texts: list[str]
    proposals: list[list[Proposal]]
    applied: list[list[Proposal]]
    tokenized: bool
    reference_type: ReferenceType | None = None
    skipped: list[int] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list, repr=False)
    detokenized: list[Detokenized | None] = field(default_factory=list, repr=False)
    style: TokenStyle = TokenStyle()
    reference_checks: list[ReferenceCheck] = field(default_factory=list)
    """How each reference relates to the lines; one that is not `usable` guided nothing."""

    def render(self, line: int, chosen: Sequence[Proposal]) -> str:
        """Line `line` in the input's form with `chosen` (non-overlapping) edits applied."""
        return render_line(self.inputs[line], self.texts[line], self.detokenized[line], chosen, self.style, self.tokenized)


def render_line(
    source: str, text: str, detok: Detokenized | None, chosen: Sequence[Proposal], style: TokenStyle, tokenized: bool
) -> str:
    """Apply edits made on `text` and give the line back in the input's form."""
    if tokenized:
        if not chosen:
            return source
        return apply_edits_to_tokens(detok, [TextEdit(p.start, p.end, p.replacement) for p in chosen], style)
    for p in sorted(chosen, key=lambda p: p.start, reverse=True):
        text = text[: p.start] + p.replacement + text[p.end :]
    return text


def lines_document(texts: Sequence[str], name: str = "lines") -> Document:
    """One document whose paragraphs (and sentences) are the given lines."""
    text = "\n".join(texts)
    sentences = []
    offset = 0
    for number, line in enumerate(texts):
        if line.strip():
            sentences.append(Sentence(len(sentences), offset, offset + len(line), line, number))
        offset += len(line) + 1
    return Document(name=name, path=name, source=text, text=text, sentences=tuple(sentences))


def correct_lines(
    lines: Sequence[str],
    references: Sequence[Document] = (),
    checker: GrammarChecker | None = None,
    embedder: Embedder | None = None,
    settings: Settings | None = None,
    tokenized: bool | None = None,
    calibration: Calibration | None = None,
    min_confidence: float | None = None,
) -> LineResult:
    """Correct every line; `tokenized=None` detects pre-tokenised input.

    `checker=None` skips grammar (cleanup and reference edits only); an
    `embedder` is needed only when there are references. The threshold is
    `min_confidence` when given, else the one fitted with an explicitly given
    `calibration`, else `settings.min_confidence` (the profile's by default),
    as in `mtrepair run`.
    """
    settings = settings or Settings()
    repairer = Repairer(settings, embedder=embedder, checker=checker)
    if min_confidence is not None:
        threshold = min_confidence
    elif calibration is not None and calibration.min_confidence is not None:
        threshold = calibration.min_confidence  # fitted together with that calibration
    else:
        threshold = settings.min_confidence
    timer = StageTimer()
    clock = time.perf_counter()
    lines = [line.rstrip("\r\n").replace("\n", " ") for line in lines]
    is_tokenized = looks_tokenized(lines) if tokenized is None else tokenized
    style = TokenStyle.of(lines) if is_tokenized else TokenStyle()

    detok: list[Detokenized | None] = [None] * len(lines)
    texts: list[str] = []
    cleanup: list[CleanupEdit] = []
    offset = 0
    for i, line in enumerate(lines):
        if is_tokenized:
            detok[i] = detokenize(line)
            text = detok[i].text
        else:
            text, edits = clean_line(line)
            cleanup += [replace(e, start=e.start + offset, end=e.end + offset) for e in edits]
        texts.append(text)
        offset += len(text) + 1
    target = lines_document(texts)
    timer.add("prepare", time.perf_counter() - clock)

    grammar: list[GrammarMatch] = []
    skipped: list[int] = []
    if checker is not None:
        clock = time.perf_counter()
        result = check_texts(checker, texts, vocabulary(d.text for d in references))
        starts = _line_starts(texts)
        for i, found in enumerate(result.matches):
            sentence = _sentence_of_line(target, i)
            grammar += [
                replace(m, start=m.start + starts[i], end=m.end + starts[i], sentence_index=sentence)
                for m in found
            ]
        skipped = result.skipped
        timer.add("grammar", time.perf_counter() - clock)

    alignments = []
    checks: list[ReferenceCheck] = []
    used: list[Document] = []
    if references:
        if embedder is None:
            raise ValueError("an embedder is needed to align lines with references")
        with timer.stage("align"):
            n = len(target.sentences)  # one model call for the lines and every reference
            vectors = repairer.embed([s.text for s in target.sentences] + [s.text for d in references for s in d.sentences])
            ref_vectors = []
            for d in references:
                ref_vectors.append(vectors[n : n + len(d.sentences)])
                n += len(d.sentences)
            target_vectors = vectors[: len(target.sentences)]
            checks, usable = repairer.check_references(target, target_vectors, references, ref_vectors)
            alignments = repairer.align(target, target_vectors, usable) if usable else []
            used = [doc for doc, _ in usable]

    clock = time.perf_counter()
    proposals, reference_type = repairer.propose(target, cleanup, grammar, alignments, used, calibration=calibration)
    proposals = [p for p in proposals if "\n" not in p.replacement and "\n" not in p.original]
    per_line = _split_per_line(texts, proposals)
    applied = [resolve_overlaps(p for p in found if p.is_edit and p.confidence >= threshold)[0] for found in per_line]
    out = [render_line(lines[i], texts[i], detok[i], applied[i], style, is_tokenized) for i in range(len(lines))]
    timer.add("propose+apply", time.perf_counter() - clock)
    return LineResult(out, texts, per_line, applied, is_tokenized, reference_type, skipped, timer.seconds, lines, detok,
                      style, checks)


def _line_starts(texts: Sequence[str]) -> list[int]:
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 1
    return starts


def _sentence_of_line(document: Document, line: int) -> int | None:
    for sentence in document.sentences:
        if sentence.paragraph == line:
            return sentence.index
    return None


def _split_per_line(texts: Sequence[str], proposals: Sequence[Proposal]) -> list[list[Proposal]]:
    """Proposals grouped by line, offsets made relative to the line."""
    starts = _line_starts(texts)
    per_line: list[list[Proposal]] = [[] for _ in texts]
    for p in proposals:
        line = _line_of(starts, p.start)
        per_line[line].append(replace(p, start=p.start - starts[line], end=p.end - starts[line]))
    return per_line


def _line_of(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
