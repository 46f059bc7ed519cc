"""Bad input, as a user meets it: one clear line, a non-zero exit, nothing written.

Every unusable input is run through the real command line (`python -m mtrepair
run` in a subprocess); these fail before the model loads, so they are cheap.
Inputs that are odd but usable (legacy encodings, a byte-order mark, control
characters, no punctuation, a 10,000-word sentence, an identical or unrelated
reference) go through the real flow in this process, with the session's
LanguageTool server and model, and must finish with what happened said in
run.json's notes and in the report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SEED_REFERENCE, SEED_TARGET
from repair.reporting.outputs import verify_run
from repair.text.segment import MAX_SENTENCE_CHARS

ENGLISH = SEED_TARGET.read_text(encoding="utf-8")
GERMAN = (
    "Der russische Präsident hat am Montag seinen Botschafter aus Washington zurückgerufen, nachdem der "
    "amerikanische Präsident ihn einen Mörder genannt hatte. Die Beziehungen seien in einer Sackgasse.\n"
)


def mtrepair(*args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "mtrepair", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600
    )


def _write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# name of the case -> (how to make the target file, what the error line must say)
TARGETS = {
    "missing path": (lambda d: d / "missing.txt", "missing.txt: no such file"),
    "directory": (lambda d: (d / "folder").mkdir() or d / "folder", "folder: is a directory, not a file"),
    "empty file": (lambda d: _write(d, "empty.txt", b""), "empty.txt: is empty"),
    "whitespace only": (lambda d: _write(d, "blank.txt", " \n\t\n  \n"), "blank.txt: contains only whitespace"),
    "binary file": (
        lambda d: _write(d, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8),
        "photo.txt: looks like a binary file, not text",
    ),
    "undetectable encoding": (
        lambda d: _write(d, "noise.txt", bytes(range(0x80, 0x100)) * 40),
        "noise.txt: is not UTF-8 and its encoding could not be detected reliably",
    ),
    "far too large": (
        lambda d: _write(d, "huge.txt", "All work and no play makes Jack a dull boy.\n" * 500_000),  # 22 MB
        "huge.txt: is 22,000,000 bytes; the limit for one article is 1,000,000 bytes",
    ),
    "HTML page named .txt": (
        lambda d: _write(d, "page.txt", "<!DOCTYPE html>\n<html><head><title>News</title></head>\n<body><p>"
                         + ENGLISH[:500] + "</p></body></html>\n"),
        "page.txt: looks like HTML markup, not plain text",
    ),
    "article in German": (lambda d: _write(d, "de.txt", GERMAN), "de.txt: is in German, not English"),
    "article in Russian (cp1251)": (
        lambda d: _write(d, "ru.txt", ("Президент России отозвал посла из Вашингтона. " * 5).encode("cp1251")),
        "ru.txt: is not in English: most of its letters are in Cyrillic script",
    ),
}


def assert_one_clear_line(result, expected):
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mtrepair: error: ") and expected in lines[0], lines[0]
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("case", sorted(TARGETS))
def test_an_unusable_target_is_one_clear_line_and_nothing_is_written(tmp_path, case):
    make, expected = TARGETS[case]
    target = make(tmp_path)
    out = tmp_path / "out"
    result = mtrepair("run", str(target), "--reference", str(SEED_REFERENCE), "--out", str(out))
    assert_one_clear_line(result, expected)
    assert not out.exists()


def test_an_unusable_reference_is_named_too(tmp_path):
    reference = _write(tmp_path, "ref-de.txt", GERMAN)
    out = tmp_path / "out"
    result = mtrepair("run", str(SEED_TARGET), "--reference", str(reference), "--out", str(out))
    assert_one_clear_line(result, "ref-de.txt: is in German, not English")
    assert not out.exists()


@pytest.mark.parametrize(
    "model, expected",
    [
        ("/nonexistent/model", "model folder /nonexistent/model does not exist"),
        ("broken", "config.json is not valid JSON"),
        ("no-weights", "has no weights file"),
        ("not-a-cached-model", "model 'not-a-cached-model' is neither a folder nor in the local Hugging Face cache"),
    ],
)
def test_a_missing_or_broken_model_fails_at_the_start(tmp_path, model, expected):
    if model == "broken":
        (tmp_path / "broken").mkdir()
        (tmp_path / "broken" / "config.json").write_text("{not json")
        model = str(tmp_path / "broken")
    elif model == "no-weights":
        (tmp_path / "no-weights").mkdir()
        (tmp_path / "no-weights" / "config.json").write_text("{}")
        model = str(tmp_path / "no-weights")
    out = tmp_path / "out"
    result = mtrepair("run", str(SEED_TARGET), "--reference", str(SEED_REFERENCE), "--out", str(out),
                      env_extra={"MTREPAIR_MODEL": model})
    assert_one_clear_line(result, expected)
    assert not out.exists()  # before any work: no folder, no LanguageTool, no grammar


@pytest.mark.parametrize("where", ["a file", "inside a file"])
def test_an_output_folder_that_cannot_be_written_is_one_clear_line(tmp_path, languagetool_url, where):
    blocker = _write(tmp_path, "blocker", "not a folder")
    out = blocker if where == "a file" else blocker / "run"
    result = mtrepair("run", str(SEED_TARGET), "--reference", str(SEED_REFERENCE), "--out", str(out),
                      env_extra={"MTREPAIR_LANGUAGETOOL_URL": languagetool_url})
    assert_one_clear_line(result, "blocker")
    assert blocker.read_text() == "not a folder"


# --- odd but usable input: the real flow, in this process -------------------------------------------------


@pytest.fixture
def run_pair(tmp_path, settings, embedder):
    """Run the real flow on a target (text or bytes) and references; return (record, run folder)."""
    from flows.repair_pair import repair_pair

    def run(target, *references, name="target.txt"):
        target_path = _write(tmp_path, name, target)
        reference_paths = [_write(tmp_path, f"reference-{n}.txt", ref) if not hasattr(ref, "read_text") else ref
                           for n, ref in enumerate(references)]
        out = tmp_path / "run"
        record = repair_pair(str(target_path), [str(p) for p in reference_paths], str(out), settings,
                             publish_artifact=False)
        assert verify_run(out)["run_id"] == record.run_id
        return record, out

    return run


def notes_everywhere(record, out, fragment):
    """A note must reach run.json, report.html and report.md."""
    assert any(fragment in note for note in record.notes), record.notes
    assert fragment in (out / "report.html").read_text(encoding="utf-8")
    assert fragment in (out / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "encoding, note",
    [("cp1252", "decoded from cp1252"), ("latin-1-like", "decoded from mixed UTF-8 and cp1252"),
     ("utf-8-sig", "removed UTF-8 byte-order mark")],
)
def test_legacy_encodings_and_a_byte_order_mark_are_read_and_said(run_pair, encoding, note):
    if encoding == "latin-1-like":  # the headline pasted as UTF-8, the body saved as cp1252
        headline, body = ENGLISH.split("\n", 1)
        data = (headline + " — café\n").encode("utf-8") + body.encode("cp1252")
    else:
        data = ENGLISH.encode(encoding)
    record, out = run_pair(data, SEED_REFERENCE)
    notes_everywhere(record, out, note)
    cleaned = (out / "cleaned.txt").read_text(encoding="utf-8")
    assert "“killer.”" in cleaned and "\ufeff" not in cleaned
    assert record.summary["by_kind"]["reference"] > 0


def test_control_characters_and_direction_marks_are_dropped_and_said(run_pair):
    hostile = ENGLISH.replace("Moscow", "Mos\u202ecow\u200f", 3).replace("Biden", "Bi\x07den\x1b", 2)
    record, out = run_pair(hostile, SEED_REFERENCE)
    notes_everywhere(record, out, "control or direction characters")
    for name in ("cleaned.txt", "repaired.txt", "report.html", "report.md"):
        text = (out / name).read_text(encoding="utf-8")
        assert not any(ch in text for ch in "\u202e\u200f\x07\x1b"), name


def test_an_article_without_sentence_punctuation_is_split_by_lines(run_pair):
    lines = [line.rstrip(".!?") for line in ENGLISH.replace(". ", " ").splitlines()]
    record, out = run_pair("\n".join(lines), SEED_REFERENCE)
    assert record.summary["sentences"] >= 5
    assert record.grammar["skipped_sentences"] == []


def test_one_sentence_of_ten_thousand_words_is_cut_and_checked(run_pair):
    words = ENGLISH.replace(".", "").split()
    sentence = " ".join(words[i % len(words)] for i in range(10_000)) + "."
    record, out = run_pair(sentence, SEED_REFERENCE)
    proposals = json.loads((out / "proposals.json").read_text(encoding="utf-8"))["proposals"]
    cleaned = (out / "cleaned.txt").read_text(encoding="utf-8")
    assert record.summary["sentences"] >= len(sentence) // MAX_SENTENCE_CHARS
    assert record.grammar["skipped_sentences"] == []
    assert all(cleaned[p["start"] : p["end"]] == p["original"] for p in proposals if p["kind"] != "cleanup")


def test_a_reference_identical_to_the_target_guides_nothing_and_is_said(run_pair):
    record, out = run_pair(ENGLISH, ENGLISH.replace("\n\n", "\n"))
    notes_everywhere(record, out, "is identical to the target")
    assert record.summary["by_kind"]["reference"] == 0
    assert record.summary["by_kind"]["flag"] == 0
    assert record.references[0]["identical"] and not record.references[0]["used"]


OTHER_EVENT = """Heavy rain floods Valencia as storms sweep eastern Spain
Torrential rain flooded streets in Valencia on Tuesday, trapping drivers in their cars.
Emergency services rescued dozens of people from rooftops in nearby towns.
Train services between Madrid and Valencia were suspended until further notice.
Forecasters warned that more storms would arrive later in the week.
Schools in the region will stay closed on Wednesday, the regional government said.
Farmers reported heavy damage to orange groves along the coast.
"""


def test_a_reference_on_another_event_guides_nothing_and_low_coverage_is_said(run_pair):
    record, out = run_pair(ENGLISH + "\nHe have a car. She go home every days.\n", OTHER_EVENT)
    notes_everywhere(record, out, "seems to be about a different event")
    coverage = record.summary["coverage"]
    assert coverage["supported"] == 0 and coverage["sentences"] == record.summary["sentences"]
    assert f"coverage: 0 of {coverage['sentences']} sentences supported" in " ".join(record.notes)
    assert record.summary["by_kind"]["reference"] == 0
    # No reference flag either; the only flags allowed are the fact guard's, on LanguageTool edits that would
    # change a name (without a reference that spells them, "Anatoly" gets the suggestion "Anatomy").
    flags = [p for p in json.loads((out / "proposals.json").read_text())["proposals"] if p["kind"] == "flag"]
    assert all(p["evidence"]["rule_id"].startswith("fact:") for p in flags), flags
    assert record.summary["by_kind"]["grammar"] > 0  # grammar still runs on the target: "He have"


def test_an_unrelated_reference_does_not_spoil_a_good_one(run_pair):
    record, out = run_pair(ENGLISH, SEED_REFERENCE, OTHER_EVENT)
    assert [r["used"] for r in record.references] == [True, False]
    assert record.summary["by_kind"]["reference"] > 0
    assert record.summary["coverage"]["supported"] > record.summary["coverage"]["sentences"] // 2


def test_a_model_that_passes_the_checks_but_cannot_load_fails_before_languagetool_works(tmp_path, monkeypatch, settings):
    from dataclasses import replace

    from repair.engines import resources
    from flows.repair_pair import repair_pair
    from repair.errors import SetupError

    model = tmp_path / "corrupt-model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    (model / "model.safetensors").write_bytes(b"\x00" * 64)

    def no_languagetool(_settings):
        raise AssertionError("LanguageTool was asked for before the model loaded")

    monkeypatch.setattr(resources, "languagetool_url", no_languagetool)
    monkeypatch.setattr(resources, "get_checker", no_languagetool)
    out = tmp_path / "run"
    with pytest.raises(SetupError, match="cannot load the model") as failure:
        repair_pair(str(SEED_TARGET), [str(SEED_REFERENCE)], str(out), replace(settings, model=str(model)),
                    publish_artifact=False)
    assert "\n" not in str(failure.value)
    assert not out.exists()
