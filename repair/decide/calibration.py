"""Turn each proposer's heuristic confidence into a measured one.

On dev data every edit proposal was applied alone and counted as *helped* (the
line moved closer to the human correction) or *hurt* (further away);
`evaluation/calibrate.py` writes those counts to `repair/data/calibration.json`,
one *profile* per kind of input, because the same rule can help one kind and
hurt another (LanguageTool's spelling fixes help learner English and mostly
hurt machine translation, where the "misspellings" are names and rare words):

- `mt` (the default): machine-translated text, from MLQE-PE dev and the
  middle-ranked WMT21 systems;
- `learner`: human-written text with typos, from JFLEG dev.

For a proposal, the share helped / (helped + hurt) is estimated walking from the
general key to the specific one (kind -> rule -> rule with features), each level
shrunk toward the level above with `prior_strength` pseudo-counts. The
heuristic confidence is then shifted on the log-odds scale so that the average
proposal of that key gets exactly that share: the heuristic still orders
proposals within a key, the data sets the level. With no counts the heuristic
stands. A confidence of 0.5 thus means "helps as often as it hurts", and each
profile stores the threshold that gained most on its dev data.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from repair.records import Proposal

DEFAULT_PATH = "calibration.json"
TRANSLATION = "@translation"
"""Suffix of the rule id of a reference edit made from a translation-type reference: those are
calibrated on WMT21; edits from comparable references have no dev data and keep their heuristic,
except the rules in `SAME_FROM_EITHER_REFERENCE`."""
SAME_FROM_EITHER_REFERENCE = frozenset({"reference:name"})
"""Reference rules whose evidence does not depend on the reference type, so an edit from a comparable
reference is calibrated on the translation-type counts of the same rule. A name's spelling is a
writer's convention, not the text's content: another outlet spells a transliterated name its own
way exactly as a second translator does, and on WMT21 dev a second translator's spelling moved the
line toward a third one's in only about two of three decided cases (78 helped, 38 hurt), neither
the number of reference sentences using the spelling nor the heuristic telling them apart. Without
this a comparable reference's name spelling kept its heuristic (up to 0.85) and was applied by
default; WMT21 test's only losses came from one such edit."""
DEFAULT_PROFILE = "mt"
PROFILES = ("mt", "learner")
KNOWN_WORD_ZIPF = 3.0
"""A word at least this frequent (wordfreq's Zipf scale, ~1 per million words) is a common English word."""


def logit(p: float) -> float:
    p = min(max(p, 0.01), 0.99)
    return math.log(p / (1 - p))


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


@dataclass(frozen=True)
class KeyCounts:
    """Dev outcomes of the proposals of one key."""

    helped: int
    hurt: int
    mean_logit: float
    """Mean log-odds of the heuristic confidence of those proposals."""

    @property
    def decided(self) -> int:
        return self.helped + self.hurt


@dataclass(frozen=True)
class Calibration:
    """Helped/hurt counts per key, and the threshold chosen on dev data."""

    counts: Mapping[str, KeyCounts] = field(default_factory=dict)
    prior_strength: float = 4.0
    min_confidence: float | None = None
    source: str = "none"
    profile: str = "none"
    slope: float = 1.0
    """How much of the heuristic's spread (in log-odds) survives within a key; fitted on dev data."""
    lm_feature: bool = False
    """Whether word-level edits carry the language model's second opinion (`lm+` / `lm-` in their
    features, `repair.decide.second_opinion`): true only for a calibration fitted with it."""

    def confidence(self, proposal: Proposal) -> float:
        """The calibrated confidence of one proposal."""
        precision: float | None = None
        chosen: KeyCounts | None = None
        for key in proposal_keys(proposal):
            found = self.counts.get(key)
            if found is None or found.decided == 0:
                continue
            prior = precision if precision is not None else sigmoid(found.mean_logit)
            precision = (found.helped + self.prior_strength * prior) / (found.decided + self.prior_strength)
            chosen = found
        if chosen is None:
            return proposal.confidence
        shifted = sigmoid(logit(precision) + self.slope * (logit(proposal.confidence) - chosen.mean_logit))
        return round(shifted, 3)

    def apply(self, proposals: Iterable[Proposal]) -> list[Proposal]:
        """Proposals with calibrated confidence (flags and applied cleanup unchanged)."""
        return [replace(p, confidence=self.confidence(p)) if p.is_edit else p for p in proposals]

    def to_dict(self) -> dict:
        return {
            "prior_strength": self.prior_strength,
            "slope": self.slope,
            "min_confidence": self.min_confidence,
            **({"lm_feature": True} if self.lm_feature else {}),
            "counts": {k: [v.helped, v.hurt, round(v.mean_logit, 4)] for k, v in sorted(self.counts.items())},
        }


def proposal_keys(proposal: Proposal) -> list[str]:
    """Calibration keys from general to specific: kind, rule, rule|features (a name edit from a
    comparable reference takes the keys of one from a translation: `SAME_FROM_EITHER_REFERENCE`)."""
    rule = proposal.evidence.rule_id or proposal.kind
    if rule in SAME_FROM_EITHER_REFERENCE:
        rule += TRANSLATION
    kind = proposal.kind + (TRANSLATION if rule.endswith(TRANSLATION) else "")
    return [kind, rule, f"{rule}|{features(proposal)}"]


def features(proposal: Proposal) -> str:
    """A small bucket of what tells good from bad edits of one rule: the edit's
    shape, capitalisation, how common the original word is, how far the edit goes,
    and (when computed) whether the language model reads the sentence better after it."""
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
    parts = [shape, f"cap{int(original[:1].isupper())}", _zipf_band(original)]
    if shape == "word":
        parts.append(_distance_band(original.casefold(), replacement.casefold()))
    if proposal.kind == "reference" and proposal.evidence.similarity is not None:
        similarity = proposal.evidence.similarity
        parts.append("sim" + ("hi" if similarity >= 0.8 else "mid" if similarity >= 0.6 else "lo"))
    if proposal.evidence.lm_gain is not None:  # the language model's second opinion (word-level edits)
        parts.append("lm+" if proposal.evidence.lm_gain > 0 else "lm-")
    return ",".join(parts)


@lru_cache(maxsize=65536)
def _zipf_band(words: str) -> str:
    tokens = [w for w in words.split() if any(ch.isalpha() for ch in w)]
    if not tokens:
        return "z-"
    from wordfreq import zipf_frequency  # imported when first needed: it costs ~0.3 s, and reading settings must not pay it

    zipf = min(zipf_frequency(w, "en") for w in tokens)
    return "z0" if zipf == 0 else "zlow" if zipf < KNOWN_WORD_ZIPF else "zhi"


def _distance_band(a: str, b: str) -> str:
    from difflib import SequenceMatcher

    changed = max(len(a), len(b)) - sum(block.size for block in SequenceMatcher(None, a, b).get_matching_blocks())
    return "d1" if changed <= 1 else "d2" if changed == 2 else "d3"


def calibration_from_dict(data: Mapping, source: str = "dict", profile: str = DEFAULT_PROFILE) -> Calibration:
    """One profile of a calibration file (a file without profiles is one profile)."""
    section = data.get("profiles", {}).get(profile, data) if "profiles" in data else data
    if "profiles" in data and profile not in data["profiles"]:
        raise ValueError(f"calibration has no profile '{profile}' (it has: {', '.join(data['profiles'])})")
    return Calibration(
        counts={k: KeyCounts(int(v[0]), int(v[1]), float(v[2])) for k, v in section.get("counts", {}).items()},
        prior_strength=float(section.get("prior_strength", 4.0)),
        slope=float(section.get("slope", 1.0)),
        min_confidence=section.get("min_confidence"),
        lm_feature=bool(section.get("lm_feature", False)),
        source=source,
        profile=profile,
    )


def load_calibration(profile: str = DEFAULT_PROFILE, path: str | Path | None = None) -> Calibration:
    """A profile of the calibration shipped in repair/data (or of the file given);
    an empty calibration (heuristics stand) if there is none."""
    if path is not None:
        return calibration_from_dict(json.loads(Path(path).read_text(encoding="utf-8")), str(path), profile)
    return _packaged(profile)


@lru_cache(maxsize=4)
def _packaged(profile: str) -> Calibration:
    try:
        text = resources.files("repair").joinpath("data", DEFAULT_PATH).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return Calibration(profile=profile)
    return calibration_from_dict(json.loads(text), f"repair/data/{DEFAULT_PATH}", profile)
