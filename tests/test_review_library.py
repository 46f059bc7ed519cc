"""repair/review/ without the web: need, the listing's path rules, saved decisions with versions, stale decisions.

The desk (tests/test_desk_app.py) calls these; here they are called as a script would.
"""

import json

import pytest
from review_helpers import TEXT, synthetic_proposals, write_synthetic_run

from repair.decide.decisions import load_run
from repair.errors import InputError
from repair.review.listing import contained, is_out_dir, list_drops
from repair.review.need import need, need_of_summary, word_count
from repair.review.saved import VersionConflict, mark_done, read_saved, save_decisions, version_of
from repair.review.stale import carry_over


def test_need_is_proposals_and_flags_per_100_words():
    assert need({"grammar": 1, "reference": 2, "flag": 1, "cleanup": 9}, 200) == 2.0
    assert need({"cleanup": 3}, 50) == 0.0 and need({"flag": 1}, 0) == 0.0
    assert need({"word": 2, "flag": 1}, 100) == 3.0  # out-of-place words are flags to read too
    assert word_count("One two\nthree  four.\n") == 4
    assert need_of_summary({"need": 3.5}) == 3.5
    assert need_of_summary({"by_kind": {"flag": 1}, "words": 10}) == 10.0  # a run written before `need`
    assert need_of_summary({"by_kind": {"flag": 1}}) is None


def test_every_run_json_summary_has_words_and_need(tmp_path):
    run = write_synthetic_run(tmp_path / "run")
    summary = json.loads((run / "run.json").read_text())["summary"]
    assert summary["words"] == len(TEXT.split()) == 20
    assert summary["need"] == need(summary["by_kind"], summary["words"]) == 30.0


def test_a_run_folder_is_not_an_output_folder_and_paths_stay_inside(tmp_path):
    out = tmp_path / "out"
    run = write_synthetic_run(out / "drop" / "0123456789abcdef")
    assert is_out_dir(out) and not is_out_dir(run)
    assert contained(out, "drop", "0123456789abcdef") == run.resolve()
    for parts in [("..",), ("drop", ".."), (".hidden",), ("a/b",), ("nope",)]:
        with pytest.raises(InputError):
            contained(out, *parts)
    (out / "link").symlink_to(tmp_path)
    with pytest.raises(InputError, match="symbolic link"):
        contained(out, "link")
    assert [d.name for d in list_drops(out)] == ["drop"]


def test_a_save_from_an_older_version_is_refused_and_done_applies_the_saved_version(tmp_path):
    run = load_run(write_synthetic_run(tmp_path / "run"))
    doc = {"schema_version": 1, "run_id": run.run_id, "text_sha256": run.text_sha256,
           "decisions": [{"proposal_id": "P0001", "action": "accept"}]}
    v1, _ = save_decisions(run, doc, "", "Alice")
    assert v1 == version_of((run.folder / "decisions.json").read_bytes())
    with pytest.raises(VersionConflict) as conflict:
        save_decisions(run, doc | {"decisions": []}, "", "Bob")
    assert conflict.value.by == "Alice" and conflict.value.current == v1
    saved = read_saved(run)
    assert saved.version == v1 and saved.by == "Alice" and len(saved.decisions.decisions) == 1
    with pytest.raises(VersionConflict):
        mark_done(run, "0" * 16, "Alice")
    final = mark_done(run, v1, "Alice")
    assert final.final_txt.read_text() == TEXT.replace("pay the price", "pay for it")
    assert read_saved(run).done


def test_carry_over_keeps_what_still_fits_a_changed_text(tmp_path):
    old = load_run(write_synthetic_run(tmp_path / "old"))
    new_text = "Intro line.\n\n" + TEXT.replace("The ties are at a dead end.", "Talks go on.")
    shift = len("Intro line.\n\n")
    moved = [p.__class__(**{**p.__dict__, "start": p.start + shift, "end": p.end + shift, "id": "Q" + p.id[1:]})
             for p in synthetic_proposals() if p.id != "P0005"]
    new = load_run(write_synthetic_run(tmp_path / "new", text=new_text, proposals=moved))
    from repair.decide.decisions import parse_decisions

    decisions = parse_decisions({"schema_version": 2, "run_id": old.run_id, "text_sha256": old.text_sha256,
                                 "decisions": [{"proposal_id": "P0003", "action": "accept"},
                                               {"proposal_id": "P0005", "action": "reject"}],
                                 "rewrites": [{"sentence_index": 0, "original": "He will pay the price soon.",
                                               "text": "He will pay."}]}, "old")
    kept, dropped = carry_over(old, decisions, new)
    assert [(d.proposal_id, d.action) for d in kept.decisions] == [("Q0003", "accept")]  # moved, renumbered, same words
    assert [(r.sentence_index, r.text) for r in kept.rewrites] == [(1, "He will pay.")]  # the sentence moved to 2
    assert len(dropped) == 1 and "P0005" in dropped[0]
    assert kept.text_sha256 == new.text_sha256 and kept.run_id == new.run_id
