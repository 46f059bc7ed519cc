"""Near-copy sentences from a comparable reference (own fixtures, no comparable-dev text)."""

from repair.proposers.copies import copy_proposals, copy_ratio
from repair.records import Alignment, Candidate, Document
from repair.alignment.reference_type import ReferenceType
from repair.text.segment import split_sentences

COMPARABLE = ReferenceType("comparable", 0.6, 0.5, 0.5, 1.0)
TRANSLATION = ReferenceType("translation", 0.9, 1.0, 1.0, 1.0)


def doc(name, text):
    return Document(name, name, text, text, split_sentences(text))


def aligned(target, reference, similarity=0.8):
    return [Alignment(s.index, tuple(Candidate(reference.name, r.index, r.text, similarity) for r in reference.sentences), True)
            for s in target.sentences]


TARGET = ("The harbour board approved the new ferry timetable on Tuesday after a lengthy debate. "
          "Boats will now leave the northern pier every forty minutes in the summer. Critics were unhappy.")
REFERENCE = ("The harbour board adopted the new ferry timetable on Tuesday after a long debate. "
             "Boats will now depart the northern pier every forty minutes in summer. Locals cheered loudly.")


def test_a_near_copy_replaces_the_awkward_sentence():
    target, reference = doc("t", TARGET), doc("r", REFERENCE)
    [p, q] = copy_proposals(target, aligned(target, reference), COMPARABLE)
    assert q.replacement == reference.sentences[1].text
    assert p.original == target.sentences[0].text
    assert p.replacement == reference.sentences[0].text
    assert p.evidence.rule_id == "reference:copy"
    assert target.text[p.start : p.end] == p.original
    assert 0.7 <= p.confidence <= 0.9


def test_a_single_close_sentence_is_not_taken_for_republication():
    target, reference = doc("t", TARGET.split(". ")[0] + "."), doc("r", REFERENCE.split(". ")[0] + ".")
    assert copy_ratio(target.text, reference.text) >= 0.8
    assert copy_proposals(target, aligned(target, reference), COMPARABLE) == []


def test_a_sentence_that_only_means_the_same_is_not_a_copy():
    target = doc("t", "Critics were unhappy with the plan.")
    reference = doc("r", "Opponents of the scheme voiced their displeasure.")
    assert copy_ratio(target.text, reference.text) < 0.8
    assert copy_proposals(target, aligned(target, reference), COMPARABLE) == []


def test_a_copy_with_other_numbers_is_left_alone():
    target = doc("t", "The harbour board approved 12 new ferry routes on Tuesday after a lengthy debate.")
    reference = doc("r", "The harbour board approved 14 new ferry routes on Tuesday after a long debate.")
    assert copy_proposals(target, aligned(target, reference), COMPARABLE) == []


def test_one_reference_sentence_repairs_one_target_sentence_only():
    first = TARGET.split(". ")[0]
    target = doc("t", first + ". " + first.replace("lengthy", "long-winded") + ". " + TARGET.split(". ")[1] + ".")
    reference = doc("r", REFERENCE)
    [p] = copy_proposals(target, aligned(target, reference), COMPARABLE)  # the duplicated claim is dropped
    assert p.replacement == reference.sentences[1].text


def test_a_translation_lends_sentences_elsewhere():
    target, reference = doc("t", TARGET), doc("r", REFERENCE)
    assert copy_proposals(target, aligned(target, reference), TRANSLATION) == []
