"""The proposer registry: names, order, switching one off, and the drop hash."""

import pytest

from repair.config import Settings
from repair.batch.drops import content_hash, scan_drops
from repair.errors import SetupError
from repair.decide.propose import make_proposals
from repair.proposers.registry import ProposalContext, proposer_names, run_proposers
from repair.records import CleanupEdit, Document, Sentence


def test_builtin_proposers_run_in_the_order_proposals_have_always_been_gathered_then_near_copies():
    assert proposer_names() == (
        "cleanup", "grammar", "quotes", "phrases", "names", "wording", "sentences", "copies", "numbers", "unsupported",
        "tenses", "concepts", "paraphrase", "consistency", "out-of-place",
    )


def _document(text: str) -> Document:
    return Document("t", "t", text, text, (Sentence(0, 0, len(text), text, 0),))


def test_a_disabled_proposer_adds_nothing():
    target = _document("He said so.")
    edit = CleanupEdit(2, 4, "  ", " ", "spaces", "repeated spaces", 2, 3)
    context = ProposalContext(target, (edit,), (), (), {}, None, 0.45)
    assert [p.kind for p in run_proposers(context)] == ["cleanup"]
    assert run_proposers(context, disabled=("cleanup",)) == []
    assert make_proposals(target, [edit], [], [], {}, None, 0.45, disabled=("cleanup",)) == []


def test_an_unknown_proposer_name_is_refused_in_one_line():
    context = ProposalContext(_document("Fine."), (), (), (), {}, None, 0.45)
    with pytest.raises(SetupError, match="no proposer named quotse"):
        run_proposers(context, disabled=("quotse",))


def test_disabled_proposers_change_a_drop_hash_only_when_set(tmp_path):
    folder = tmp_path / "drops" / "a"
    folder.mkdir(parents=True)
    (folder / "target.txt").write_text("He have a dog.\n")
    (folder / "reference.txt").write_text("He has a dog.\n")
    [drop] = scan_drops(tmp_path / "drops", Settings(), settle=0).ready
    base = Settings(min_confidence=0.7)
    assert content_hash(drop, base) == content_hash(drop, base)
    assert content_hash(drop, Settings(min_confidence=0.7, disabled_proposers=("quotes",))) != content_hash(drop, base)
