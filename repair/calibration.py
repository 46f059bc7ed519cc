"""Turn each proposer's heuristic confidence into a measured one.

On dev data (JFLEG dev, MLQE-PE dev, WMT21 dev systems) every proposal was
applied alone and counted as *helped* (the line moved closer to the human
correction) or *hurt* (further away); `evaluation/calibrate.py` writes those
counts to `repair/data/calibration.json`. Here a proposal's confidence becomes
the smoothed share of helped among helped + hurt, walking from the general key
to the specific one (kind -> rule -> rule with features), each level shrunk
toward the level above with `prior_strength` pseudo-counts. With no counts the
heuristic stands; with many the data decides. So a confidence of 0.5 means
"helps as often as it hurts", and the default threshold is chosen on dev data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from wordfreq import zipf_frequency

from .records import Proposal

DEFAULT_PATH = "calibration.json"
KNOWN_WORD_ZIPF = 3.0
"""A word at least this frequent (wordfreq's Zipf scale, ~1 per million words) is a real English word."""


@dataclass(frozen=True)
class Calibration:
    """Helped/hurt counts per key, and the threshold chosen on dev data."""

    counts: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    prior_strength: float = 4.0
    min_confidence: float | None = None
    source: str = "none"

    def confidence(self, proposal: Proposal) -> float:
        """The calibrated confidence of one proposal."""
        estimate = proposal.confidence
        for key in proposal_keys(proposal):
            helped, hurt = self.counts.get(key, (0, 0))
            estimate = (helped + self.prior_strength * estimate) / (helped + hurt + self.prior_strength)
        return round(min(max(estimate, 0.0), 1.0), 3)

    def apply(self, proposals: Iterable[Proposal]) -> list[Proposal]:
        """Proposals with calibrated confidence (flags and applied cleanup unchanged)."""
        return [replace(p, confidence=self.confidence(p)) if p.is_edit else p for p in proposals]

    def to_dict(self) -> dict:
        return {
            "prior_strength": self.prior_strength,
            "min_confidence": self.min_confidence,
            "counts": {k: list(v) for k, v in sorted(self.counts.items())},
        }


def proposal_keys(proposal: Proposal) -> list[str]:
    """Calibration keys from general to specific: kind, rule, rule|features."""
    rule = proposal.evidence.rule_id or proposal.kind
    return [proposal.kind, rule, f"{rule}|{features(proposal)}"]


def features(proposal: Proposal) -> str:
    """A small bucket of what distinguishes good from bad edits of one rule."""
    original, replacement = proposal.original, proposal.replacement
    if original.casefold() == replacement.casefold():
        shape = "case"
    elif not any(ch.isalnum() for ch in original + replacement):
        shape = "punct"
    elif not original.strip() or not replacement.strip():
        shape = "insdel"
    elif len(original.split()) == 1 and len(replacement.split()) == 1:
        shape = "word"
    else:
        shape = "phrase"
    cap = int(original[:1].isupper())
    known = int(_known(original))
    parts = [shape, f"cap{cap}", f"known{known}"]
    if proposal.kind == "reference" and proposal.evidence.similarity is not None:
        parts.append("sim" + ("hi" if proposal.evidence.similarity >= 0.8 else "mid" if proposal.evidence.similarity >= 0.6 else "lo"))
    return ",".join(parts)


@lru_cache(maxsize=65536)
def _known(words: str) -> bool:
    tokens = [w for w in words.split() if any(ch.isalpha() for ch in w)]
    return bool(tokens) and all(zipf_frequency(w, "en") >= KNOWN_WORD_ZIPF for w in tokens)


def calibration_from_dict(data: Mapping, source: str = "dict") -> Calibration:
    return Calibration(
        counts={k: (int(v[0]), int(v[1])) for k, v in data.get("counts", {}).items()},
        prior_strength=float(data.get("prior_strength", 4.0)),
        min_confidence=data.get("min_confidence"),
        source=source,
    )


def load_calibration(path: str | Path | None = None) -> Calibration:
    """The calibration shipped in repair/data (or the file given); none if absent."""
    if path is not None:
        return calibration_from_dict(json.loads(Path(path).read_text(encoding="utf-8")), str(path))
    return _packaged()


@lru_cache(maxsize=1)
def _packaged() -> Calibration:
    try:
        text = resources.files("repair").joinpath("data", DEFAULT_PATH).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return Calibration()
    return calibration_from_dict(json.loads(text), f"repair/data/{DEFAULT_PATH}")
