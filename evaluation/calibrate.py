"""Write repair/data/calibration.json from dev data (never test data).

    python -m evaluation.calibrate [--data data]

Every edit proposal on JFLEG dev, MLQE-PE dev (ro-en, ru-en, si-en) and the
WMT21 dev documents (every system; see `wmt21`) is applied alone and
labelled helped / hurt / neutral against the human corrections (`labels`).
The helped and hurt counts per calibration key (kind, rule, rule with features)
become the calibration; then the confidence threshold that gains most on the
same dev data (cross-validated: counted on one half of the lines, measured on the
other) is chosen and stored with it.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from repair.decide.calibration import TRANSLATION, Calibration, KeyCounts, logit, proposal_keys
from repair.line_mode import correct_lines

from . import jfleg, mlqe, wmt21
from .components import components
from .data import REPOSITORY_DATA, check_data
from .labels import Labelled, label_edits

GRID = [round(0.3 + 0.05 * i, 2) for i in range(13)]
OUT = Path(__file__).resolve().parent.parent / "repair" / "data" / "calibration.json"
NO_CALIBRATION = Calibration()


def collect(data: Path, parts, wmt_systems: int | None = None, lm_feature: bool = False) -> dict[str, dict[str, list[Labelled]]]:
    """Labelled edit proposals per profile and dev set, with heuristic (uncalibrated) confidence
    (and, with `lm_feature`, the language model's second opinion on word-level edits)."""
    uncalibrated = Calibration(lm_feature=lm_feature)
    learner: dict[str, list[Labelled]] = {}
    source, refs, _ = jfleg.files(data, "dev")
    lines = jfleg.read_lines(source)
    result = correct_lines(lines, checker=parts.checker, settings=parts.settings, calibration=uncalibrated)
    learner["jfleg-dev"] = label_edits(result, list(zip(*(jfleg.read_lines(r) for r in refs))), case_sensitive=True)
    mt: dict[str, list[Labelled]] = {}
    for pair in mlqe.PAIRS:
        folder = data / "mlqe-pe" / f"{pair}-dev"
        mt_lines, pe = mlqe.read_lines(folder / "dev.mt"), mlqe.read_lines(folder / "dev.pe")
        result = correct_lines(mt_lines, checker=parts.checker, settings=parts.settings, calibration=uncalibrated)
        mt[f"mlqe-{pair}-dev"] = label_edits(result, [[p] for p in pe])
    corpus = wmt21.load(data).split("dev")  # the test documents are never seen here
    for system, _ in corpus.ranking[:wmt_systems]:
        _, _, labelled = wmt21.repair_system(corpus, system, parts, uncalibrated, with_labels="all")
        mt[f"wmt21-{system}"] = labelled
    return {"mt": mt, "learner": learner}


def usable(profiles: dict[str, dict[str, list[Labelled]]]) -> dict[str, dict[str, list[Labelled]]]:
    """What each dev set may teach: WMT21's gold is an independent translation, not a
    post-edit, so it judges only reference edits (the one thing only it can judge);
    whether a grammar fix helps is judged on post-edits (MLQE-PE) and corrections (JFLEG).
    (Ten systems also share WMT21's sentences, so a grammar rule firing on one source
    sentence would be counted ten times over.) Only edits from translation-type references
    count: WMT21 has no comparable articles."""
    return {
        profile: {
            name: [item for item in labelled if not name.startswith("wmt21") or _from_translation(item)]
            for name, labelled in sets.items()
        }
        for profile, sets in profiles.items()
    }


def retag(profiles: dict[str, dict[str, list[Labelled]]]) -> dict[str, dict[str, list[Labelled]]]:
    """Dumps from before reference edits carried "@translation": WMT21's references are
    translations (detected so in 98 % of documents), so their reference edits get the tag."""
    def tagged(item: Labelled) -> Labelled:
        p = item.proposal
        if p.kind != "reference" or (p.evidence.rule_id or "").endswith(TRANSLATION):
            return item
        evidence = replace(p.evidence, rule_id=(p.evidence.rule_id or "reference") + TRANSLATION)
        return replace(item, proposal=replace(p, evidence=evidence))

    return {profile: {name: [tagged(i) if name.startswith("wmt21") else i for i in items] for name, items in sets.items()}
            for profile, sets in profiles.items()}


def _from_translation(item: Labelled) -> bool:
    """A WMT21 reference edit made from a reference detected as a translation (a document
    misdetected as comparable is no evidence about comparable articles)."""
    return item.proposal.kind == "reference" and (item.proposal.evidence.rule_id or "").endswith(TRANSLATION)


def count(sets: dict[str, list[Labelled]]) -> dict[str, KeyCounts]:
    """Helped, hurt and mean heuristic log-odds per calibration key (neutral edits left out).

    The same edit of the same WMT21 line made on several systems' outputs counts once."""
    counts: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    seen: set[tuple] = set()
    for name, labelled in sets.items():
        family = "wmt21" if name.startswith("wmt21") else name
        for item in labelled:
            p = item.proposal
            evidence = (family, item.line, p.evidence.rule_id, p.original, p.replacement)
            if item.delta == 0 or evidence in seen:  # ten systems, one source sentence: one piece of evidence
                continue
            seen.add(evidence)
            for key in proposal_keys(item.proposal):
                counts[key][0 if item.delta < 0 else 1] += 1
                counts[key][2] += logit(item.proposal.confidence)
    return {k: KeyCounts(int(h), int(w), s / (h + w)) for k, (h, w, s) in counts.items()}


def scan(sets: dict[str, list[Labelled]], calibration: Calibration) -> dict[float, dict[str, int]]:
    """Net words gained (edit distance saved) per dev set if edits >= threshold were applied."""
    table = {}
    for threshold in GRID:
        table[threshold] = {
            name: -sum(item.delta for item in labelled if calibration.confidence(item.proposal) >= threshold)
            for name, labelled in sets.items()
        }
    return table


def score(row: dict[str, int], sizes: dict[str, int]) -> float:
    return sum(gain / max(sizes[name], 1) for name, gain in row.items())


def choose(table: dict[float, dict[str, int]], sizes: dict[str, int]) -> tuple[float, float]:
    """(threshold, gain): the largest held-out gain (each dev set weighted by its size)
    among thresholds where no dev set loses; ties go to the lower threshold."""
    safe = [t for t in table if all(gain >= 0 for gain in table[t].values())] or [max(table)]
    best = max(sorted(safe), key=lambda t: round(score(table[t], sizes), 6))
    return best, score(table[best], sizes)


SLOPES = [0.0, 0.25, 0.5, 0.75, 1.0]


def fit_slope(sets: dict[str, list[Labelled]], calibration: Calibration) -> float:
    """The slope (how much the heuristic still orders proposals within a key) with the
    best mean log-likelihood of the dev outcomes; ties go to the smaller slope."""
    decided = [item for labelled in sets.values() for item in labelled if item.delta != 0]

    def likelihood(slope: float) -> float:
        fitted = replace(calibration, slope=slope)
        total = 0.0
        for item in decided:
            p = min(max(fitted.confidence(item.proposal), 1e-3), 1 - 1e-3)
            total += math.log(p if item.delta < 0 else 1 - p)
        return total / max(len(decided), 1)

    return max(SLOPES, key=lambda slope: (round(likelihood(slope), 4), -slope))


FOLD_LINES = 20
"""Cross-validation folds are blocks of this many consecutive lines (WMT21 documents stay mostly whole)."""


def cross_validated_scan(sets: dict[str, list[Labelled]], prior_strength: float, slope: float) -> dict[float, dict[str, int]]:
    """Gains per threshold measured on lines the counts did not come from (two folds):
    the in-sample scan flatters fine-grained keys."""
    table: dict[float, dict[str, int]] = {t: defaultdict(int) for t in GRID}
    for fold in (0, 1):
        train = {n: [i for i in items if (i.line // FOLD_LINES) % 2 != fold] for n, items in sets.items()}
        held = {n: [i for i in items if (i.line // FOLD_LINES) % 2 == fold] for n, items in sets.items()}
        calibration = Calibration(counts=count(train), prior_strength=prior_strength, slope=slope)
        for threshold, row in scan(held, calibration).items():
            for name, gain in row.items():
                table[threshold][name] += gain
    return {t: dict(row) for t, row in table.items()}


PRIOR_STRENGTHS = [4.0, 16.0, 64.0]


def calibrate_profile(sets: dict[str, list[Labelled]], prior_strengths=PRIOR_STRENGTHS, lm_feature: bool = False) -> dict:
    """Counts, slope, prior strength and threshold of one profile; the prior strength and
    threshold are the pair with the best cross-validated gain (ties: the lower threshold)."""
    counts = count(sets)
    sizes = {name: len({item.line for item in labelled}) or 1 for name, labelled in sets.items()}
    candidates = []
    for prior in prior_strengths:
        slope = fit_slope(sets, Calibration(counts=counts, prior_strength=prior))
        table = cross_validated_scan(sets, prior, slope)
        threshold, gain = choose(table, sizes)
        candidates.append((round(gain, 6), -threshold, -prior, prior, slope, threshold, table))
    _, _, _, prior, slope, threshold, table = max(candidates, key=lambda c: c[:3])
    calibration = Calibration(counts=counts, prior_strength=prior, slope=slope, min_confidence=threshold, lm_feature=lm_feature)
    return {
        "dev_sets": {name: len(labelled) for name, labelled in sets.items()},
        **calibration.to_dict(),
        "threshold_scan": {str(t): row for t, row in table.items()},
        "threshold_scan_note": "net words gained on held-out lines (2-fold cross-validation by blocks of lines)",
    }


def keep_comparable_counts(path: Path, data: dict) -> None:
    """Carry over the `mt` profile's counts for comparable-reference edits, which come from
    comparable-dev (`python -m evaluation.comparable --write-calibration`), not from these sets."""
    if not path.exists():
        return
    from .comparable import is_comparable_key

    before = json.loads(path.read_text(encoding="utf-8")).get("profiles", {}).get("mt", {})
    mt = data["profiles"]["mt"]
    mt["counts"] = dict(sorted({**mt["counts"], **{k: v for k, v in before.get("counts", {}).items() if is_comparable_key(k)}}.items()))
    if "comparable_dev" in before:
        mt["comparable_dev"] = before["comparable_dev"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPOSITORY_DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--wmt-systems", type=int, default=None, help="use only the first N WMT21 systems")
    parser.add_argument("--lm-feature", action="store_true",
                        help="give word-level edits the language model's second opinion as a feature (issue 20, item 6)")
    parser.add_argument("--dump", type=Path, default=None, help="also pickle the labelled proposals here (for analysis)")
    parser.add_argument("--from-dump", type=Path, default=None,
                        help="recount from a --dump of an earlier run instead of running the pipeline")
    args = parser.parse_args()
    started = time.perf_counter()
    import pickle

    if not args.from_dump:
        check_data(args.data)
    if args.from_dump:
        profiles = retag(pickle.loads(args.from_dump.read_bytes()))
    else:
        with components() as parts:
            profiles = collect(args.data, parts, args.wmt_systems, args.lm_feature)
    if args.dump:
        args.dump.write_bytes(pickle.dumps(profiles))
    profiles = usable(profiles)
    data = {
        "about": "helped/hurt counts of single edits on dev data, per profile; "
        "written by `python -m evaluation.calibrate` (make calibrate); see repair/decide/calibration.py",
        "default_profile": "mt",
        "profiles": {name: calibrate_profile(sets, lm_feature=args.lm_feature) for name, sets in profiles.items()},
        "seconds": round(time.perf_counter() - started, 1),
    }
    keep_comparable_counts(args.out, data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    thresholds = ", ".join(f"{name} {p['min_confidence']}" for name, p in data["profiles"].items())
    print(f"wrote {args.out}: thresholds {thresholds}; {data['seconds']} s")


if __name__ == "__main__":
    main()
