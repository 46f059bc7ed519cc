"""Decisions: refused whole unless made for exactly this run and text; applied by one overlap rule."""

import json

import pytest
from review_helpers import RUN_ID, TEXT, span, write_synthetic_run

from repair.decide.apply import apply_above
from repair.decide.decisions import (
    DecisionSet,
    apply_decisions,
    load_decisions,
    load_run,
    parse_decisions,
    preset,
)
from repair.errors import InputError
from repair.records import Decision


@pytest.fixture
def run(tmp_path):
    return load_run(write_synthetic_run(tmp_path / "run"))


def decide(run, *decisions):
    return DecisionSet(run.run_id, run.text_sha256, tuple(Decision(*d) for d in decisions))


def with_span(text, needle, new):
    start, end = span(text, needle)
    return text[:start] + new + text[end:]


def test_accepted_and_edited_proposals_change_the_text_rejected_and_undecided_do_not(run):
    outcome = apply_decisions(run, decide(run, ("P0003", "accept"), ("P0006", "edit", "later"), ("P0002", "reject")))
    assert outcome.text == with_span(with_span(TEXT, "murder", "killer"), "soon", "later")
    assert [c.proposal.id for c in outcome.applied] == ["P0006", "P0003"]
    assert [p.id for p in outcome.rejected] == ["P0002"]
    assert [p.id for p in outcome.undecided] == ["P0001", "P0004", "P0005"]


def test_overlapping_accepts_go_to_the_higher_confidence(run):
    outcome = apply_decisions(run, decide(run, ("P0001", "accept"), ("P0002", "accept")))
    assert outcome.text == with_span(TEXT, "the", "a")
    [(loser, winner)] = outcome.overridden
    assert (loser.proposal.id, winner.proposal.id) == ("P0001", "P0002")


def test_the_editors_own_text_wins_over_an_accepted_proposal(run):
    outcome = apply_decisions(run, decide(run, ("P0001", "edit", "pay dearly"), ("P0002", "accept")))
    assert outcome.text == with_span(TEXT, "pay the price", "pay dearly")
    assert [(lose.proposal.id, win.proposal.id) for lose, win in outcome.overridden] == [("P0002", "P0001")]


def test_a_flag_is_kept_or_dismissed_as_it_is_or_rewritten_by_the_editor(run):
    assert apply_decisions(run, decide(run, ("P0005", "accept"))).text == TEXT
    assert apply_decisions(run, decide(run, ("P0005", "reject"))).text == TEXT
    edited = apply_decisions(run, decide(run, ("P0005", "edit", "Ties are at an impasse.")))
    assert edited.text == with_span(TEXT, "The ties are at a dead end.", "Ties are at an impasse.")


def test_an_insertion_is_applied_in_place(run):
    assert apply_decisions(run, decide(run, ("P0004", "accept"))).text == with_span(TEXT, "Biden", "Joe Biden")


def test_presets_give_the_cleaned_and_the_repaired_text(run):
    assert apply_decisions(run, preset(run, "reject-all")).text == TEXT
    assert apply_decisions(run, preset(run, "accept-default")).text == apply_above(TEXT, run.proposals, run.min_confidence).text
    accept_all = apply_decisions(run, preset(run, "accept-all")).text
    assert "soon enough" in accept_all and accept_all != apply_above(TEXT, run.proposals, run.min_confidence).text


@pytest.mark.parametrize(
    "change, message",
    [
        ({"run_id": "another-run"}, "made for run another-run, but"),
        ({"text_sha256": "0" * 64}, "made for a different text"),
        ({"decisions": [{"proposal_id": "P0999", "action": "accept"}]}, "P0999 is not a proposal of run synthetic001"),
        ({"decisions": [{"proposal_id": "P0007", "action": "reject"}]}, "P0007 is a cleanup edit"),
    ],
)
def test_decisions_for_another_run_or_text_are_refused_whole(run, tmp_path, change, message):
    doc = {**decide(run, ("P0003", "accept")).to_dict(), **change}
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError) as caught:
        apply_decisions(run, load_decisions(path))
    assert message in str(caught.value) and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "doc, message",
    [
        ([], "expected a JSON object"),
        ({"schema_version": 3, "run_id": RUN_ID, "text_sha256": "x", "decisions": []}, "schema_version is 3"),
        ({"schema_version": 1, "text_sha256": "x", "decisions": []}, "run_id is missing"),
        ({"schema_version": 1, "run_id": RUN_ID, "text_sha256": "x"}, "decisions is missing"),
        ({"schema_version": 1, "run_id": RUN_ID, "text_sha256": "x", "decisions": [{"proposal_id": "P0001", "action": "maybe"}]},
         "action is 'maybe'"),
        ({"schema_version": 1, "run_id": RUN_ID, "text_sha256": "x", "decisions": [{"proposal_id": "P0001", "action": "edit"}]},
         "an edit needs the editor's text"),
        ({"schema_version": 1, "run_id": RUN_ID, "text_sha256": "x", "decisions": [{"proposal_id": "P0001", "action": "accept", "text": "x"}]},
         "only an edit carries text"),
        ({"schema_version": 1, "run_id": RUN_ID, "text_sha256": "x",
          "decisions": [{"proposal_id": "P0001", "action": "accept"}, {"proposal_id": "P0001", "action": "reject"}]},
         "P0001 is decided twice"),
        ({"schema_version": 1, "run_id": RUN_ID, "text_sha256": "x", "decisions": [], "extra": 1}, "unknown field 'extra'"),
    ],
)
def test_a_malformed_decisions_file_is_refused_with_one_line(doc, message):
    with pytest.raises(InputError) as caught:
        parse_decisions(doc, "decisions.json")
    assert str(caught.value).startswith("decisions.json: ") and message in str(caught.value)


def test_a_file_that_is_not_json_names_line_and_column(tmp_path):
    path = tmp_path / "decisions.json"
    path.write_text('{"schema_version": 1,\n  "run_id": }')
    with pytest.raises(InputError, match=r"decisions.json: is not valid JSON \(line 2, column 13"):
        load_decisions(path)


def test_a_run_whose_cleaned_text_changed_is_refused(tmp_path):
    folder = write_synthetic_run(tmp_path / "run")
    (folder / "cleaned.txt").write_text(TEXT.replace("soon", "later"))
    with pytest.raises(InputError, match="cleaned.txt: was changed after the run"):
        load_run(folder)


def test_a_folder_that_is_not_a_run_is_refused(tmp_path):
    with pytest.raises(InputError, match="proposals.json: missing"):
        load_run(tmp_path)
    with pytest.raises(InputError, match="no such run folder"):
        load_run(tmp_path / "nowhere")


def test_saved_decisions_read_back_the_same(run, tmp_path):
    decisions = decide(run, ("P0003", "accept"), ("P0005", "edit", "A <b>new</b> line & more"), ("P0001", "reject"))
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps(decisions.to_dict()))
    again = load_decisions(path)
    assert again.decisions == decisions.decisions and again.run_id == run.run_id
