"""Render a run for people: one self-contained HTML page and a Markdown file.

The report is built from a plain view model (`report_model`), so the HTML and
Markdown show the same facts; Jinja2 autoescaping means article and reference
text reaches the page only as text. Markdown lets raw HTML and links through to
whoever renders it, so every value written into report.md is escaped too
(`markdown_escape`): `<` and `>` become entities and `[` is backslash-escaped,
so article text can open neither a tag nor a link.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from jinja2 import Environment, PackageLoader, select_autoescape

from repair.decide.apply import apply_edits
from repair.decide.diff import markdown_diff, word_diff
from repair.records import PROPOSAL_KINDS, Alignment, Document, Proposal
from repair.reporting.review_page import page_parts, review_data

_ENV = Environment(
    loader=PackageLoader("repair", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


class _MarkdownText(str):
    """Markdown that escapes its own text already (the diffs): not escaped twice."""


_ENV.filters["md_diff"] = lambda pair: _MarkdownText(markdown_diff(*pair))
_MD_SPECIAL = re.compile(r"[<>\[]|&(?=#?\w+;)")
_MD_REPLACE = {"<": "&lt;", ">": "&gt;", "[": "\\[", "&": "&amp;"}


def markdown_escape(value: object) -> object:
    """Text that a Markdown renderer shows as text: no tags, no links, no entities."""
    if not isinstance(value, str) or isinstance(value, _MarkdownText):
        return value
    return _MD_SPECIAL.sub(lambda m: _MD_REPLACE[m.group(0)[0]], value)


_MD_ENV = Environment(
    loader=PackageLoader("repair", "templates"),
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
    finalize=markdown_escape,
)
_MD_ENV.filters["md_diff"] = _ENV.filters["md_diff"]


def summarize(document: Document, proposals: Sequence[Proposal]) -> dict:
    """Counts a person (and run.json) wants first: proposals by kind, sentences touched,
    words and the editor's `need` (see `repair.review.need`)."""
    from repair.review.need import need, word_count

    by_kind = Counter(p.kind for p in proposals)
    touched = {p.sentence_index for p in proposals if p.sentence_index is not None and p.kind != "cleanup"}
    counts = {kind: by_kind.get(kind, 0) for kind in PROPOSAL_KINDS}
    words = word_count(document.text)
    return {
        "proposals": len(proposals),
        "by_kind": counts,
        "sentences": len(document.sentences),
        "sentences_touched": len(touched),
        "words": words,
        "need": need(counts, words),
    }


def report_model(
    run: dict,
    target: Document,
    proposals: Sequence[Proposal],
    alignments: Sequence[Alignment],
    min_confidence: float,
) -> dict:
    """Everything the templates show, as plain data."""
    by_sentence: dict[int, list[Proposal]] = {}
    for proposal in proposals:
        if proposal.kind != "cleanup" and proposal.sentence_index is not None:
            by_sentence.setdefault(proposal.sentence_index, []).append(proposal)
    alignment_of = {a.sentence_index: a for a in alignments}
    sentences = []
    for sentence in target.sentences:
        mine = by_sentence.get(sentence.index, [])
        local = [_shift(p, -sentence.start) for p in mine if p.confidence >= min_confidence and p.end <= sentence.end]
        preview = apply_edits(sentence.text, local).text if local else sentence.text
        alignment = alignment_of.get(sentence.index)
        sentences.append(
            {
                "index": sentence.index,
                "paragraph": sentence.paragraph,
                "text": sentence.text,
                "preview": preview,
                "diff": word_diff(sentence.text, preview),
                "changed": preview != sentence.text,
                "best": alignment.best if alignment else None,
                "supported": alignment.supported if alignment else None,
                "references": list(alignment.candidates) if alignment else [],
                "proposals": [_proposal_view(p, min_confidence) for p in mine],
            }
        )
    cleanup = [_proposal_view(p, min_confidence) for p in proposals if p.kind == "cleanup"]
    return {
        **run,
        "sentences": sentences,
        "cleanup": cleanup,
        "min_confidence": min_confidence,
        "review": review_data(run, target, proposals, min_confidence),
    }


def _shift(p: Proposal, delta: int) -> Proposal:
    from dataclasses import replace

    return replace(p, start=p.start + delta, end=p.end + delta)


def _proposal_view(p: Proposal, min_confidence: float) -> dict:
    return {
        **p.to_dict(),
        "diff": word_diff(p.original, p.replacement),
        "pair": (p.original, p.replacement),
        "default": p.is_edit and p.confidence >= min_confidence,
    }


def render_html(model: dict) -> str:
    """The review page: the report, plus the inline script that makes it interactive."""
    return _ENV.get_template("report.html.j2").render(**model, **page_parts(model["review"]))


def render_markdown(model: dict) -> str:
    return _MD_ENV.get_template("report.md.j2").render(**model)
