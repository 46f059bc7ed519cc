"""comparable-dev: repair from comparable references, measured on real awkward articles.

    python -m evaluation.comparable --data ../shared/data [--out outputs/eval]

Each event's awkward copy is repaired against its references with the article
pipeline (`repair.pipeline.Repairer`'s stages: cleanup, LanguageTool, alignment,
proposals, apply at the `mt` threshold), without Prefect. Scores are on aligned sentence pairs (awkward
sentence against the original sentence it was reworded from, see
`comparable_data`): corpus TER and chrF++ (sacrebleu) of the awkward and of the
repaired sentences, the precision of the applied edits per kind (each edit alone:
helped / hurt / neutral by word edit distance), and an *oracle reviewer* (every
edit proposal that helps on its own, accepted: what the proposals hold for a
careful editor).

Edits from comparable references are calibrated on this set, leave one event
out: each event's edits get the confidence counted on the other events only,
so nothing of an event leaks into its own measurement. The `heuristic` rows are
what the code did before that calibration (those edits kept their heuristic
confidence). `make eval` runs this section too; it says so plainly when the
set is absent.
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sacrebleu.metrics import CHRF, TER

from repair.decide.apply import resolve_overlaps
from repair.decide.calibration import TRANSLATION, Calibration, KeyCounts, load_calibration, logit, proposal_keys
from repair.pipeline import Repairer
from repair.records import Proposal, Sentence

from .comparable_data import Case, Pair, available, folder, load_cases, monotonic_pairs
from .labels import precision_by
from .metrics import distance

BENCHMARK = "comparable-dev"
CALIBRATION_FILE = Path(__file__).resolve().parent.parent / "repair" / "data" / "calibration.json"


@dataclass(frozen=True)
class CaseRun:
    """One event run through the pipeline: proposals (comparable-reference edits still at their
    heuristic confidence), the sentence pairs, and what the references were."""

    slug: str
    sentences: tuple[Sentence, ...]
    gold: tuple[str, ...]
    """The original's sentences."""
    pairs: tuple[Pair, ...]
    proposals: tuple[Proposal, ...]
    reference_type: str
    references_used: int
    original_sentences: int


@dataclass(frozen=True)
class Edit:
    """One edit proposal inside a paired sentence, labelled by applying it alone."""

    slug: str
    pair: Pair
    proposal: Proposal
    delta: int
    """Word edit distance to the original sentence, after minus before: negative helped."""

    @property
    def outcome(self) -> str:
        return "helped" if self.delta < 0 else "hurt" if self.delta > 0 else "neutral"


def is_comparable_edit(p: Proposal) -> bool:
    """A reference edit whose calibration keys are those of comparable references (not the
    translation-type keys, which WMT21 calibrates; name spellings use those too)."""
    return p.kind == "reference" and p.is_edit and not proposal_keys(p)[0].endswith(TRANSLATION)


def without_comparable(calibration: Calibration) -> Calibration:
    """The calibration with no counts for comparable-reference edits (they keep their heuristic)."""
    keep = {k: v for k, v in calibration.counts.items() if not is_comparable_key(k)}
    return replace(calibration, counts=keep)


# -- running the pipeline -----------------------------------------------------------------------


def run_case(case: Case, parts, calibration: Calibration) -> CaseRun:
    """The article pipeline on one event: `mtrepair run`'s stages (`repair.pipeline.Repairer`),
    without Prefect and without writing a run folder."""
    repairer = Repairer(parts.settings, embedder=parts.embedder, checker=parts.checker)
    document = case.awkward.document
    ref_docs = [r.document for r in case.references]
    grammar = repairer.check_grammar(case.awkward, ref_docs)
    target_vectors = repairer.embed([s.text for s in document.sentences])
    ref_vectors = [repairer.embed([s.text for s in d.sentences]) for d in ref_docs]
    _, usable = repairer.check_references(document, target_vectors, ref_docs, ref_vectors)
    alignments = repairer.align(document, target_vectors, usable)
    proposals, reference_type = repairer.propose(
        document, case.awkward.cleanup, grammar, alignments, [d for d, _ in usable], calibration=calibration)
    gold = tuple(s.text for s in case.original.sentences)
    similarity = target_vectors @ repairer.embed(list(gold)).T
    return CaseRun(
        case.slug, document.sentences, gold, tuple(monotonic_pairs(similarity)), tuple(proposals),
        reference_type.kind if reference_type else "none", len(usable), len(gold),
    )


# -- scoring ------------------------------------------------------------------------------------


def inside(p: Proposal, sentence: Sentence) -> bool:
    return sentence.start <= p.start and p.end <= sentence.end and p.is_edit


def render(sentence: Sentence, chosen: Sequence[Proposal]) -> str:
    text = sentence.text
    for p in sorted(chosen, key=lambda p: p.start, reverse=True):
        text = text[: p.start - sentence.start] + p.replacement + text[p.end - sentence.start :]
    return text


def label(run: CaseRun) -> list[Edit]:
    """Every edit proposal inside a paired sentence, applied alone."""
    edits = []
    for pair in run.pairs:
        sentence = run.sentences[pair.target]
        gold = [run.gold[pair.gold]]
        before = distance(sentence.text, gold)
        for p in run.proposals:
            if inside(p, sentence):
                edits.append(Edit(run.slug, pair, p, distance(render(sentence, [p]), gold) - before))
    return edits


def applied_edits(proposals: Sequence[Proposal], threshold: float) -> list[Proposal]:
    """What repaired.txt applies: edits at or above the threshold, overlaps resolved by confidence."""
    return resolve_overlaps(p for p in proposals if p.is_edit and p.confidence >= threshold)[0]


def oracle_edits(edits: Sequence[Edit]) -> list[Proposal]:
    """Every proposal that helps on its own, accepted (overlaps: the most helpful wins)."""
    helpful = {id(e.proposal): e.delta for e in edits if e.delta < 0}
    return resolve_overlaps((e.proposal for e in edits if e.delta < 0), rank=lambda p: (helpful[id(p)], p.start))[0]


def sentence_texts(run: CaseRun, chosen: Sequence[Proposal]) -> list[str]:
    out = []
    for pair in run.pairs:
        sentence = run.sentences[pair.target]
        out.append(render(sentence, [p for p in chosen if inside(p, sentence)]))
    return out


def ter(hyps: Sequence[str], refs: Sequence[str]) -> float:
    return TER().corpus_score(list(hyps), [list(refs)]).score


def chrf_pp(hyps: Sequence[str], refs: Sequence[str]) -> float:
    return CHRF(word_order=2).corpus_score(list(hyps), [list(refs)]).score


def score(run: CaseRun, proposals: Sequence[Proposal], threshold: float) -> dict:
    """One event's row: TER and chrF++ of awkward, repaired and oracle sentences against the original."""
    recalibrated = replace(run, proposals=tuple(proposals))
    edits = label(recalibrated)
    by_id = {id(e.proposal): e for e in edits}
    applied = applied_edits(proposals, threshold)
    applied_labelled = [by_id[id(p)] for p in applied if id(p) in by_id]
    gold = [run.gold[p.gold] for p in run.pairs]
    awkward = sentence_texts(run, [])
    repaired = sentence_texts(run, applied)
    oracle = sentence_texts(run, oracle_edits(edits))
    return {
        "benchmark": BENCHMARK,
        "split": "dev, leave one event out",
        "system": run.slug,
        "metric": "TER vs original (aligned sentences)",
        "better": "lower",
        "lines": len(run.pairs),
        "sentences": {"awkward": len(run.sentences), "original": run.original_sentences, "pairs": len(run.pairs)},
        "reference_type": run.reference_type,
        "references_used": run.references_used,
        "baselines": {"awkward": round(ter(awkward, gold), 2)},
        "mtrepair": round(ter(repaired, gold), 2),
        "oracle": round(ter(oracle, gold), 2),
        "chrF++": {"awkward": round(chrf_pp(awkward, gold), 2), "mtrepair": round(chrf_pp(repaired, gold), 2),
                   "oracle": round(chrf_pp(oracle, gold), 2)},
        "lines_changed": sum(a != b for a, b in zip(awkward, repaired)),
        "proposed_edits": len(edits),
        "applied_edits": len(applied),
        "precision": precision_by(applied_labelled, kind_of),
        "precision_all": precision_by(edits, kind_of),
    }


def kind_of(item) -> str:
    """grammar:spelling / grammar:rules / reference:<rule> (comparable) / ...@translation."""
    p = item.proposal
    rule = p.evidence.rule_id or p.kind
    if p.kind == "grammar":
        return "grammar:spelling" if "MORFOLOGIK" in rule or "SPELL" in rule else "grammar:rules"
    return rule if rule.startswith("reference") else p.kind


# -- calibration, leave one event out -----------------------------------------------------------


def count(edits: Sequence[Edit]) -> dict[str, KeyCounts]:
    """Helped / hurt counts and mean heuristic log-odds per calibration key, comparable edits only.

    Rule and rule-with-features keys only, not the kind: each comparable proposer is its own kind
    of evidence, so a rule with no dev data here keeps its heuristic (the seed's quote edit)
    instead of inheriting the other rules' record."""
    counts: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for e in edits:
        if e.delta == 0 or not is_comparable_edit(e.proposal):
            continue
        for key in proposal_keys(e.proposal)[1:]:
            counts[key][0 if e.delta < 0 else 1] += 1
            counts[key][2] += logit(e.proposal.confidence)
    return {k: KeyCounts(int(h), int(w), s / (h + w)) for k, (h, w, s) in counts.items()}


def with_counts(base: Calibration, counts: dict[str, KeyCounts]) -> Calibration:
    return replace(base, counts={**base.counts, **counts})


def recalibrate(proposals: Sequence[Proposal], calibration: Calibration) -> list[Proposal]:
    """Comparable-reference edits get `calibration`'s confidence from their heuristic one; the rest stay."""
    return [replace(p, confidence=calibration.confidence(p)) if is_comparable_edit(p) else p for p in proposals]


def leave_one_out(runs: Sequence[CaseRun], base: Calibration) -> dict[str, list[Proposal]]:
    """Each event's proposals, comparable edits calibrated on the other events' edits only."""
    labelled = {run.slug: label(run) for run in runs}
    out = {}
    for run in runs:
        others = [e for slug, edits in labelled.items() if slug != run.slug for e in edits]
        out[run.slug] = recalibrate(run.proposals, with_counts(base, count(others)))
    return out


# -- the section --------------------------------------------------------------------------------


def summary(rows: Sequence[dict], name: str) -> dict:
    """Mean TER and chrF++ gains over events, precision of all applied edits, oracle gain."""
    gains = [r["baselines"]["awkward"] - r["mtrepair"] for r in rows]
    oracle = [r["baselines"]["awkward"] - r["oracle"] for r in rows]
    totals = {"helped": 0, "hurt": 0, "neutral": 0}
    proposed = {"helped": 0, "hurt": 0, "neutral": 0}
    for r in rows:
        for c in r["precision"].values():
            for k in totals:
                totals[k] += c[k]
        for c in r["precision_all"].values():
            for k in proposed:
                proposed[k] += c[k]
    decided = totals["helped"] + totals["hurt"]
    decided_all = proposed["helped"] + proposed["hurt"]
    return {
        "setting": name,
        "events": len(rows),
        "pairs": sum(r["lines"] for r in rows),
        "mean_ter_gain": round(statistics.mean(gains), 2) if rows else None,
        "events_worse": sum(g < 0 for g in gains),
        "mean_chrf_gain": round(statistics.mean(r["chrF++"]["mtrepair"] - r["chrF++"]["awkward"] for r in rows), 2) if rows else None,
        "applied": totals,
        "precision": round(totals["helped"] / decided, 3) if decided else None,
        "proposed": proposed,
        "precision_all_proposals": round(proposed["helped"] / decided_all, 3) if decided_all else None,
        "oracle_mean_ter_gain": round(statistics.mean(oracle), 2) if rows else None,
    }


def measure(runs: Sequence[CaseRun], base: Calibration, threshold: float) -> dict:
    """Rows per event and summaries for the heuristic (before) and leave-one-event-out settings."""
    heuristic = [score(run, run.proposals, threshold) for run in runs]
    calibrated_proposals = leave_one_out(runs, base)
    calibrated = [score(run, calibrated_proposals[run.slug], threshold) for run in runs]
    return {
        "threshold": threshold,
        "rows": calibrated,
        "heuristic_rows": heuristic,
        "summaries": [summary(heuristic, "heuristic (comparable edits uncalibrated)"),
                      summary(calibrated, "calibrated, leave one event out")],
    }


def collect(data: Path, parts, calibration: Calibration) -> list[CaseRun]:
    runs = []
    for case in load_cases(data):
        runs.append(run_case(case, parts, without_comparable(calibration)))
        print(f"comparable-dev: {case.slug}: {len(runs[-1].pairs)} sentence pairs", flush=True)
    return runs


def run(data: Path, parts, calibration: Calibration | None = None, runs_out: list | None = None) -> dict | None:
    """The comparable-dev section, or None (with a line saying so) when the set is absent.
    `runs_out`, when given, receives the pipeline runs (the word-flags section reads them too)."""
    if not available(data):
        print(f"comparable-dev: skipped: no comparable-dev set in {folder(data)}", flush=True)
        return None
    calibration = calibration or load_calibration("mt")
    started = time.perf_counter()
    runs = collect(data, parts, calibration)
    if runs_out is not None:
        runs_out.extend(runs)
    section = measure(runs, without_comparable(calibration), calibration.min_confidence or 0.5)
    section["seconds"] = round(time.perf_counter() - started, 1)
    return section


def markdown(section: dict | None) -> str:
    if section is None:
        return "## comparable-dev\n\nSkipped: the comparable-dev set is absent from DATA.\n"
    out = ["## comparable-dev: repair from comparable references (dev, leave one event out)", "",
           f"Aligned sentence pairs (awkward against original), threshold {section['threshold']}. "
           "TER gain = awkward TER minus repaired TER (positive: closer to the original). "
           "Oracle: every proposal that helps alone, accepted.", "",
           "| setting | events | pairs | mean TER gain | events worse | mean chrF++ gain | applied helped / hurt / neutral "
           "| precision (applied) | precision (all proposals) | oracle mean TER gain |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for s in section["summaries"]:
        a = s["applied"]
        out.append(f"| {s['setting']} | {s['events']} | {s['pairs']} | {s['mean_ter_gain']:+.2f} | {s['events_worse']} | "
                   f"{s['mean_chrf_gain']:+.2f} | {a['helped']} / {a['hurt']} / {a['neutral']} | {_fmt(s['precision'])} | "
                   f"{_fmt(s['precision_all_proposals'])} | {s['oracle_mean_ter_gain']:+.2f} |")
    out += ["", "| event | pairs (awkward / original sentences) | reference type | TER awkward | TER repaired | TER oracle "
            "| chrF++ awkward → repaired | applied edits | proposed edits |", "|---|---|---|---|---|---|---|---|---|"]
    for r in section["rows"]:
        s = r["sentences"]
        out.append(f"| {r['system']} | {s['pairs']} ({s['awkward']} / {s['original']}) | {r['reference_type']} | "
                   f"{r['baselines']['awkward']:.2f} | {r['mtrepair']:.2f} | {r['oracle']:.2f} | "
                   f"{r['chrF++']['awkward']:.2f} → {r['chrF++']['mtrepair']:.2f} | {r['applied_edits']} | {r['proposed_edits']} |")
    kinds: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for field, label_ in (("precision", "applied"), ("precision_all", "proposed")):
        for r in section["rows"]:
            for kind, c in r[field].items():
                for k in ("helped", "hurt", "neutral"):
                    kinds[(label_, kind)][k] += c[k]
    out += ["", "| edits | kind | helped | hurt | neutral | precision |", "|---|---|---|---|---|---|"]
    for (which, kind), c in sorted(kinds.items()):
        decided = c["helped"] + c["hurt"]
        out.append(f"| {which} | {kind} | {c['helped']} | {c['hurt']} | {c['neutral']} | "
                   f"{_fmt(round(c['helped'] / decided, 3) if decided else None)} |")
    return "\n".join(out) + "\n"


def write_calibration(runs: Sequence[CaseRun], path: Path) -> dict[str, KeyCounts]:
    """Put the comparable-reference counts of all events into the `mt` profile of `path`
    (the shipped calibration); the measurement above uses leave-one-event-out counts instead."""
    counts = count([e for run in runs for e in label(run)])
    data = json.loads(path.read_text(encoding="utf-8"))
    profile = data["profiles"]["mt"]
    kept = {k: v for k, v in profile["counts"].items() if not is_comparable_key(k)}
    kept.update({k: [v.helped, v.hurt, round(v.mean_logit, 4)] for k, v in counts.items()})
    profile["counts"] = dict(sorted(kept.items()))
    profile["comparable_dev"] = {"events": len(runs), "note": "reference:* keys without @translation: "
                                 "comparable-reference edits on comparable-dev (python -m evaluation.comparable --write-calibration)"}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return counts


def is_comparable_key(key: str) -> bool:
    return key.startswith("reference") and TRANSLATION not in key


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("outputs/eval"))
    parser.add_argument("--dump", type=Path, help="keep the pipeline's runs (pickle) to re-measure with --from-dump")
    parser.add_argument("--from-dump", type=Path, help="re-measure from a dump, without running the pipeline")
    parser.add_argument("--write-calibration", action="store_true",
                        help=f"also write the comparable counts of all events into {CALIBRATION_FILE}")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    calibration = load_calibration("mt")
    if args.from_dump:
        runs = pickle.loads(args.from_dump.read_bytes())
    else:
        if not available(args.data):
            raise SystemExit(f"comparable-dev: error: no comparable-dev set in {folder(args.data)} (pass --data)")
        from .components import components

        with components() as parts:
            runs = collect(args.data, parts, calibration)
        if args.dump:
            args.dump.write_bytes(pickle.dumps(runs))
    section = measure(runs, without_comparable(calibration), calibration.min_confidence or 0.5)
    if args.write_calibration:
        write_calibration(runs, CALIBRATION_FILE)
    text = markdown(section)
    (args.out / "comparable.md").write_text(text, encoding="utf-8")
    (args.out / "comparable.json").write_text(json.dumps(section, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(text)
    from . import word_flags  # the same runs, read for the out-of-place word flags

    flags = word_flags.section(args.data, runs)
    (args.out / "word_flags.md").write_text(word_flags.markdown(flags), encoding="utf-8")
    (args.out / "word_flags.json").write_text(json.dumps(flags, indent=1) + "\n", encoding="utf-8")
    print(word_flags.markdown(flags))


if __name__ == "__main__":
    from evaluation import comparable  # the module's own classes, so a --dump reads back anywhere

    comparable.main()
