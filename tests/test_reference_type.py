"""A translation aligns one to one and in order; a comparable article does not."""

from repair.records import Alignment, Candidate
from repair.alignment.reference_type import classify_reference


def alignments(pairs):
    return [Alignment(i, (Candidate("r", j, "text", s),), True) for i, (j, s) in enumerate(pairs)]


def test_one_to_one_in_order_and_similar_is_a_translation():
    found = classify_reference(alignments([(0, 0.9), (1, 0.8), (2, 0.85), (3, 0.75)]), 4, 4)
    assert found.kind == "translation" and found.one_to_one == 1.0 and found.monotone == 1.0


def test_loose_out_of_order_alignment_is_comparable():
    found = classify_reference(alignments([(5, 0.6), (1, 0.55), (5, 0.7), (0, 0.5)]), 4, 9)
    assert found.kind == "comparable"


def test_in_order_but_dissimilar_is_comparable():
    assert classify_reference(alignments([(0, 0.5), (1, 0.5), (2, 0.6)]), 3, 3).kind == "comparable"


def test_no_alignment_is_comparable():
    assert classify_reference([], 0, 3).kind == "comparable"
