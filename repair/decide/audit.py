"""`changes.md`: the audit of what an editor accepted, rejected or edited.

It lists every reviewable proposal once, under what became of it (applied,
overridden by an overlapping change, accepted as it is, rejected, not decided),
with the change as a Markdown diff and the proposal's reason, so a reader can
check the final article against the decisions without opening JSON.
"""

from __future__ import annotations

from datetime import datetime, timezone

from jinja2 import Environment, PackageLoader

from repair.decide.decisions import DecisionSet, Outcome, ReviewRun
from repair.decide.diff import markdown_diff
from repair.records import Proposal


def _one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", " ⏎ ")


def _head(p: Proposal) -> str:
    where = f", sentence {p.sentence_index + 1}" if p.sentence_index is not None else ""
    return f"`{p.id}` {p.kind} ({p.confidence:.2f}{where})"


def _md_text(text: str) -> str:
    return _one_line(markdown_diff(text, text))


def _rewrite_source(rewrite) -> str:
    """Where a sentence rewrite came from: the reference sentence it started from, or the editor alone."""
    ref = rewrite.reference
    if ref is None:
        return "the editor's own wording"
    similarity = "" if ref.similarity is None else f" (similarity {ref.similarity:.2f})"
    return f"started from {_md_text(ref.document)} #{ref.sentence_index + 1}{similarity}: {_md_text(ref.text)}"


_ENV = Environment(loader=PackageLoader("repair", "templates"), autoescape=False, trim_blocks=True, lstrip_blocks=True)
_ENV.filters["md_diff"] = lambda pair: _one_line(markdown_diff(*pair))
_ENV.filters["md_text"] = lambda text: _one_line(markdown_diff(text, text))
_ENV.filters["head"] = _head
_ENV.filters["rewrite_source"] = _rewrite_source


def render_changes(run: ReviewRun, decisions: DecisionSet, outcome: Outcome, written: str | None = None) -> str:
    """The Markdown audit of `outcome` (the result of applying `decisions` to `run`)."""
    written = written or datetime.now(timezone.utc).isoformat(timespec="seconds")
    return _ENV.get_template("changes.md.j2").render(
        run=run, decisions=decisions, outcome=outcome, counts=outcome.counts(), written=written
    )
