"""Sentence rewrites in decisions.json (schema version 2): read, checked against the run, applied, audited."""

import json

import pytest
from review_helpers import RUN_ID, TEXT, span, write_synthetic_run

from repair.decide.audit import render_changes
from repair.decide.decisions import DecisionSet, apply_decisions, load_decisions, load_run, parse_decisions
from repair.decide.final import finish
from repair.decide.rewrites import ReferenceUsed, Rewrite
from repair.errors import InputError
from repair.records import Decision

QUIET = "Nothing was said here."
"""A fourth sentence, with no proposal (the synthetic proposals all lie in the first three)."""
EXTRA = TEXT + QUIET + "\n"
REFERENCE = ReferenceUsed("ref.txt", 3, "Nothing at all was said.", 0.71)


@pytest.fixture
def run(tmp_path):
    return load_run(write_synthetic_run(tmp_path / "run", text=EXTRA))


def decide(run, decisions=(), rewrites=()):
    return DecisionSet(run.run_id, run.text_sha256, tuple(Decision(*d) for d in decisions), "decisions.json",
                       rewrites=tuple(rewrites))


def with_span(text, needle, new):
    start, end = span(text, needle)
    return text[:start] + new + text[end:]


def test_a_sentence_without_proposals_is_rewritten_in_place(run):
    outcome = apply_decisions(run, decide(run, rewrites=[Rewrite(3, QUIET, "Nothing at all was said here.", REFERENCE)]))
    assert outcome.text == with_span(EXTRA, QUIET, "Nothing at all was said here.")
    assert [r.rewrite.sentence_index for r in outcome.rewritten] == [3]
    assert outcome.counts() == {"accepted": 0, "edited": 0, "rejected": 0, "overridden": 0, "undecided": 6,
                                "rewritten": 1, "superseded": 0}


def test_a_rewrite_supersedes_the_accepted_and_edited_proposals_of_its_sentence(run):
    rewrite = Rewrite(1, "Putin was called a “murder” by Biden.", "Biden called Putin a killer.")
    outcome = apply_decisions(run, decide(run, [("P0003", "accept"), ("P0004", "edit", "Joe "), ("P0002", "accept")], [rewrite]))
    assert outcome.text == with_span(with_span(EXTRA, "the", "a"), "Putin was called a “murder” by Biden.", "Biden called Putin a killer.")
    assert sorted(c.proposal.id for c, _ in outcome.superseded) == ["P0003", "P0004"]
    assert [c.proposal.id for c in outcome.applied] == ["P0002"]


def test_an_insertion_at_the_end_of_a_rewritten_sentence_is_superseded_too(tmp_path):
    from review_helpers import proposal, synthetic_proposals

    end = span(TEXT, "soon.")[1]
    proposals = [*synthetic_proposals(), proposal("P0008", "grammar", end, end, "!", 0.9)]
    run = load_run(write_synthetic_run(tmp_path / "run", proposals=proposals))
    outcome = apply_decisions(run, decide(run, [("P0008", "accept")], [Rewrite(0, "He will pay the price soon.", "He pays.")]))
    assert outcome.text == with_span(TEXT, "He will pay the price soon.", "He pays.")
    assert [c.proposal.id for c, _ in outcome.superseded] == ["P0008"]


def test_changes_md_shows_the_rewrite_its_reference_and_what_it_superseded(run):
    decisions = decide(run, [("P0003", "accept")], [
        Rewrite(1, "Putin was called a “murder” by Biden.", "Biden called Putin a killer."),
        Rewrite(3, QUIET, "Nothing at all was said here.", REFERENCE),
    ])
    audit = render_changes(run, decisions, apply_decisions(run, decisions), written="2026-01-01")
    rewritten = audit.split("## Rewritten by the editor (2)")[1].split("## Superseded")[0]
    assert "sentence 4, the editor's rewrite: Nothing **at all** was said here." in rewritten
    assert "started from ref.txt #4 (similarity 0.71): Nothing at all was said." in rewritten
    assert "sentence 2, the editor's rewrite:" in rewritten and "the editor's own wording" in rewritten
    superseded = audit.split("## Superseded: in a sentence the editor rewrote (1)")[1]
    assert "`P0003` reference (0.75, sentence 2), accepted, not applied" in superseded
    assert "| 0 | 0 | 0 | 0 | 5 | 2 | 1 |" in audit


def test_decisions_without_rewrites_stay_version_1_and_audit_as_before(run):
    plain = decide(run, [("P0003", "accept")])
    assert plain.to_dict()["schema_version"] == 1 and "rewrites" not in plain.to_dict()
    audit = render_changes(run, plain, apply_decisions(run, plain), written="2026-01-01")
    assert "Rewritten" not in audit and "Superseded" not in audit and "| accepted | edited | rejected | overridden | not decided |\n" in audit
    assert set(apply_decisions(run, plain).counts()) == {"accepted", "edited", "rejected", "overridden", "undecided"}


def test_a_version_2_file_reads_back_the_same(run, tmp_path):
    decisions = decide(run, [("P0003", "accept")], [Rewrite(3, QUIET, "A <b>new</b> line & more", REFERENCE, by="ed")])
    doc = decisions.to_dict()
    assert doc["schema_version"] == 2
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps(doc))
    again = load_decisions(path)
    assert again.rewrites == decisions.rewrites and again.decisions == decisions.decisions


def test_finish_writes_the_rewritten_article(run):
    final = finish(run, decide(run, rewrites=[Rewrite(3, QUIET, "Quiet.")]))
    assert final.final_txt.read_text() == with_span(EXTRA, QUIET, "Quiet.")
    assert "sentence 4, the editor's rewrite" in final.changes_md.read_text()


@pytest.mark.parametrize(
    "rewrite, message",
    [
        ({"sentence_index": 4, "original": QUIET, "text": "x"}, "rewrites sentence 5, but "),
        ({"sentence_index": 3, "original": "Nothing was said.", "text": "x"},
         "rewrites sentence 4 as it read 'Nothing was said.', but in "),
    ],
)
def test_a_rewrite_of_a_missing_or_changed_sentence_is_refused_naming_the_file(run, tmp_path, rewrite, message):
    doc = {**decide(run).to_dict(), "schema_version": 2, "rewrites": [rewrite]}
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError) as caught:
        apply_decisions(run, load_decisions(path))
    line = str(caught.value)
    assert line.startswith(f"{path}: ") and message in line and "\n" not in line
    if "as it read" in message:
        assert "it now reads 'Nothing was said here.'; the text changed since the report was made" in line


def _doc(rewrites, version=2):
    return {"schema_version": version, "run_id": RUN_ID, "text_sha256": "x", "decisions": [], "rewrites": rewrites}


@pytest.mark.parametrize(
    "doc, message",
    [
        (_doc([], version=1), "has rewrites, which need schema_version 2"),
        (_doc({}), "rewrites is not a list"),
        (_doc(["x"]), "rewrite 1 is not an object"),
        (_doc([{"sentence_index": -1, "original": "a", "text": "b"}]), "rewrite 1 has no sentence_index"),
        (_doc([{"sentence_index": True, "original": "a", "text": "b"}]), "rewrite 1 has no sentence_index"),
        (_doc([{"sentence_index": 0, "original": "", "text": "b"}]), "rewrite 1 (sentence 1) has no original"),
        (_doc([{"sentence_index": 0, "original": "a"}]), "rewrite 1 (sentence 1) has no text"),
        (_doc([{"sentence_index": 0, "original": "a", "text": "b" * 20_001}]), "longer than 20,000 characters"),
        (_doc([{"sentence_index": 0, "original": "a", "text": "b", "why": 1}]), "rewrite 1 has an unknown field 'why'"),
        (_doc([{"sentence_index": 0, "original": "a", "text": "b"}, {"sentence_index": 0, "original": "a", "text": "c"}]),
         "sentence 1 is rewritten twice"),
        (_doc([{"sentence_index": 0, "original": "a", "text": "b", "reference": "ref.txt"}]), "reference is not an object"),
        (_doc([{"sentence_index": 0, "original": "a", "text": "b", "reference": {"document": "r", "text": "t"}}]),
         "reference needs document, sentence_index (from 0) and text"),
        (_doc([{"sentence_index": 0, "original": "a", "text": "b",
                "reference": {"document": "r", "sentence_index": 0, "text": "t", "similarity": "high"}}]),
         "reference similarity is not a number"),
    ],
)
def test_a_malformed_rewrite_is_refused_with_one_line(doc, message):
    with pytest.raises(InputError) as caught:
        parse_decisions(doc, "decisions.json")
    assert str(caught.value).startswith("decisions.json: ") and message in str(caught.value)


def test_mtrepair_apply_writes_a_rewrite_and_refuses_a_stale_one_in_one_line(run, tmp_path):
    from test_cli import mtrepair

    path = tmp_path / "decisions.json"
    path.write_text(json.dumps(decide(run, [("P0003", "accept")], [Rewrite(3, QUIET, "Quiet.", REFERENCE)]).to_dict()))
    result = mtrepair("apply", str(run.folder), "--decisions", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "1 accepted, 0 edited, 0 rejected, 0 overridden, 5 not decided, 1 sentence rewritten, 0 superseded"
    assert (run.folder / "final.txt").read_text() == with_span(with_span(EXTRA, "murder", "killer"), QUIET, "Quiet.")

    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(decide(run, [("P0003", "accept")]).to_dict()))
    result = mtrepair("apply", str(run.folder), "--decisions", str(plain))
    assert result.stdout.splitlines()[0] == "1 accepted, 0 edited, 0 rejected, 0 overridden, 5 not decided"

    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(decide(run, rewrites=[Rewrite(3, "Nothing was said.", "Quiet.")]).to_dict()))
    (run.folder / "final.txt").unlink()
    result = mtrepair("apply", str(run.folder), "--decisions", str(stale))
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert str(stale) in line and "the text changed since the report was made" in line and "Traceback" not in result.stderr
    assert not (run.folder / "final.txt").exists()
