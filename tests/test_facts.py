"""No edit changes a fact: the classifier, the respelling test and the guard in make_proposals."""

from __future__ import annotations

import pytest

from repair.text.document import prepare_text
from repair.decide.facts import check_edit, facts, guard_facts, is_respelling
from repair.text.load import LoadedText
from repair.decide.propose import make_proposals
from repair.proposers.entities import name_proposals
from repair.records import Evidence, Proposal


def document(text: str, name: str = "target.txt"):
    return prepare_text(name, name, LoadedText(text, "utf-8", ())).document


# Written for this test: two outlets report one meeting, one of them on another day.
TARGET = "The ministers met in Geneva on Thursday. Minister Alexei Petrov said the talks went well.\n"
REFERENCE = "The ministers met in Geneva on Tuesday. Minister Alexey Petrov said talks went well.\n"


def test_thursday_to_tuesday_becomes_a_flag_with_both_versions():
    target, reference = document(TARGET), document(REFERENCE, "reference.txt")
    raw = name_proposals(target, {"reference.txt": reference})
    assert any(p.original == "Thursday" and p.replacement == "Tuesday" for p in raw), "the proposer does suggest it"

    proposals = make_proposals(target, [], [], [], {"reference.txt": reference}, None, 0.5)

    [day] = [p for p in proposals if p.original == "Thursday"]
    assert day.kind == "flag" and not day.is_edit
    assert day.replacement == "Thursday"
    assert day.reason == ("the reference edit “Thursday” → “Tuesday” would change the weekday “Thursday” to “Tuesday”; "
                          "not applied, check which version is right")
    assert "“Tuesday”" in day.evidence.note
    assert day.evidence.rule_id == "fact:weekday"
    assert not any(p.is_edit and "Tuesday" in p.replacement for p in proposals)


def test_respelling_of_the_same_name_stays_an_edit_and_is_labelled():
    target, reference = document(TARGET), document(REFERENCE, "reference.txt")
    proposals = make_proposals(target, [], [], [], {"reference.txt": reference}, None, 0.5)
    [name] = [p for p in proposals if p.original == "Alexei"]
    assert name.is_edit and name.replacement == "Alexey"
    assert "respelling of the same name: Alexei / Alexey" in name.evidence.note


@pytest.mark.parametrize(
    "original, replacement, kind",
    [
        ("on Thursday", "on Tuesday", "weekday"),
        ("in March", "in May", "month"),
        ("12 people", "15 people", "number"),
        ("twelve people", "fifteen people", "number"),
        ("1,200 troops", "1,300 troops", "number"),
        ("$5 million", "€5 million", "currency"),
        ("5 dollars", "5 roubles", "currency"),
        ("yesterday", "today", "date"),
        ("said Mr Johnson", "said Mr Jackson", "name"),
        ("flights to Austria", "flights to Australia", "name"),
        ("in Iran", "in Iraq", "name"),
        ("the Russian side", "the Ukrainian side", "name"),
        ("spoke to Smith", "spoke to him", "name"),
        ("the U.S. said", "the UK said", "name"),
        ("on Fridays", "on Friday", "weekday"),
        ("said Grushko", "said Crushed", "name"),
        ("pay the Washington / Moscow price", "pay a price", "name"),
    ],
)
def test_a_changed_fact_is_found(original, replacement, kind):
    check = check_edit(original, replacement)
    assert not check.safe
    assert kind in {k for k, _, _ in check.changed}, check


@pytest.mark.parametrize(
    "original, replacement",
    [
        ("pay the price", "pay a price"),
        ("murder", "killer"),
        ("1,200 troops", "1200 troops"),
        ("on thursday", "on Thursday"),
        ("five people", "5 people"),
        ("$5", "5 dollars"),
        ("twenty-five", "25"),
        ("Navalny's lawyer", "Navalny lawyer"),
        ("may come", "might come"),
        ("the troops march", "the troops walk"),
        ("a draconian law", "a Draconian law"),
        ("The talks", "These talks"),
        ("the United States", "the U.S."),
        ("the EU", "the European Union"),
        ("rub it in", "rub it"),
        ("$5", "USD 5"),
    ],
)
def test_an_edit_without_a_fact_change_is_safe(original, replacement):
    assert check_edit(original, replacement, starts_sentence=True).safe


@pytest.mark.parametrize(
    "a, b",
    [("Alexei", "Alexey"), ("Navalny", "Navalni"), ("Kiev", "Kyiv"), ("Zelensky", "Zelenskyy"), ("Mohammed", "Muhammad"),
     ("Sergei", "Sergey"), ("Lavrov", "Lavrow"), ("Zürich", "Zurich"), ("Niinistö", "Niinisto"), ("OeVP", "ÖVP")],
)
def test_respellings_of_one_name(a, b):
    assert is_respelling(a, b)
    check = check_edit(f"said {a}", f"said {b}")
    assert check.safe and check.respelled == ((a, b),)


@pytest.mark.parametrize("a, b", [("Austria", "Australia"), ("Iran", "Iraq"), ("Thursday", "Tuesday"), ("Jan", "Jon"),
                                  ("Johnson", "Jackson"), ("Paris", "Parish"), ("Moscow", "Minsk"),
                                  # a spelling checker turning a name it does not know into another name or a word
                                  ("Kaikkonen", "Raikkonen"), ("Myint", "Mint"), ("Henman", "Herman"), ("Lasaga", "Lasagna")])
def test_different_names_are_not_respellings(a, b):
    assert not is_respelling(a, b)


def test_sentence_opening_words_are_names_only_when_known_or_rare():
    assert [f.kind for f in facts("However the talks")] == []
    assert [f.value for f in facts("Navalny said")] == ["navalny"]
    assert [f.value for f in facts("Moscow said", names=frozenset({"moscow"}))] == ["moscow"]
    assert [f.value for f in facts("talks in Moscow. Washington said")] == ["moscow"]


def test_guard_passes_flags_cleanup_and_safe_edits_unchanged():
    target = document("Ministers met in Geneva on Thursday to pay the price.\n")
    start = target.text.index("the price")
    edit = Proposal("", "reference", 0, start, start + 9, "the price", "a price", "r", Evidence(rule_id="reference:phrase"), 0.7)
    flag = Proposal("", "flag", 0, 0, 9, "Ministers", "Ministers", "f", Evidence(), 0.5)
    applied = Proposal("", "cleanup", 0, 0, 9, "Ministers", "Ministers", "c", Evidence(), 0.95, applied=True)
    assert guard_facts(target, [edit, flag, applied]) == [edit, flag, applied]


@pytest.mark.parametrize("original, replacement", [("Becuase", "Because"), ("Forexample", "For example"), ("Ihad", "I had")])
def test_a_misspelt_word_opening_a_sentence_is_no_name(original, replacement):
    """Learner English (JFLEG): the capital comes from the sentence start, and the fix is a common word."""
    assert check_edit(original, replacement, frozenset(), True).changed == ()
    assert check_edit(original, replacement, frozenset({original.casefold()}), True).changed  # capitalised mid-sentence too


@pytest.mark.parametrize("original, replacement", [("Einstien", "Einstein"), ("Japen", "Japan")])
def test_an_unseen_spelling_of_a_common_name_is_a_respelling(original, replacement):
    assert check_edit(original, replacement).changed == ()


@pytest.mark.parametrize("original, replacement", [("Myint", "Mint"), ("Grushko", "Crushed")])
def test_a_known_rare_name_turned_into_a_common_word_is_still_a_change(original, replacement):
    assert check_edit(original, replacement).changed
