"""Word flags on comparable-dev: how often an out-of-place word flag is right, leaving one event out.

    python -m evaluation.word_flags --data ../shared/data [--from-dump outputs/eval/comparable.pkl]

For each event, every candidate flag is found at a low margin (the rule of
`repair.proposers.out_of_place`, with the event's references and the spans its
other proposals cover, as in a run). A flag counts only in an awkward sentence
paired with an original sentence at cosine similarity >= `CLOSE` (a close
rewording, `comparable_data.monotonic_pairs`); it is *right* when the flagged
word's lemmas are all missing from that original sentence. The margin for each
event is chosen on the other events only: the smallest margin whose pooled
precision there is >= `TARGET` (with at least `MIN_FLAGS` flags); the event is
then scored at that margin. Reported: flags per article, precision, recall of
swapped words (eligible words of close pairs missing from the original), how
often the first alternative is the original's word, and the blind base rate
(the share of eligible words missing from the original: what flagging a word
picked blindly would score). `make eval` runs this beside the comparable
section, on the same pipeline runs.
"""

from __future__ import annotations

import argparse
import json
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from repair.engines.language_model import get_language_model
from repair.engines.wordnet import get_wordnet, location
from repair.proposers.lexicon import lemmas
from repair.proposers.out_of_place import KIND, MARGIN, document_flags, is_candidate_word, quoted_spans, reference_lemmas
from repair.proposers.tokens import tokenize

from .comparable_data import Case, available, folder, load_cases

CLOSE = 0.75
"""Least pair similarity for a sentence pair to count: reworded sentences of one article score 0.75-0.98."""
TARGET = 0.85
MIN_FLAGS = 20
LOW = 0.5
MARGINS = tuple(x / 4 for x in range(2, 25))  # 0.5 .. 6.0


@dataclass(frozen=True)
class Candidate:
    slug: str
    gain: float
    right: bool
    first_right: bool
    any_right: bool


@dataclass(frozen=True)
class EventWords:
    slug: str
    articles: int
    eligible: int
    swapped: int
    candidates: tuple[Candidate, ...]


def gold_lemmas(text: str) -> frozenset[str]:
    found: set[str] = set()
    for token in tokenize(text):
        if token.is_word:
            found |= lemmas(token.text)
    return frozenset(found)


def event_words(case: Case, run) -> EventWords:
    """One event's candidate flags (at margin `LOW`) and eligible words, labelled against the original."""
    document = case.awkward.document
    refs = [r.document for r in case.references]
    covered = [(p.start, p.end) for p in run.proposals if p.kind not in (KIND, "cleanup")]
    flags = document_flags(document, refs, covered, margin=LOW)
    skip = reference_lemmas(refs)
    model = get_language_model()
    eligible = swapped = 0
    candidates = []
    for pair in run.pairs:
        if pair.similarity < CLOSE:
            continue
        sentence = document.sentences[pair.target]
        gold = gold_lemmas(run.gold[pair.gold])
        blocked = [*quoted_spans(sentence.text, sentence.start), *covered]
        for token in tokenize(sentence.text, sentence.start):
            if (not token.is_word or not is_candidate_word(token) or lemmas(token.text) & skip
                    or not model.knows(token.text) or any(s < token.end and token.start < e for s, e in blocked)):
                continue
            eligible += 1
            swapped += not (lemmas(token.text) & gold)
        for flag in flags.get(pair.target, []):
            first = flag.alternatives[0][0]
            candidates.append(Candidate(case.slug, flag.gain, not (lemmas(flag.word) & gold), bool(lemmas(first) & gold),
                                        any(lemmas(a) & gold for a, _ in flag.alternatives)))
    return EventWords(case.slug, 1, eligible, swapped, tuple(candidates))


def pooled(events: Sequence[EventWords], margin: float) -> dict:
    flags = [c for e in events for c in e.candidates if c.gain >= margin]
    right = sum(c.right for c in flags)
    swapped = sum(e.swapped for e in events)
    eligible = sum(e.eligible for e in events)
    return {
        "margin": margin,
        "flags": len(flags),
        "right": right,
        "precision": round(right / len(flags), 3) if flags else None,
        "recall": round(right / swapped, 3) if swapped else None,
        "first_alternative_is_original": round(sum(c.first_right for c in flags if c.right) / right, 3) if right else None,
        "an_alternative_is_original": round(sum(c.any_right for c in flags if c.right) / right, 3) if right else None,
        "flags_per_article": round(len(flags) / len(events), 2) if events else None,
        "base_rate": round(swapped / eligible, 3) if eligible else None,
        "eligible": eligible,
        "swapped": swapped,
    }


def choose_margin(events: Sequence[EventWords]) -> float:
    """The smallest margin with pooled precision >= TARGET on `events` (and MIN_FLAGS flags); the
    largest tried when none reaches it."""
    for margin in MARGINS:
        row = pooled(events, margin)
        if row["flags"] >= MIN_FLAGS and row["precision"] is not None and row["precision"] >= TARGET:
            return margin
    return MARGINS[-1]


def measure(events: Sequence[EventWords]) -> dict:
    """Leave one event out: each event at the margin chosen on the others; pooled totals."""
    rows, chosen = [], {}
    for event in events:
        others = [e for e in events if e.slug != event.slug]
        margin = choose_margin(others)
        chosen[event.slug] = margin
        rows.append({"event": event.slug, **pooled([event], margin)})
    flags = sum(r["flags"] for r in rows)
    right = sum(r["right"] for r in rows)
    swapped = sum(r["swapped"] for r in rows)
    eligible = sum(r["eligible"] for r in rows)
    first = sum(c.first_right for e in events for c in e.candidates if c.right and c.gain >= chosen[e.slug])
    any_ = sum(c.any_right for e in events for c in e.candidates if c.right and c.gain >= chosen[e.slug])
    return {
        "close_pair_similarity": CLOSE,
        "target_precision": TARGET,
        "shipped_margin": MARGIN,
        "margin_on_all_events": choose_margin(events),
        "margins_chosen": sorted(set(chosen.values())),
        "leave_one_event_out": {
            "events": len(events),
            "flags": flags,
            "flags_per_article": round(flags / len(events), 2) if events else None,
            "precision": round(right / flags, 3) if flags else None,
            "recall": round(right / swapped, 3) if swapped else None,
            "first_alternative_is_original": round(first / right, 3) if right else None,
            "an_alternative_is_original": round(any_ / right, 3) if right else None,
            "base_rate": round(swapped / eligible, 3) if eligible else None,
        },
        "by_margin": [pooled(events, m) for m in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0)],
        "rows": rows,
    }


def run_events(cases: Sequence[Case], runs: Sequence) -> list[EventWords]:
    by_slug = {r.slug: r for r in runs}
    return [event_words(case, by_slug[case.slug]) for case in cases if case.slug in by_slug]


def section(data: Path, runs: Sequence) -> dict | None:
    """The word-flags section from the comparable section's pipeline runs (None without the set or WordNet)."""
    if not available(data):
        return None
    if get_wordnet() is None:
        print(f"word flags: skipped: {location().problem}", flush=True)
        return {"skipped": location().problem}
    return measure(run_events(load_cases(data), runs))


def markdown(result: dict | None) -> str:
    if result is None:
        return "## word flags\n\nSkipped: the comparable-dev set is absent from DATA.\n"
    if "skipped" in result:
        return f"## word flags\n\nSkipped: {result['skipped']}\n"
    loo = result["leave_one_event_out"]
    out = ["## word flags: out-of-place words on comparable-dev (leave one event out)", "",
           f"A flag is right when the flagged word is missing from the original sentence it was reworded from "
           f"(close pairs only: similarity >= {result['close_pair_similarity']}). Each event at the margin chosen "
           f"on the others for precision >= {result['target_precision']} (chosen: "
           f"{', '.join(str(m) for m in result['margins_chosen'])}; on all events: {result['margin_on_all_events']}; "
           f"shipped: {result['shipped_margin']}). Recall: of the eligible words missing from the original. "
           "Base rate: the precision of flagging an eligible word blindly.", "",
           "| setting | flags | flags per article | precision | recall of swapped words | first alternative = original's word "
           "| an alternative = original's word | blind base rate |",
           "|---|---|---|---|---|---|---|---|",
           f"| leave one event out | {loo['flags']} | {_fmt(loo['flags_per_article'])} | {_fmt(loo['precision'])} | "
           f"{_fmt(loo['recall'])} | {_fmt(loo['first_alternative_is_original'])} | "
           f"{_fmt(loo['an_alternative_is_original'])} | {_fmt(loo['base_rate'])} |"]
    for row in result["by_margin"]:
        out.append(f"| margin {row['margin']} (all events) | {row['flags']} | {_fmt(row['flags_per_article'])} | "
                   f"{_fmt(row['precision'])} | {_fmt(row['recall'])} | {_fmt(row['first_alternative_is_original'])} | "
                   f"{_fmt(row['an_alternative_is_original'])} | {_fmt(row['base_rate'])} |")
    return "\n".join(out) + "\n"


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) and value < 1 else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("outputs/eval"))
    parser.add_argument("--from-dump", type=Path, help="the comparable section's runs (python -m evaluation.comparable --dump)")
    args = parser.parse_args()
    if not available(args.data):
        raise SystemExit(f"word flags: error: no comparable-dev set in {folder(args.data)} (pass --data)")
    if args.from_dump:
        runs = pickle.loads(args.from_dump.read_bytes())
    else:
        from repair.decide.calibration import load_calibration

        from . import comparable
        from .components import components

        with components() as parts:
            runs = comparable.collect(args.data, parts, load_calibration("mt"))
    result = section(args.data, runs)
    args.out.mkdir(parents=True, exist_ok=True)
    text = markdown(result)
    (args.out / "word_flags.md").write_text(text, encoding="utf-8")
    (args.out / "word_flags.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    from evaluation import comparable  # noqa: F401  (the dump's classes, so --from-dump reads back)

    main()
