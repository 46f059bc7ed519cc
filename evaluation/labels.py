"""Did an edit help? Apply it alone and see whether the line moved toward the gold.

An edit *helped* when the line with only that edit is closer (word edit
distance) to the closest human correction than the line without it, *hurt*
when it is further, and is *neutral* otherwise. Calibration counts these on dev
data; the evaluation reports them per proposal kind on test data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from repair.line_mode import LineResult
from repair.records import Proposal

from .metrics import distance


@dataclass(frozen=True)
class Labelled:
    line: int
    proposal: Proposal
    delta: int
    """Distance after minus before: negative helped, positive hurt."""

    @property
    def outcome(self) -> str:
        return "helped" if self.delta < 0 else "hurt" if self.delta > 0 else "neutral"


def label_edits(
    result: LineResult, golds: Sequence[Sequence[str]], which: str = "all", case_sensitive: bool = False
) -> list[Labelled]:
    """Label every edit proposal (`which="all"`) or only those applied (`"applied"`)."""
    labelled = []
    for i, gold in enumerate(golds):
        edits = result.applied[i] if which == "applied" else [p for p in result.proposals[i] if p.is_edit]
        if not edits:
            continue
        before = distance(result.inputs[i], gold, case_sensitive)
        for p in edits:
            after = distance(result.render(i, [p]), gold, case_sensitive)
            labelled.append(Labelled(i, p, after - before))
    return labelled


def precision_by(labelled: Iterable[Labelled], key=lambda l: l.proposal.kind) -> dict[str, dict]:
    """helped / hurt / neutral counts and precision = helped / (helped + hurt), per key."""
    counts: dict[str, Counter] = {}
    for item in labelled:
        counts.setdefault(key(item), Counter())[item.outcome] += 1
    table = {}
    for name, c in sorted(counts.items(), key=lambda kv: -sum(kv[1].values())):
        decided = c["helped"] + c["hurt"]
        table[name] = {
            "edits": sum(c.values()),
            "helped": c["helped"],
            "hurt": c["hurt"],
            "neutral": c["neutral"],
            "precision": round(c["helped"] / decided, 3) if decided else None,
        }
    return table


def sub_kind(item: Labelled) -> str:
    """grammar:spelling / grammar:other / reference:<rule> / cleanup."""
    p = item.proposal
    rule = p.evidence.rule_id or p.kind
    if p.kind == "grammar":
        return "grammar:spelling" if "MORFOLOGIK" in rule or "SPELL" in rule else "grammar:rules"
    return rule.removesuffix("@translation") if rule.startswith("reference:") else p.kind
