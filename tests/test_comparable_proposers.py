"""The comparable-reference proposers of issue 11: tenses, concepts, paraphrase, consistency.

Own hand-written fixtures (never comparable-dev text). The structural filters are
checked with a fake embedding that calls every pair of phrases identical, so that
only the filter under test can turn a proposal down; the positive cases use the
real model.
"""

import numpy as np
import pytest

from repair.decide.facts import guard_facts
from repair.proposers.concepts import concept_proposals
from repair.proposers.consistency import consistency_proposals
from repair.proposers.paraphrase import clauses, paraphrase_proposals
from repair.proposers.registry import ProposalContext, proposer_names, run_proposers
from repair.proposers.tenses import tense_proposals
from repair.records import Alignment, Candidate, Document
from repair.text.segment import split_sentences


def doc(name, text):
    return Document(name, name, text, text, split_sentences(text))


def aligned(target, reference, similarity=0.8):
    """Each target sentence aligned to the reference sentence of the same index."""
    return [Alignment(s.index, (Candidate(reference.name, s.index, reference.sentences[s.index].text, similarity),), True)
            for s in target.sentences]


def same_everything(phrases):
    """A fake embedding: every phrase has the same unit vector (similarity 1 between any two)."""
    return np.ones((len(phrases), 4), dtype=np.float32) / 2


@pytest.fixture(scope="module")
def model():
    from repair.config import Settings
    from repair.engines import resources

    return resources.get_embedder(Settings.from_env()).encode_phrases


def test_the_new_proposers_are_registered_in_order():
    names = proposer_names()
    assert names.index("tenses") < names.index("concepts") < names.index("paraphrase") < names.index("consistency")


# -- tenses ---------------------------------------------------------------------------------------


def test_reported_modal_takes_the_references_modal():
    target = doc("t", "The mayor said the city should raise the bus fares next spring.")
    reference = doc("r", "The mayor said the city would raise bus fares in the spring.")
    [p] = tense_proposals(target, aligned(target, reference))
    assert (p.original, p.replacement) == ("should", "would")
    assert target.text[p.start : p.end] == "should"
    assert p.evidence.rule_id == "reference:tense"
    assert p.evidence.reference_sentence == reference.sentences[0].text
    assert p.confidence < 0.5


def test_no_modal_change_without_reported_speech():
    target = doc("t", "The city should raise the bus fares next spring.")
    reference = doc("r", "The city would raise bus fares in the spring.")
    assert tense_proposals(target, aligned(target, reference)) == []


def test_no_modal_change_when_negation_or_verb_differs():
    reference = doc("r", "The mayor said the city would raise bus fares in the spring.")
    for text in ("The mayor said the city should not raise the bus fares next spring.",
                 "The mayor said the city should cut the bus fares next spring."):
        target = doc("t", text)
        assert tense_proposals(target, aligned(target, reference)) == []


def test_direct_speech_keeps_its_modal_against_reported_speech():
    target = doc("t", "The mayor said: “The city will raise the bus fares.”")
    reference = doc("r", "The mayor said the city would raise the bus fares.")
    assert tense_proposals(target, aligned(target, reference)) == []


def test_present_reporting_verb_takes_the_references_past():
    target = doc("t", "The mayor says the new ferry timetable is a mistake.")
    reference = doc("r", "The mayor said the ferry timetable was a mistake.")
    [p] = tense_proposals(target, aligned(target, reference))
    assert (p.original, p.replacement) == ("says", "said")


def test_loose_alignment_proposes_nothing():
    target = doc("t", "The mayor said the city should raise the bus fares next spring.")
    reference = doc("r", "The mayor said the city would raise bus fares in the spring.")
    assert tense_proposals(target, aligned(target, reference, similarity=0.4)) == []


# -- concepts -------------------------------------------------------------------------------------


def test_concept_without_shared_anchor_takes_the_references_word(model):
    target = doc("t", "Officials at the regional hospital treated the injured youngsters overnight after the storm.")
    reference = doc("r", "The injured children were treated overnight at a regional clinic, officials said after the storm.")
    proposals = concept_proposals(target, aligned(target, reference, 0.75), model)
    pairs = {(p.original, p.replacement) for p in proposals}
    assert ("youngsters", "children") in pairs
    for p in proposals:
        assert target.text[p.start : p.end] == p.original
        assert p.evidence.rule_id == "reference:concept"
        assert p.confidence < 0.5


def test_concept_needs_the_same_inflection():
    target = doc("t", "The league is banning the club from the cup this season.")
    reference = doc("r", "Sanctions keep the club out of the cup this season.")
    assert all(p.original != "banning" for p in concept_proposals(target, aligned(target, reference), same_everything))


def test_concept_leaves_names_numbers_and_quotes_alone():
    target = doc("t", "Yesterday Brandt said the harbour was “ruined” by 40 storms.")
    reference = doc("r", "Yesterday Keller said the port was “wrecked” by 40 gales.")
    originals = {p.original for p in concept_proposals(target, aligned(target, reference), same_everything)}
    assert not originals & {"Brandt", "ruined", "40"}


def test_concept_needs_a_neighbour_in_the_same_place():
    target = doc("t", "The harbour board approved a timetable.")
    reference = doc("r", "Ferries will run on Sundays, the council decided.")
    assert concept_proposals(target, aligned(target, reference), same_everything) == []


def test_near_copies_are_left_to_copies():
    target = doc("t", "The harbour board approved the new ferry timetable on Tuesday.")
    reference = doc("r", "The harbour board adopted the new ferry timetable on Tuesday.")
    assert concept_proposals(target, aligned(target, reference), same_everything) == []


# -- paraphrase -----------------------------------------------------------------------------------


def test_clauses_are_cut_at_punctuation_and_conjunctions():
    text = "After the match, the coach called out the referee's mistake and demanded a review."
    assert [c.text for c in clauses(text, 10)] == ["After the match", "the coach called out the referee's mistake",
                                                   "demanded a review"]
    assert all(text[c.start - 10 : c.end - 10] == c.text for c in clauses(text, 10))


def test_mangled_clause_takes_the_references_paraphrase(model):
    target = doc("t", "After the long match on the coast, the coach called out the referee's mistake and he went home.")
    reference = doc("r", "The coach said the referee had made a mistake, according to several reporters at the ground.")
    [p] = paraphrase_proposals(target, aligned(target, reference, 0.7), model)
    assert p.original == "the coach called out the referee's mistake"
    assert p.replacement == "the coach said the referee had made a mistake"
    assert p.evidence.rule_id == "reference:paraphrase"
    assert p.confidence <= 0.4


def test_paraphrase_only_when_numbers_and_names_agree():
    target = doc("t", "In the end, the club paid Brandt 12 million for the ferry and he went home.")
    for other in ("The club paid Keller 12 million for the boat, reporters said on the quay.",
                  "The club paid Brandt 14 million for the boat, reporters said on the quay."):
        reference = doc("r", other)
        assert paraphrase_proposals(target, aligned(target, reference), same_everything) == []


# -- consistency ----------------------------------------------------------------------------------

ARTICLE = ("The coach Alexei Smirnov arrived on Monday. Fans cheered when Alexei Smirnov waved. "
           "Later the coach Alexey Smirnov left the ground.")


def test_the_article_majority_spelling_without_a_reference():
    target = doc("t", ARTICLE)
    [p] = consistency_proposals(target, {})
    assert (p.original, p.replacement) == ("Alexey", "Alexei")
    assert target.text[p.start : p.end] == "Alexey"
    assert p.evidence.rule_id == "reference:consistency"
    assert p.confidence <= 0.3


def test_the_reference_spelling_wins_over_the_majority():
    target = doc("t", ARTICLE)
    reference = doc("r", "Alexey Smirnov, the coach, left on Monday.")
    proposals = consistency_proposals(target, {"r": reference})
    assert [(p.original, p.replacement) for p in proposals] == [("Alexei", "Alexey"), ("Alexei", "Alexey")]


def test_the_fact_guard_keeps_a_respelling_as_an_edit():
    target = doc("t", ARTICLE)
    reference = doc("r", "Alexey Smirnov, the coach, left on Monday.")
    guarded = guard_facts(target, consistency_proposals(target, {"r": reference}))
    assert all(p.kind == "reference" and p.is_edit for p in guarded)
    assert all("respelling" in p.evidence.note for p in guarded)


def test_a_tie_or_two_words_is_left_alone():
    tie = doc("t", "The coach Alexei Smirnov arrived. Later the coach Alexey Smirnov left.")
    assert consistency_proposals(tie, {}) == []
    words = doc("t", "The talks in Russia went on. The Russian side left, and the Russian envoy stayed.")
    assert consistency_proposals(words, {}) == []


def test_a_quotation_mark_between_modal_and_verb_is_skipped():
    target = doc("t", "Later the mayor said the city should raise the fares.")
    reference = doc("r", "The mayor said the city would “raise the fares” soon.")
    [p] = tense_proposals(target, aligned(target, reference))
    assert (p.original, p.replacement) == ("should", "would")


def test_a_relative_clause_does_not_replace_a_main_clause():
    target = doc("t", "In the end, the club paid the ferry company a large fee and he went home.")
    for opening in ("Which", "And this"):  # the same clause, once relative, once not
        reference = doc("r", f"{opening} included a large fee for the ferry company, reporters said on the quay.")
        found = paraphrase_proposals(target, aligned(target, reference), same_everything)
        assert bool(found) == (opening != "Which")


def test_translation_references_are_left_to_the_sentence_proposer():
    from repair.alignment.reference_type import ReferenceType

    target = doc("t", "The mayor said the city should raise the bus fares next spring.")
    reference = doc("r", "The mayor said the city would raise bus fares in the spring.")
    for kind, expected in (("comparable", 1), ("translation", 0)):
        context = ProposalContext(target, (), (), aligned(target, reference), {"r": reference}, same_everything, 0.5,
                                  ReferenceType(kind, 0.8, 1.0, 1.0, 1.0))
        disabled = [n for n in proposer_names() if n != "tenses"]
        assert len(run_proposers(context, disabled)) == expected, kind
