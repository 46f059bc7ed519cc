"""The output folder of a batch: which drops need work, error.json, and the index pages."""

import json
from urllib.parse import quote

from test_drops import make_drop

from repair.batch.batch_index import (
    index_document,
    index_if_nothing_to_do,
    is_done,
    plan,
    run_dir,
    write_error,
    write_index,
)
from repair.config import Settings
from repair.batch.drops import scan_drops
from repair.reporting.run_record import RunRecord

SUMMARY = {"proposals": 3, "by_kind": {"cleanup": 1, "grammar": 1, "reference": 1, "flag": 0, "word": 0},
           "sentences": 4, "sentences_touched": 2, "applied": 2}


def complete_run(out, drop):
    """What a finished repair leaves: a run folder whose run.json is written."""
    folder = run_dir(out, drop)
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("<html></html>")
    record = RunRecord(schema_version=1, run_id="a1", created="2026-01-01T00:00:00+00:00", target={}, references=[],
                       reference_type=None, settings={}, versions={}, timings={}, startup={}, grammar={}, notes=[],
                       out_dir=str(folder), summary=SUMMARY)
    (folder / "run.json").write_text(json.dumps(record.to_dict()))
    return folder


def test_only_drops_without_a_complete_run_for_their_content_are_planned(tmp_path):
    drops, out = tmp_path / "drops", tmp_path / "out"
    make_drop(drops, "done")
    make_drop(drops, "new")
    make_drop(drops, "bad", target=None)
    scan = scan_drops(drops, Settings(), settle=0)
    complete_run(out, scan.ready[0])
    todo, entries = plan(out, scan)
    assert [d.name for d in todo] == ["new"]
    assert {e.name: e.status for e in entries} == {"done": "unchanged", "bad": "error"}
    [unchanged] = [e for e in entries if e.status == "unchanged"]
    assert unchanged.by_kind == SUMMARY["by_kind"] and unchanged.report.startswith("done/")
    assert json.loads((out / "bad" / "error.json").read_text())["error"].startswith("no target file")


def test_a_fixed_drop_loses_its_error_and_keeps_its_older_reports(tmp_path):
    drops, out = tmp_path / "drops", tmp_path / "out"
    folder = make_drop(drops, "d")
    [old] = scan_drops(drops, Settings(), settle=0).ready
    complete_run(out, old)
    (folder / "target.txt").write_text("A changed target.\n")
    (out / "d" / "error.json").write_text("{}")
    [new] = scan_drops(drops, Settings(), settle=0).ready
    assert not is_done(out, new)
    complete_run(out, new)
    _, [entry] = plan(out, scan_drops(drops, Settings(), settle=0))
    assert entry.status == "unchanged" and entry.report == f"d/{new.short_hash}/report.html"
    assert entry.older_reports == (f"d/{old.short_hash}/report.html",)
    assert not (out / "d" / "error.json").exists()


def test_the_index_escapes_names_and_quotes_links(tmp_path):
    drops, out = tmp_path / "drops", tmp_path / "out"
    name = "<script>alert(1)</script> & co".replace("/", "")
    make_drop(drops, name)
    [drop] = scan_drops(drops, Settings(), settle=0).ready
    complete_run(out, drop)
    _, entries = plan(out, scan_drops(drops, Settings(), settle=0))
    write_index(out, index_document(entries, str(drops), 1.0))
    html = (out / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;script&gt; &amp; co" in html and "<script>" not in html
    assert f'href="{quote(name)}/{drop.short_hash}/report.html"' in html
    index = json.loads((out / "index.json").read_text())
    assert index["counts"] == {"repaired": 0, "unchanged": 1, "error": 0, "pending": 0}
    assert index["drops"][0]["name"] == name


def test_a_batch_with_nothing_new_is_indexed_without_the_workflow(tmp_path):
    drops, out = tmp_path / "drops", tmp_path / "out"
    make_drop(drops, "a")
    make_drop(drops, "b")
    assert index_if_nothing_to_do(drops, out, Settings(), 0) is None  # work to do: the flow's job
    for drop in scan_drops(drops, Settings(), settle=0).ready:
        complete_run(out, drop)
    document = index_if_nothing_to_do(drops, out, Settings(), 0)
    assert document["counts"]["unchanged"] == 2
    assert json.loads((out / "index.json").read_text())["counts"] == document["counts"]


def test_content_that_failed_on_its_own_files_is_not_tried_again(tmp_path):
    drops, out = tmp_path / "drops", tmp_path / "out"
    make_drop(drops, "empty", target="")
    make_drop(drops, "unlucky")
    ready = {d.name: d for d in scan_drops(drops, Settings(), settle=0).ready}
    write_error(out, "empty", "target.txt: is empty", ready["empty"].content_hash, retry=False)
    write_error(out, "unlucky", "LanguageTool at http://127.0.0.1:1 is not usable", ready["unlucky"].content_hash)
    todo, entries = plan(out, scan_drops(drops, Settings(), settle=0))
    assert [d.name for d in todo] == ["unlucky"]  # a component's failure is retried
    assert [(e.name, e.status, e.error) for e in entries] == [("empty", "error", "target.txt: is empty")]

    (drops / "empty" / "target.txt").write_text("Now there is text.\n")
    todo, _ = plan(out, scan_drops(drops, Settings(), settle=0))
    assert [d.name for d in todo] == ["empty", "unlucky"]  # new content, new try
