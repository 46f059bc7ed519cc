"""changes.md says what became of every proposal, and why."""

from review_helpers import write_synthetic_run

from repair.decide.audit import render_changes
from repair.decide.decisions import DecisionSet, apply_decisions, load_run
from repair.decide.final import finish
from repair.records import Decision


def test_changes_md_lists_every_proposal_under_its_fate(tmp_path):
    run = load_run(write_synthetic_run(tmp_path / "run"))
    decisions = DecisionSet(run.run_id, run.text_sha256, (
        Decision("P0001", "accept"), Decision("P0002", "accept"), Decision("P0003", "edit", "*killer*"),
        Decision("P0005", "accept"), Decision("P0006", "reject"),
    ), source="decisions.json")
    audit = render_changes(run, decisions, apply_decisions(run, decisions), written="2026-01-01")
    applied, overridden = audit.split("## Applied")[1].split("## Overridden")
    assert "`P0002` reference (0.90, sentence 1), accepted: ~~the~~**a**" in applied
    assert "`P0003` reference (0.75, sentence 2), edited: ~~murder~~**\\*killer\\***" in applied
    assert "`P0001` grammar (0.60, sentence 1), accepted, not applied" in overridden
    assert "overlaps `P0002` (confidence 0.90), which was applied" in overridden
    assert "`P0005` flag" in audit.split("## Accepted as they are")[1]
    assert "`P0006` grammar" in audit.split("## Rejected (1)")[1]
    assert "`P0004` grammar" in audit.split("## Not decided, left unchanged (1)")[1]
    assert "| 2 | 1 | 1 | 1 | 1 |" in audit  # accepted (P0001 counts as overridden), edited, rejected, overridden, not decided


def test_finish_writes_final_txt_and_changes_md_together(tmp_path):
    folder = write_synthetic_run(tmp_path / "run")
    run = load_run(folder)
    final = finish(run, DecisionSet(run.run_id, run.text_sha256, (Decision("P0003", "accept"),)))
    assert (folder / "final.txt").read_text() == run.text.replace("murder", "killer")
    assert "`P0003`" in (folder / "changes.md").read_text()
    assert final.outcome.counts()["accepted"] == 1
