"""Applying proposals: strict about the text, overlaps decided by confidence."""

import pytest

from repair.decide.apply import apply_above, apply_edits
from repair.records import Evidence, Proposal


def proposal(id, start, end, original, replacement, confidence=0.8, kind="grammar"):
    return Proposal(id, kind, 0, start, end, original, replacement, "r", Evidence(), confidence)


TEXT = "He will pay the price soon."


def test_edits_are_applied_in_place():
    result = apply_edits(TEXT, [proposal("P1", 12, 15, "the", "a")])
    assert result.text == "He will pay a price soon."


def test_overlap_goes_to_the_higher_confidence():
    low = proposal("P1", 8, 21, "pay the price", "pay for it", 0.6)
    high = proposal("P2", 12, 15, "the", "a", 0.9)
    result = apply_edits(TEXT, [low, high])
    assert result.text == "He will pay a price soon."
    assert result.overlapped == [(low, high)]


def test_threshold_selects_what_is_applied():
    edits = [proposal("P1", 12, 15, "the", "a", 0.4), proposal("P2", 22, 26, "soon", "later", 0.7)]
    assert apply_above(TEXT, edits, 0.5).text == "He will pay the price later."


def test_flags_and_applied_cleanup_change_nothing():
    flag = proposal("P1", 0, 2, "He", "He", kind="flag")
    cleanup = Proposal("P2", "cleanup", 0, 0, 2, "  He", "He", "r", Evidence(), 0.95, applied=True)
    assert apply_edits(TEXT, [flag, cleanup]).text == TEXT


def test_a_stale_proposal_is_refused():
    with pytest.raises(ValueError, match="P1"):
        apply_edits(TEXT, [proposal("P1", 0, 2, "She", "They")])
