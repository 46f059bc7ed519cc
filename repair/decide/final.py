"""Write the article as decided: `final.txt` and its audit `changes.md`.

One entry point for the CLI (`mtrepair apply`) and the Prefect review flow: read
the run folder, check the decisions against it (refused whole if they do not
fit), apply them, and write both files atomically, so the run folder never holds
a final.txt without its audit or one from half the decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from repair.decide.audit import render_changes
from repair.decide.decisions import DecisionSet, Outcome, ReviewRun, apply_decisions
from repair.reporting.outputs import write_atomic


@dataclass(frozen=True)
class Final:
    """What finishing a run wrote, and how each proposal fared."""

    final_txt: Path
    changes_md: Path
    outcome: Outcome


def finish(run: ReviewRun, decisions: DecisionSet) -> Final:
    """Apply `decisions` to `run` and write final.txt and changes.md into its folder."""
    outcome = apply_decisions(run, decisions)
    audit = render_changes(run, decisions, outcome)
    changes_md = write_atomic(run.folder / "changes.md", audit)
    final_txt = write_atomic(run.folder / "final.txt", outcome.text)
    return Final(final_txt, changes_md, outcome)
