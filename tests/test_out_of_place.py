"""The out-of-place word rule with the real language model and real WordNet."""

import pytest

from repair.engines.language_model import get_language_model
from repair.engines.wordnet import get_wordnet
from repair.proposers.out_of_place import (
    CONFIDENCE, KIND, MARGIN, RULE, Flag, document_flags, drop_covered, flag_proposal, inflected_synonyms,
    quoted_spans, sentence_flags,
)
from repair.records import Document, Evidence, Proposal, Sentence
from repair.text.segment import split_sentences

SPUN = "The city council voted to construct more schools."


@pytest.fixture(scope="module")
def parts():
    wordnet = get_wordnet()
    if wordnet is None:
        pytest.fail("WordNet is needed for these tests (make wordnet)")
    return get_language_model(), wordnet


def flags(text, parts, **options):
    model, wordnet = parts
    return sentence_flags(text, 0, model, wordnet, **options)


def document(text):
    return Document("t", "t.txt", text, text, tuple(split_sentences(text)))


def test_a_synonym_the_model_much_prefers_flags_the_word_with_its_alternatives(parts):
    [flag] = flags(SPUN, parts)
    assert (flag.word, SPUN[flag.start:flag.end]) == ("construct", "construct")
    assert flag.alternatives[0][0] == "build" and flag.gain >= MARGIN
    assert [g for _, g in flag.alternatives] == sorted((g for _, g in flag.alternatives), reverse=True)
    assert all(g > 0 for _, g in flag.alternatives)


def test_a_fluent_sentence_has_no_flag(parts):
    assert flags("The city council voted to build more schools.", parts) == []
    assert flags("The minister said the talks would continue next week.", parts) == []


def test_the_margin_decides(parts):
    [flag] = flags(SPUN, parts)
    assert flags(SPUN, parts, margin=flag.gain + 0.01) == []


def test_candidates_are_inflected_to_the_words_form(parts):
    _, wordnet = parts
    assert "built" in inflected_synonyms("constructed", wordnet)
    assert "building" in inflected_synonyms("constructing", wordnet)
    assert "build" in inflected_synonyms("construct", wordnet)


def test_names_numbers_quotes_reference_words_and_covered_spans_are_never_flagged(parts):
    text = "The city council voted to Construct more schools."
    assert flags(text, parts) == []  # a capital: maybe a name
    assert flags("The city council voted to “construct” more schools.", parts) == []
    assert flags(SPUN, parts, skip_lemmas=frozenset({"construct"})) == []
    at = SPUN.index("construct")
    assert flags(SPUN, parts, covered=[(at, at + 4)]) == []
    assert flags("The city council voted 12 to 3 for more schools in May.", parts) == []


def test_quoted_spans_pair_their_marks():
    text = 'He said “go now” and "stay" then.'
    spans = quoted_spans(text, 10)
    assert [text[s - 10:e - 10] for s, e in spans] == ["“go now”", '"stay"']


def test_document_flags_use_document_offsets_and_the_references_words(parts):
    model, wordnet = parts
    text = "Schools were full. " + SPUN
    doc = document(text)
    found = document_flags(doc, model=model, wordnet=wordnet)
    [flag] = found[1]
    assert text[flag.start:flag.end] == "construct" and found[0] == []
    reference = document("Officials plan to construct a new bridge.")
    assert document_flags(doc, [reference], model=model, wordnet=wordnet)[1] == []


def test_without_wordnet_nothing_is_flagged(monkeypatch):
    from repair.proposers import out_of_place

    monkeypatch.setattr(out_of_place, "get_wordnet", lambda: None)
    assert out_of_place.document_flags(document(SPUN)) == {}


def test_a_flag_is_a_word_proposal_that_edits_nothing():
    sentence = Sentence(0, 0, len(SPUN), SPUN, 0)
    at = SPUN.index("construct")
    p = flag_proposal(Flag(at, at + 9, "construct", (("build", 4.5), ("make", 1.6))), sentence)
    assert (p.kind, p.original, p.replacement, p.confidence) == (KIND, "construct", "construct", CONFIDENCE)
    assert not p.is_edit and p.evidence.rule_id == RULE
    assert "“build” (+4.5)" in p.reason and "“make” (+1.6)" in p.reason
    data = p.to_dict()
    assert data["evidence"]["alternatives"] == [{"word": "build", "gain": 4.5}, {"word": "make", "gain": 1.6}]
    assert Proposal.from_dict(data) == p


def test_a_flag_inside_another_proposals_span_is_dropped():
    def proposal(kind, start, end):
        return Proposal("", kind, 0, start, end, "x", "y" if kind == "grammar" else "x", "", Evidence(), 0.5)

    word = proposal(KIND, 10, 19)
    kept = proposal(KIND, 30, 35)
    edit = proposal("grammar", 5, 12)
    cleanup = proposal("cleanup", 30, 31)
    assert drop_covered([word, kept, edit, cleanup]) == [kept, edit, cleanup]


def test_a_run_without_wordnet_works_says_so_in_one_note_and_flags_nothing(tmp_path, languagetool_url):
    import json

    from conftest import SEED_REFERENCE, SEED_TARGET
    from test_cli import mtrepair

    empty = tmp_path / "wordnet"
    empty.mkdir()
    out = tmp_path / "run"
    result = mtrepair("run", str(SEED_TARGET), "--reference", str(SEED_REFERENCE), "--out", str(out),
                      env_extra={"MTREPAIR_LANGUAGETOOL_URL": languagetool_url, "MTREPAIR_WORDNET": str(empty)})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output and "ERROR" not in output
    notes = [line for line in output.splitlines() if "MTREPAIR_WORDNET" in line]
    assert notes == [f"note: MTREPAIR_WORDNET={empty} lacks index.noun, data.noun, index.verb, data.verb, index.adj, "
                     "data.adj, index.adv, data.adv, so no out-of-place word is flagged"]
    proposals = json.loads((out / "proposals.json").read_text())["proposals"]
    assert proposals and not [p for p in proposals if p["kind"] == KIND]
    sentences = json.loads((out / "sentences.json").read_text())["sentences"]
    assert sentences and all(s["flags"] == [] and s["lm_score"] < 0 for s in sentences)
