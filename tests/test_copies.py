"""Near-copy sentences from a comparable reference (own fixtures, no comparable-dev text)."""

from repair.proposers.copies import copy_proposals, copy_ratio
from repair.records import Alignment, Candidate, Document
from repair.reference_type import ReferenceType
from repair.segment import split_sentences

COMPARABLE = ReferenceType("comparable", 0.6, 0.5, 0.5, 1.0)
TRANSLATION = ReferenceType("translation", 0.9, 1.0, 1.0, 1.0)


def doc(name, text):
    return Document(name, name, text, text, split_sentences(text))


def aligned(target, reference, similarity=0.8):
    return [Alignment(s.index, tuple(Candidate(reference.name, r.index, r.text, similarity) for r in reference.sentences), True)
            for s in target.sentences]


TARGET = "The harbour board approved the new ferry timetable on Tuesday after a lengthy debate. Critics were unhappy."
REFERENCE = "The harbour board adopted the new ferry timetable on Tuesday after a long debate. Locals cheered loudly."


def test_a_near_copy_replaces_the_awkward_sentence():
    target, reference = doc("t", TARGET), doc("r", REFERENCE)
    [p] = copy_proposals(target, aligned(target, reference), COMPARABLE)
    assert p.original == target.sentences[0].text
    assert p.replacement == reference.sentences[0].text
    assert p.evidence.rule_id == "reference:copy"
    assert target.text[p.start : p.end] == p.original
    assert 0.7 <= p.confidence <= 0.9


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
    target = doc("t", TARGET.split(". ")[0] + ". " + TARGET.split(". ")[0].replace("lengthy", "long-winded") + ".")
    reference = doc("r", REFERENCE)
    assert copy_proposals(target, aligned(target, reference), COMPARABLE) == []


def test_a_translation_lends_sentences_elsewhere():
    target, reference = doc("t", TARGET), doc("r", REFERENCE)
    assert copy_proposals(target, aligned(target, reference), TRANSLATION) == []
