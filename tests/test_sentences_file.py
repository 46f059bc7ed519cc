"""sentences.json: every sentence with its language-model score and its out-of-place words."""

import json

from repair.proposers.out_of_place import KIND
from repair.reporting.outputs import sha256_of
from repair.reporting.sentences_file import sentence_entries
from repair.records import Document, Evidence, Proposal
from repair.text.segment import split_sentences


def test_the_seed_run_folder_has_sentences_json_with_its_word_flag(seed_run):
    record, out = seed_run
    doc = json.loads((out / "sentences.json").read_text())
    cleaned = (out / "cleaned.txt").read_text()
    proposals = json.loads((out / "proposals.json").read_text())["proposals"]
    assert doc["run_id"] == record.run_id and doc["schema_version"] == 1
    assert doc["text_sha256"] == sha256_of(cleaned) == record.target["cleaned_sha256"]
    assert record.sha256["sentences.json"] == sha256_of((out / "sentences.json").read_bytes())
    assert [s["index"] for s in doc["sentences"]] == list(range(record.summary["sentences"]))
    for s in doc["sentences"]:
        assert cleaned[s["start"]:s["end"]].strip() and -8 < s["lm_score"] < 0
    flags = [f for s in doc["sentences"] for f in s["flags"]]
    words = {p["id"]: p for p in proposals if p["kind"] == KIND}
    assert flags and len(flags) == len(words)
    for f in flags:
        assert cleaned[f["start"]:f["end"]] == f["word"]
        p = words[f["proposal"]]
        assert (p["start"], p["end"]) == (f["start"], f["end"])
        assert f["alternatives"] == [a["word"] for a in p["evidence"]["alternatives"]]
        assert f["gain"] == p["evidence"]["alternatives"][0]["gain"]
    assert "withdrawn" in [f["word"] for f in flags]  # "Russia has drastically withdrawn its ambassador"


def test_a_word_flag_is_never_applied_by_default(seed_run):
    _, out = seed_run
    proposals = json.loads((out / "proposals.json").read_text())["proposals"]
    repaired = (out / "repaired.txt").read_text()
    for p in proposals:
        if p["kind"] == KIND:
            assert p["replacement"] == p["original"] and p["original"] in repaired
    assert "withdrawn" in repaired


def test_entries_follow_the_sentences_and_carry_their_flags():
    text = "The council met. It voted to construct schools."
    doc = Document("t", "t.txt", text, text, tuple(split_sentences(text)))
    at = text.index("construct")
    flag = Proposal("P0001", KIND, 1, at, at + 9, "construct", "construct", "r",
                    Evidence(rule_id="word:out-of-place", alternatives=(("build", 4.5), ("make", 1.2))), 0.88)
    entries = sentence_entries(doc, [flag])
    assert [(e["start"], e["end"]) for e in entries] == [(s.start, s.end) for s in doc.sentences]
    assert entries[0]["flags"] == []
    assert entries[1]["flags"] == [{"start": at, "end": at + 9, "word": "construct", "alternatives": ["build", "make"],
                                    "gain": 4.5, "proposal": "P0001"}]
    assert entries[0]["lm_score"] < 0
