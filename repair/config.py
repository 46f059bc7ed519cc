"""Settings for a run, in one small record, read from arguments and the environment.

Environment variables (all optional):
- MTREPAIR_LANGUAGETOOL_URL: use this running LanguageTool server instead of starting one.
- MTREPAIR_LANGUAGETOOL_HOME: the folder with LanguageTool's jars (default: where `mtrepair setup` puts them,
  <cache>/languagetool/<version>).
- MTREPAIR_CACHE: the machine-wide cache of set-up components, Prefect's state and the ONNX export
  (default: $XDG_CACHE_HOME/mtrepair, i.e. ~/.cache/mtrepair).
- MTREPAIR_MODEL: a sentence-transformers model name or folder (default: the bundled all-MiniLM-L6-v2).
- MTREPAIR_DEVICE: 'cpu', 'cuda', ... (default: the model library's choice).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

DEFAULT_MODEL = "all-MiniLM-L6-v2"


def cache_root() -> Path:
    """The machine-wide cache that `mtrepair setup` fills: MTREPAIR_CACHE, else $XDG_CACHE_HOME/mtrepair."""
    base = os.environ.get("MTREPAIR_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "mtrepair"
    )
    return Path(base)
FALLBACK_MIN_CONFIDENCE = 0.5


def default_min_confidence(profile: str = "mt") -> float:
    """The threshold chosen on dev data for a calibration profile (the default profile: 'mt')."""
    from repair.decide.calibration import load_calibration

    return load_calibration(profile).min_confidence or FALLBACK_MIN_CONFIDENCE


@dataclass(frozen=True)
class Settings:
    """Everything that changes what a run proposes; written to run.json."""

    language: str = "en-US"
    languagetool_url: str | None = None
    languagetool_home: str | None = None
    model: str = DEFAULT_MODEL
    device: str | None = None
    batch_size: int = 16
    """Sentences per model call: 16 encoded 296 sentences/s on 2 CPU cores, 64 256/s (less padding)."""
    top_k: int = 3
    min_alignment: float = 0.45
    """Below this cosine similarity a target sentence counts as unsupported by the references."""
    min_confidence: float = None  # type: ignore[assignment]  # always a float after __post_init__
    """Proposals at or above this confidence are applied in repaired.txt (default: the profile's, chosen on dev data)."""
    profile: str = "mt"
    """Calibration profile: 'mt' (machine translation, the default) or 'learner' (human text with typos)."""
    grammar_threads: int = 4
    disabled_rules: tuple[str, ...] = field(default_factory=tuple)
    """LanguageTool rule ids never reported (sent with every request)."""
    disabled_proposers: tuple[str, ...] = field(default_factory=tuple)
    """Proposers (by their registered name, see `repair.proposers.registry`) that do not run."""

    def __post_init__(self) -> None:
        if self.min_confidence is None:  # one rule for every command: the profile's threshold
            object.__setattr__(self, "min_confidence", default_min_confidence(self.profile))

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        values = {
            "languagetool_url": env.get("MTREPAIR_LANGUAGETOOL_URL") or None,
            "languagetool_home": env.get("MTREPAIR_LANGUAGETOOL_HOME") or None,
            "model": env.get("MTREPAIR_MODEL") or DEFAULT_MODEL,
            "device": env.get("MTREPAIR_DEVICE") or None,
        }
        return cls(**{**values, **{k: v for k, v in overrides.items() if v is not None}})

    def to_dict(self) -> dict:
        return asdict(self)
