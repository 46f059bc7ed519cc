"""What the out-of-place word flags cost a process: memory and time per sentence.

    python -m bench.word_flags_cost [--data data]

Measured in one fresh process, in this order: resident memory before, after
loading the language model and opening WordNet, and after flagging; the time
to load; the time per sentence to flag (cold: every word seen for the first
time, its synonyms looked up; warm: the same sentences again, lemminflect's and
the synonym cache's answers reused) and to score sentences for sentences.json.
Sentences: the seed article's and the first WMT21 system output lines (real MT).
The numbers go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import psutil


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def sentences(data: Path, limit: int) -> list[str]:
    from repair.text.articles import prepare_article

    out = [s.text for s in prepare_article("seeds/000_ab55c3e2a6d3611c.txt").document.sentences]
    for path in sorted((data / "wmt21-ru-en" / "system-outputs").iterdir()):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and len(out) < limit:
                out.append(line.strip())
        if len(out) >= limit:
            break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--sentences", type=int, default=500)
    args = parser.parse_args()
    import lemminflect  # noqa: F401  (a run with references imports it already: not counted here)

    from repair.proposers.lexicon import lemmas

    lemmas("warm")
    texts = sentences(args.data, args.sentences)
    before = rss_mb()
    started = time.perf_counter()
    from repair.engines.language_model import get_language_model
    from repair.engines.wordnet import get_wordnet

    model, wordnet = get_language_model(), get_wordnet()
    load_s = time.perf_counter() - started
    loaded = rss_mb()
    from repair.proposers.out_of_place import sentence_flags
    from repair.proposers.tokens import tokenize

    timings = {}
    flags = 0
    for label in ("cold", "warm"):
        started = time.perf_counter()
        found = [sentence_flags(t, 0, model, wordnet) for t in texts]
        timings[label] = (time.perf_counter() - started) / len(texts) * 1000
        flags = sum(len(f) for f in found)
    started = time.perf_counter()
    for t in texts:
        model.score_words([tok.text for tok in tokenize(t) if tok.is_word])
    score_ms = (time.perf_counter() - started) / len(texts) * 1000
    result = {
        "sentences": len(texts),
        "flags": flags,
        "rss_mb": {"before": round(before, 1), "loaded": round(loaded, 1), "after_flagging": round(rss_mb(), 1)},
        "added_mb": round(rss_mb() - before, 1),
        "load_s": round(load_s, 3),
        "ms_per_sentence": {"flags_cold": round(timings["cold"], 2), "flags_warm": round(timings["warm"], 2),
                            "lm_score": round(score_ms, 3)},
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
