"""The run record: what `run.json` holds, as one typed record.

Every run folder ends with `run.json`, written last; this module is the only
place that defines its fields, writes it and reads it back (`RunRecord.read`).
Field order is the order of the keys in the file. The nested parts stay plain
JSON objects; their keys are listed here:

- `target`: name, path, source_sha256 (of the file's decoded text),
  cleaned_sha256 (of `cleaned.txt`, the text every span points into);
- `references`: one object per reference: name, path, sentences, supported,
  target_sentences, matched, reference_sentences, identical, used (see
  `references.ReferenceCheck`);
- `reference_type`: kind ('translation' or 'comparable') and mean_similarity,
  or null without a usable reference;
- `settings`: `config.Settings` as a dict; `versions`: component -> version;
- `timings` / `startup`: seconds per stage / per slow start in this process;
- `grammar`: matches, skipped_sentences, recoveries;
- `summary`: proposals, by_kind, sentences, sentences_touched, words, need
  (proposals and flags waiting for the editor per 100 words, `repair.review.need`),
  applied and, with references, coverage {supported, sentences};
- `sha256`: file name -> SHA-256 of every other file of the run folder.

`files` (where each file was written) and `review` (the editor's decisions,
after `--review`) are returned to the caller but are not part of `run.json`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path

RUN_FILE = "run.json"


@dataclass
class RunRecord:
    """One finished (or finishing) run, as `run.json` describes it."""

    schema_version: int
    run_id: str
    created: str
    """UTC time the report stage began, ISO 8601 to the second."""
    target: dict
    references: list[dict]
    reference_type: dict | None
    settings: dict
    versions: dict[str, str]
    timings: dict[str, float]
    startup: dict[str, float]
    grammar: dict
    notes: list[str]
    out_dir: str
    summary: dict = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict, metadata={"in_file": False})
    review: dict | None = field(default=None, metadata={"in_file": False})

    def to_dict(self) -> dict:
        """The content of run.json (without `files` and `review`)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.metadata.get("in_file", True)}

    @classmethod
    def from_dict(cls, data: dict) -> RunRecord:
        """A record from run.json's object; unknown keys are ignored, missing ones raise KeyError."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def read(cls, folder: str | Path) -> RunRecord:
        """The record of the run folder `folder` (raises OSError, ValueError or KeyError when unreadable)."""
        return cls.from_dict(json.loads((Path(folder) / RUN_FILE).read_text(encoding="utf-8")))
