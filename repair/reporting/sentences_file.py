"""sentences.json: every sentence of the cleaned article with its language-model score and word flags.

One entry per sentence of `cleaned.txt`: `index`, `start`, `end` (character
offsets into `cleaned.txt`), `lm_score` (the mean log10 probability per word
under the pocketsphinx trigram model, `repair.engines.language_model`: higher
reads more fluently; null when the model knows none of its words) and `flags`,
the out-of-place words in it (`repair.proposers.out_of_place`): `start`, `end`
(offsets into `cleaned.txt`), `word`, `alternatives` (best first), `gain` (log10,
of the best alternative) and the `proposal` id that carries it in
`proposals.json`. The file names its run like `proposals.json` does
(`schema_version`, `run_id`, `text_sha256` of `cleaned.txt`).
"""

from __future__ import annotations

from collections.abc import Sequence

from repair.engines.language_model import LanguageModel, get_language_model
from repair.proposers.out_of_place import KIND
from repair.proposers.tokens import tokenize
from repair.records import Document, Proposal


def sentence_entries(document: Document, proposals: Sequence[Proposal],
                     model: LanguageModel | None = None) -> list[dict]:
    """One entry per sentence: offsets, language-model score, word flags (from the `word` proposals)."""
    model = model if model is not None else get_language_model()
    flags: dict[int | None, list[dict]] = {}
    for p in proposals:
        if p.kind == KIND and p.evidence.alternatives:
            flags.setdefault(p.sentence_index, []).append({
                "start": p.start, "end": p.end, "word": p.original,
                "alternatives": [word for word, _ in p.evidence.alternatives],
                "gain": p.evidence.alternatives[0][1], "proposal": p.id,
            })
    entries = []
    for s in document.sentences:
        words = [t.text for t in tokenize(s.text) if t.is_word]
        entries.append({"index": s.index, "start": s.start, "end": s.end,
                        "lm_score": model.score_words(words).mean, "flags": flags.get(s.index, [])})
    return entries


def sentences_document(schema_version: int, run_id: str, text_sha256: str, document: Document,
                       proposals: Sequence[Proposal]) -> dict:
    """The content of sentences.json."""
    return {"schema_version": schema_version, "run_id": run_id, "text_sha256": text_sha256,
            "sentences": sentence_entries(document, proposals)}
