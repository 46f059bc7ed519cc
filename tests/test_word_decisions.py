"""Decisions on out-of-place words (kind `word`): kept, dismissed or replaced, never applied by default."""

import json

from repair.decide.decisions import apply_decisions, load_run, parse_decisions, preset


def decisions(run, *items):
    return parse_decisions({"schema_version": 1, "kind": "mtrepair-decisions", "run_id": run.run_id,
                            "text_sha256": run.text_sha256, "decisions": list(items)}, "decisions.json")


def test_a_word_flag_kept_dismissed_or_replaced(seed_run):
    _, out = seed_run
    run = load_run(out)
    [flag] = [p for p in run.proposals if p.kind == "word" and p.original == "withdrawn"]

    kept = apply_decisions(run, decisions(run, {"proposal_id": flag.id, "action": "accept"}))
    assert kept.text == run.text and kept.kept_flags == [flag] and kept.applied == []
    assert kept.counts()["accepted"] == 1

    dismissed = apply_decisions(run, decisions(run, {"proposal_id": flag.id, "action": "reject"}))
    assert dismissed.text == run.text and dismissed.rejected == [flag]

    picked = apply_decisions(run, decisions(run, {"proposal_id": flag.id, "action": "edit", "text": "recalled"}))
    assert picked.text == run.text[:flag.start] + "recalled" + run.text[flag.end:]
    assert [c.proposal for c in picked.applied] == [flag] and picked.counts()["edited"] == 1


def test_the_defaults_never_apply_a_word_flag(seed_run):
    _, out = seed_run
    run = load_run(out)
    default = apply_decisions(run, preset(run, "accept-default"))
    assert default.text == (out / "repaired.txt").read_text()
    assert not [c for c in default.applied if c.proposal.kind == "word"]
    everything = apply_decisions(run, preset(run, "accept-all"))
    assert not [c for c in everything.applied if c.proposal.kind == "word"]
    assert json.loads((out / "run.json").read_text())["summary"]["applied"] == len(default.applied)
