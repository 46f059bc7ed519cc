"""The review page shows every sentence's best reference sentences, with or without proposals."""

from repair.reporting.outputs import run_files
from repair.reporting.run_record import RunRecord
from repair.records import Alignment, Candidate, Document, Evidence, Proposal
from repair.text.segment import split_sentences

TARGET = "The harbour board aproved the timetable. Critics were unhappy with it."
REFERENCE_SENTENCES = ["The harbour board adopted the new timetable.", "Opponents voiced their displeasure."]


def test_every_sentence_lists_its_reference_sentences():
    target = Document("t.txt", "t.txt", TARGET, TARGET, split_sentences(TARGET))
    alignments = [
        Alignment(0, (Candidate("r.txt", 0, REFERENCE_SENTENCES[0], 0.81),), True),
        Alignment(1, (Candidate("r.txt", 1, REFERENCE_SENTENCES[1], 0.62), Candidate("r.txt", 0, REFERENCE_SENTENCES[0], 0.2)), True),
    ]
    start = TARGET.index("aproved")
    proposal = Proposal("P0001", "grammar", 0, start, start + 7, "aproved", "approved", "spelling",
                        Evidence(rule_id="MORFOLOGIK_RULE_EN_US"), 0.9)
    run = RunRecord.from_dict({
        "schema_version": 1, "run_id": "abc", "created": "2026-12-02T00:00:00+00:00",
        "target": {"name": "t.txt", "path": "t.txt", "cleaned_sha256": "0" * 64},
        "references": [{"name": "r.txt", "path": "r.txt", "sentences": 2}], "reference_type": None,
        "settings": {"model": "m"}, "versions": {"mtrepair": "0", "languagetool": "6.7"}, "timings": {},
        "startup": {}, "grammar": {}, "notes": [], "out_dir": "out",
    })
    files = run_files(run, TARGET, [proposal], alignments, 0.7, target)
    html = files["report.html"]
    with_proposal, without = html.split("sentences without proposals")
    assert "Opponents voiced their displeasure." not in with_proposal.split("best reference sentences", 1)[0]
    assert "The harbour board adopted the new timetable." in with_proposal  # sentence 1, which has a proposal
    assert "Opponents voiced their displeasure." in without  # sentence 2, which has none
    assert "similarity 0.62" in without
