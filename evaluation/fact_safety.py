"""Measure fact safety: does any proposed edit change a number, date, weekday, month, currency or name?

Runs the real pipeline (LanguageTool, the model, make_proposals with its fact guard)
on the comparable-dev events (awkward article against the other outlets' articles)
and on WMT21 documents (a system's output against reference A), then checks every
remaining edit with `violations`, an oracle that does not use repair.decide.facts for
numbers, weekdays, months and currency signs. Prints counts only, never article text:

    python -m evaluation.fact_safety [--data ../shared/data] [--systems 1] [--documents 107]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path

from repair.records import Proposal

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_DAY_OR_MONTH = re.compile(
    r"\b(?:[Mm]onday|[Tt]uesday|[Ww]ednesday|[Tt]hursday|[Ff]riday|[Ss]aturday|[Ss]unday|January|February|March|April|"
    r"May|June|July|August|September|October|November|December)\b"
)
_CURRENCY_SIGN = re.compile(r"[$€£¥₽₴₹]")


_SMALL_NUMBERS = {w: str(n) for n, w in enumerate(
    "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty".split()) if w != "_"}  # "one" is a pronoun as often as a number
_SMALL_NUMBER = re.compile(r"\b(?:" + "|".join(_SMALL_NUMBERS) + r")\b", re.IGNORECASE)


def oracle_keys(text: str) -> Counter:
    """Digit strings (thousands commas dropped; 'eight' counts as 8), weekday and month names, currency signs."""
    text = _SMALL_NUMBER.sub(lambda m: _SMALL_NUMBERS[m.group(0).lower()], text)
    keys = Counter("n:" + m.group(0).replace(",", "") for m in _DIGITS.finditer(text))
    keys.update("d:" + m.group(0).casefold() for m in _DAY_OR_MONTH.finditer(text))
    keys.update("c:" + m.group(0) for m in _CURRENCY_SIGN.finditer(text))
    return keys


def violations(proposals: list[Proposal]) -> list[Proposal]:
    """Edits whose digits, weekday/month names or currency signs differ from those of the text they replace."""
    return [p for p in proposals if p.is_edit and oracle_keys(p.original) != oracle_keys(p.replacement)]


def tally(proposals: list[Proposal], counts: Counter) -> None:
    for p in proposals:
        counts["proposals"] += 1
        if p.is_edit:
            counts["edits"] += 1
            if p.evidence.note and "respelling of the same name" in p.evidence.note:
                counts["respellings labelled"] += 1
        rule = p.evidence.rule_id or ""
        if p.kind == "flag" and rule.startswith("fact:"):
            counts["edits turned into flags"] += 1
            for kind in rule[len("fact:"):].split("+"):
                counts[f"flags: {kind}"] += 1
    counts["oracle violations"] += len(violations(proposals))


def comparable_dev(data: Path, parts, counts: Counter) -> None:
    from repair.alignment.align import align
    from repair.text.articles import prepare_article
    from repair.decide.calibration import load_calibration
    from repair.engines.grammar import vocabulary
    from repair.decide.propose import make_proposals
    from repair.alignment.reference_type import classify_reference
    from repair.alignment.references import check_reference

    settings = parts.settings
    for event in sorted(p for p in (data / "comparable-dev").iterdir() if p.is_dir()):
        target = prepare_article(event / "awkward.txt")
        refs = [prepare_article(r).document for r in sorted(event.glob("reference*.txt"))]
        grammar = parts.checker.check(target.document, vocabulary(d.text for d in refs))
        vectors = parts.embedder.encode([s.text for s in target.document.sentences])
        usable = []
        for doc in refs:
            ref_vectors = parts.embedder.encode([s.text for s in doc.sentences])
            if check_reference(target.document, vectors, doc, ref_vectors, settings.min_alignment).usable:
                usable.append((doc, ref_vectors))
        alignments = align(target.document, vectors, usable, settings.top_k, settings.min_alignment)
        docs = [d for d, _ in usable]
        kind = classify_reference(alignments, len(target.document.sentences), sum(len(d.sentences) for d in docs)) if docs else None
        proposals = make_proposals(target.document, target.cleanup, grammar.matches, alignments, {d.name: d for d in docs},
                                   parts.embedder.encode_phrases, settings.min_alignment,
                                   calibration=load_calibration(settings.profile), reference_type=kind)
        counts["documents"] += 1
        tally(proposals, counts)


def wmt21(data: Path, parts, counts: Counter, systems: int, documents: int) -> None:
    from repair.line_mode import correct_lines

    from .wmt21 import load, reference_document

    full = load(data)
    chosen = full.weakest_systems[:systems]
    for system in chosen:
        lines = full.system_lines(system)
        for name, rows in full.documents[:documents]:
            result = correct_lines([lines[i] for i in rows], [reference_document(full, name, rows)], parts.checker,
                                   parts.embedder, parts.settings, tokenized=False)
            counts["documents"] += 1
            tally([p for line in result.proposals for p in line], counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--systems", type=int, default=1, help="WMT21: how many of the weakest systems")
    parser.add_argument("--documents", type=int, default=107, help="WMT21: how many documents per system")
    parser.add_argument("--skip", choices=["wmt21", "comparable-dev"], action="append", default=[])
    args = parser.parse_args()

    from .components import components

    results = {}
    with components() as parts:
        for name, run in (("comparable-dev", lambda c: comparable_dev(args.data, parts, c)),
                          ("wmt21", lambda c: wmt21(args.data, parts, c, args.systems, args.documents))):
            if name in args.skip:
                continue
            counts: Counter = Counter()
            started = time.perf_counter()
            run(counts)
            results[name] = {**dict(sorted(counts.items())), "seconds": round(time.perf_counter() - started, 1)}
            print(name, json.dumps(results[name]), flush=True)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
