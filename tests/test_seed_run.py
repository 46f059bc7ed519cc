"""End to end on the seed pair, with the real LanguageTool server and the real model."""

import json

from conftest import SEED_TARGET

NAMES_AND_NUMBERS = ["Anatoly Antonov", "Alexei Navalny", "FSB", "2020", "Good Morning America", "1988"]


def load(out, name):
    return (out / name).read_text(encoding="utf-8")


def test_run_writes_every_file(seed_run):
    _, out = seed_run
    for name in ["cleaned.txt", "repaired.txt", "proposals.json", "report.html", "report.md", "run.json"]:
        assert (out / name).stat().st_size > 0, name


def test_boilerplate_is_gone_and_headline_kept(seed_run):
    _, out = seed_run
    cleaned = load(out, "cleaned.txt")
    assert "Back to top button" not in cleaned
    assert "Strong points:" not in cleaned
    assert cleaned.startswith("Joe Biden calls on Russian President Putin to kill")
    assert "“ murder ”" not in cleaned


def test_murder_quote_gets_killer_from_the_reference(seed_run):
    _, out = seed_run
    proposals = json.loads(load(out, "proposals.json"))
    assert proposals["schema_version"] == 1
    [quote] = [p for p in proposals["proposals"] if p["original"] == "murder" and p["replacement"] == "killer"]
    assert quote["kind"] == "reference"
    assert "“killer”" in quote["evidence"]["reference_sentence"]
    assert quote["evidence"]["reference_document"] == "003_985378199c8bf71d.txt"
    assert 0 < quote["evidence"]["similarity"] <= 1
    assert quote["confidence"] >= 0.5
    assert "“killer”" in load(out, "repaired.txt")


def test_pay_the_price_gets_the_reference_wording(seed_run):
    _, out = seed_run
    proposals = json.loads(load(out, "proposals.json"))["proposals"]
    assert any(p["original"] == "pay the price" and p["replacement"] == "pay a price" for p in proposals)


def test_every_proposal_points_into_the_cleaned_text(seed_run):
    _, out = seed_run
    cleaned = load(out, "cleaned.txt")
    source = SEED_TARGET.read_text(encoding="utf-8")
    for p in json.loads(load(out, "proposals.json"))["proposals"]:
        assert 0 <= p["confidence"] <= 1
        assert p["kind"] in {"cleanup", "grammar", "reference", "flag", "word"}
        if p["kind"] == "cleanup":
            assert cleaned[p["start"] : p["end"]] == p["replacement"]
            assert p["original"] in source
        else:
            assert cleaned[p["start"] : p["end"]] == p["original"], p


def test_no_fact_is_lost(seed_run):
    _, out = seed_run
    repaired = load(out, "repaired.txt")
    for fact in NAMES_AND_NUMBERS:
        assert fact in repaired, fact


def test_paragraphs_are_kept(seed_run):
    _, out = seed_run
    assert load(out, "repaired.txt").count("\n") == load(out, "cleaned.txt").count("\n")


def test_run_json_records_versions_settings_and_timings(seed_run):
    record, out = seed_run
    run = json.loads(load(out, "run.json"))
    assert run["versions"]["languagetool"][0].isdigit()
    assert run["versions"]["model"] == "all-MiniLM-L6-v2"
    assert {"prepare", "grammar", "embed", "align", "propose", "report"} <= set(run["timings"])
    assert run["summary"]["by_kind"]["cleanup"] >= 3
    assert run["summary"] == record.summary


def test_report_shows_the_quote_repair(seed_run):
    _, out = seed_run
    html = load(out, "report.html")
    assert "<del>murder</del><ins>killer</ins>" in html
    assert "Content-Security-Policy" in html
    md = load(out, "report.md")
    assert "~~murder~~**killer**" in md


def test_run_json_records_how_each_reference_was_used(seed_run):
    record, _ = seed_run
    [reference] = record.references
    assert reference["used"] and not reference["identical"]
    assert record.summary["coverage"]["sentences"] == record.summary["sentences"]
    assert record.summary["coverage"]["supported"] >= 0.8 * record.summary["sentences"]
