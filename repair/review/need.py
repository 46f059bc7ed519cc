"""How much work a run leaves for its editor: the `need` number in run.json's summary.

need = 100 × (grammar + reference proposals + flags + out-of-place words) / words of the
cleaned article, rounded to two decimals.

Every grammar or reference proposal is one decision an editor makes, every flag a
sentence or span to read and perhaps rewrite; cleanup edits are already applied
and ask nothing. The count is taken per 100 words so that the number says how
badly an article reads, not how long it is: a desk sorted by it puts the worst
translations first, and a long clean article does not push a short garbled one
down the list. An article with nothing to decide has need 0. docs/review.md shows
how it orders the seed pair and WMT21 drops of a strong and a weak MT system.
"""

from __future__ import annotations

from collections.abc import Mapping

NEED_KINDS = ("grammar", "reference", "flag", "word")
"""The proposal kinds that wait for an editor (cleanup edits do not)."""


def word_count(text: str) -> int:
    """Words of an article, as whitespace-separated tokens."""
    return len(text.split())


def need(by_kind: Mapping[str, int], words: int) -> float:
    """Proposals and flags waiting for the editor per 100 words (0 for an empty text)."""
    waiting = sum(int(by_kind.get(kind, 0)) for kind in NEED_KINDS)
    return round(100.0 * waiting / words, 2) if words > 0 else 0.0


def need_of_summary(summary: Mapping) -> float | None:
    """`need` of a run.json summary: the stored number, or computed for runs written before it existed."""
    if isinstance(summary.get("need"), (int, float)):
        return float(summary["need"])
    if isinstance(summary.get("words"), int) and isinstance(summary.get("by_kind"), Mapping):
        return need(summary["by_kind"], summary["words"])
    return None
