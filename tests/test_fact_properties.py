"""Property: no edit the real pipeline proposes changes a fact, on the seed pair and on WMT21 documents.

The check is `evaluation.fact_safety.violations` (digits, weekday and month names,
currency signs, found without repair.decide.facts) plus repair.decide.facts for names.
"""

from __future__ import annotations

import json

import pytest
from conftest import REPO_DATA

from evaluation.fact_safety import violations
from repair.text.document import prepare_text
from repair.decide.facts import check_proposal
from repair.text.load import LoadedText
from repair.records import Document, Proposal
from repair.text.segment import split_sentences

WMT21 = REPO_DATA / "wmt21-ru-en"
DOCUMENTS = 8
WEAKEST_SYSTEM = "Online-Y"  # the lowest human ranking of WMT21 ru-en: the most edits


def as_document(text: str) -> Document:
    """The text proposals point into, with its sentences (as the pipeline split it)."""
    return Document("text", "text", text, text, split_sentences(text))


def test_oracle_catches_a_changed_day_and_number():
    edit = Proposal("P1", "reference", 0, 0, 10, "on Thursday", "on Tuesday", "r", None, 0.6)
    number = Proposal("P2", "grammar", 0, 0, 4, "1,200", "1,300", "r", None, 0.6)
    same = Proposal("P3", "grammar", 0, 0, 4, "1,200", "1200", "r", None, 0.6)
    words = Proposal("P4", "reference", 0, 0, 4, "lost eight kilograms", "lost 8 kilograms", "r", None, 0.6)
    assert violations([edit, number, same, words]) == [edit, number]


def test_no_seed_edit_changes_a_fact(seed_run):
    _, out = seed_run
    proposals = [Proposal.from_dict(p) for p in json.loads((out / "proposals.json").read_text())["proposals"]]
    assert violations(proposals) == []
    cleaned = (out / "cleaned.txt").read_text(encoding="utf-8")
    document = as_document(cleaned)
    for p in proposals:
        if p.is_edit:
            assert check_proposal(document, p).safe, p
    stopped = [p for p in proposals if p.kind == "flag" and (p.evidence.rule_id or "").startswith("fact:")]
    assert any("Washington" in p.original and "pay a price" in p.evidence.note for p in stopped)


def wmt21_documents(system: str, count: int):
    """(system output lines, reference A as a document) of the first `count` WMT21 news documents."""
    prefix = WMT21 / "newstest2021.ru-en"
    docids = prefix.with_suffix(".ru-en.docids").read_text(encoding="utf-8").splitlines()
    reference_a = prefix.with_suffix(".ru-en.ref.A.en").read_text(encoding="utf-8").splitlines()
    output = (WMT21 / "system-outputs" / f"newstest2021.ru-en.hyp.{system}.en").read_text(encoding="utf-8").splitlines()
    rows: dict[str, list[int]] = {}
    for i, doc in enumerate(docids):
        rows.setdefault(doc, []).append(i)
    for name, lines in list(rows.items())[:count]:
        text = "\n".join(reference_a[i] for i in lines)
        yield [output[i] for i in lines], prepare_text(f"{name} (ref A)", name, LoadedText(text, "utf-8", ())).document


@pytest.mark.skipif(not WMT21.is_dir(), reason="data/wmt21-ru-en is not here")
def test_no_wmt21_edit_changes_a_fact(settings, embedder):
    from repair.engines.grammar import GrammarChecker
    from repair.line_mode import correct_lines

    checker = GrammarChecker(settings.languagetool_url, settings.language, settings.grammar_threads)
    edits = 0
    try:
        for lines, reference in wmt21_documents(WEAKEST_SYSTEM, DOCUMENTS):
            result = correct_lines(lines, [reference], checker, embedder, settings, tokenized=False)
            for text, line_proposals in zip(result.texts, result.proposals):
                assert violations(line_proposals) == []
                document = as_document(text)
                for p in line_proposals:
                    if p.is_edit:
                        edits += 1
                        assert check_proposal(document, p).safe, p
    finally:
        checker.close()
    assert edits > 0, "the documents got no edits at all, so the property was not exercised"
