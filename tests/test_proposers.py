"""Proposal makers on small texts (a fake embedding where only meaning matters)."""

import numpy as np

from repair.proposers.entities import name_proposals, number_flags
from repair.proposers.grammar_fixes import grammar_confidence, grammar_proposals
from repair.proposers.phrases import phrase_proposals
from repair.proposers.quotes import quote_proposals, quoted_spans
from repair.records import Alignment, Candidate, Document, GrammarMatch
from repair.text.segment import split_sentences


def doc(name, text):
    return Document(name, name, text, text, split_sentences(text))


def aligned(target, reference, similarity=0.7):
    return [
        Alignment(s.index, (Candidate(reference.name, 0, reference.sentences[0].text, similarity),), True)
        for s in target.sentences
    ]


def fake_embed(table):
    def embed(texts):
        return np.array([table[t] for t in texts], dtype=np.float32)

    return embed


def test_quoted_spans_drop_edge_punctuation():
    text = "He called him a “killer.” and “ok”"
    assert [w for _, _, w in quoted_spans(text)] == ["killer", "ok"]


def test_quote_gets_the_reference_wording():
    target = doc("t", "Biden called Putin a “murder” on TV.")
    reference = doc("r", "Biden said Putin was a “killer” in an interview.")
    embed = fake_embed({"murder": [1, 0], "killer": [0.8, 0.6]})
    [p] = quote_proposals(target, aligned(target, reference), {"r": reference}, embed, 0.45)
    assert (p.original, p.replacement, p.kind) == ("murder", "killer", "reference")
    assert p.evidence.reference_sentence == reference.sentences[0].text
    assert target.text[p.start : p.end] == "murder"


def test_unrelated_quotes_are_left_alone():
    target = doc("t", "Moscow recalled him for “advice” on ties.")
    reference = doc("r", "Biden said Putin was a “killer” in an interview.")
    embed = fake_embed({"advice": [1, 0], "killer": [0, 1]})
    assert quote_proposals(target, aligned(target, reference), {"r": reference}, embed, 0.45) == []


def test_phrase_with_other_function_words_gets_the_reference_wording():
    target = doc("t", "He said Putin should pay the price for it.")
    reference = doc("r", "Biden said Putin would “pay a price” for interference.")
    [p] = phrase_proposals(target, aligned(target, reference), {"r": reference}, 0.45)
    assert (p.original, p.replacement) == ("pay the price", "pay a price")


def test_phrase_with_content_word_changes_is_not_touched():
    target = doc("t", "The Russian president spoke.")
    reference = doc("r", "The American president spoke today.")
    assert phrase_proposals(target, aligned(target, reference), {"r": reference}, 0.45) == []


def test_name_spelling_follows_the_reference():
    target = doc("t", "The poisoning of Alexei Navalny’s team.")
    reference = doc("r", "Alexey Navalny was poisoned.")
    [p] = name_proposals(target, {"r": reference})
    assert (p.original, p.replacement) == ("Alexei", "Alexey")


def test_conflicting_year_is_flagged_not_edited():
    target = doc("t", "The report on the 2016 election was published.")
    reference = doc("r", "The report on the 2020 election was published.")
    [flag] = number_flags(target, aligned(target, reference, 0.9))
    assert flag.kind == "flag" and flag.original == flag.replacement == "2016"


def test_grammar_confidence_prefers_one_suggestion():
    one = GrammarMatch("R", "m", "GRAMMAR", "grammar", 0, 3, ("has",))
    many = GrammarMatch("R", "m", "TYPOS", "misspelling", 0, 3, ("a", "b", "c"))
    assert grammar_confidence(one, "hav") > grammar_confidence(many, "Hav")


def test_match_without_suggestion_is_a_flag():
    match = GrammarMatch("EN_UNPAIRED_QUOTES", "Unpaired", "PUNCTUATION", "typographical", 0, 1, ())
    [p] = grammar_proposals("“abc", [match])
    assert p.kind == "flag" and not p.is_edit


def test_wording_slot_gets_the_reference_word_when_close_in_meaning():
    from repair.proposers.wording import wording_proposals

    target = doc("t", "Russia has drastically withdrawn its ambassador to Washington.")
    reference = doc("r", "Russia has recalled its ambassador to Washington.")
    embed = fake_embed({"drastically withdrawn": [1, 0], "recalled": [0.8, 0.6]})
    [p] = wording_proposals(target, aligned(target, reference, 0.8), {"r": reference}, embed)
    assert (p.original, p.replacement, p.evidence.rule_id) == ("drastically withdrawn", "recalled", "reference:wording")
    assert target.text[p.start : p.end] == p.original


def test_wording_leaves_numbers_and_unrelated_words_alone():
    from repair.proposers.wording import wording_proposals

    target = doc("t", "The report on the 2016 election was about apples.")
    reference = doc("r", "The report on the 2020 election was about voters.")
    embed = fake_embed({"apples": [1, 0], "voters": [0, 1]})
    assert wording_proposals(target, aligned(target, reference, 0.8), {"r": reference}, embed) == []


def test_whole_sentence_replacement_only_from_a_translation():
    from repair.proposers.sentences import sentence_proposals
    from repair.alignment.reference_type import ReferenceType

    target = doc("t", "His lion pride blew his head off.")
    reference = doc("r", "His overwhelming pride gave him no peace.")
    alignments = aligned(target, reference, 0.6)
    translation = ReferenceType("translation", 0.85, 1.0, 1.0, 1.0)
    comparable = ReferenceType("comparable", 0.55, 0.4, 0.5, 1.6)
    [p] = sentence_proposals(target, alignments, translation, 0.45)
    assert p.replacement == reference.sentences[0].text and p.evidence.rule_id == "reference:sentence"
    assert sentence_proposals(target, alignments, comparable, 0.45) == []


def test_spelling_suggestions_are_ranked_by_the_neighbouring_words():
    from repair.proposers.spelling import rank_suggestions

    assert rank_suggestions(["cigar rets", "cigarettes"], "and", None)[0] == "cigarettes"
