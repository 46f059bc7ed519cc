"""The comparable-dev measurement's own logic, on small made-up texts (no comparable-dev text)."""

import numpy as np
import pytest

from evaluation.comparable_data import monotonic_pairs
from repair.records import Evidence, Proposal
from repair.text.segment import split_sentences


def test_pairs_keep_order_and_skip_sentences_without_a_counterpart():
    similarity = np.array([
        [0.90, 0.20, 0.10],
        [0.30, 0.20, 0.95],
        [0.10, 0.85, 0.70],
        [0.20, 0.10, 0.30],  # nothing close: skipped
    ])
    pairs = monotonic_pairs(similarity, minimum=0.6)
    # (1, 2) and (2, 1) cross; the order-keeping set with the larger total similarity wins
    assert [(p.target, p.gold) for p in pairs] == [(0, 0), (1, 2)]


def _edit(text, old, new, rule, confidence):
    start = text.index(old)
    return Proposal("", "reference", 0, start, start + len(old), old, new, "test", Evidence(rule_id=rule), confidence)


def test_score_counts_applied_edits_and_the_oracle_separately():
    comparable = pytest.importorskip("evaluation.comparable")  # sacrebleu: the eval extras
    text = "The council aproved the plan on Monday."
    sentences = split_sentences(text)
    good = _edit(text, "aproved", "approved", "reference:wording", 0.8)
    bad = _edit(text, "Monday", "Sunday", "reference:phrase", 0.3)
    from evaluation.comparable_data import Pair

    run = comparable.CaseRun("made-up", sentences, ("The council approved the plan on Monday.",),
                             (Pair(0, 0, 0.9),), (good, bad), "comparable", 1, 1)
    row = comparable.score(run, run.proposals, threshold=0.7)
    assert row["baselines"]["awkward"] > 0
    assert row["mtrepair"] == 0  # the good edit alone is applied
    assert row["oracle"] == 0
    assert row["precision"]["reference:wording"]["helped"] == 1
    assert row["precision_all"]["reference:phrase"]["hurt"] == 1


def test_leave_one_out_never_uses_the_events_own_edits():
    comparable = pytest.importorskip("evaluation.comparable")
    from evaluation.comparable_data import Pair
    from repair.decide.calibration import Calibration

    def run(slug, replacement):
        text = "The council aproved the plan on Monday."
        edit = _edit(text, "aproved", replacement, "reference:wording", 0.6)
        return comparable.CaseRun(slug, split_sentences(text), ("The council approved the plan on Monday.",),
                                  (Pair(0, 0, 0.9),), (edit,), "comparable", 1, 1)

    runs = [run("helps", "approved"), run("hurts", "voted against")]
    calibrated = comparable.leave_one_out(runs, Calibration(prior_strength=1.0))
    # each event sees only the other's outcome: the helping edit is judged by the hurting one and vice versa
    assert calibrated["helps"][0].confidence < 0.6 < calibrated["hurts"][0].confidence
