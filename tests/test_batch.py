"""The batch flow end to end, with the real LanguageTool server and the real model.

One drops folder holds the seed pair three ways (plain text, an HTML
reference, a Markdown target) and two bad drops. It is repaired once in this
process and once on a real two-worker Dask cluster; the results must agree,
and the plain-text drop must match what `repair_pair` writes for the same files.
"""

import html
import json
import os
import time

import pytest
from conftest import SEED_REFERENCE, SEED_TARGET

pytestmark = pytest.mark.e2e

GROUP_SIZE = 2  # several groups, so both Dask workers get work


def _age(folder):
    old = time.time() - 60
    for path in [folder, *folder.iterdir()]:
        os.utime(path, (old, old))


@pytest.fixture(scope="module")
def drops(tmp_path_factory):
    root = tmp_path_factory.mktemp("drops")
    target = SEED_TARGET.read_text(encoding="utf-8")
    reference = SEED_REFERENCE.read_text(encoding="utf-8")
    lines = [line for line in target.splitlines() if line.strip()]
    layouts = {
        "seed": {"target.txt": target, "reference.txt": reference},
        "seed-html": {"target.txt": target, "reference.html": "<html><body><article>" + "".join(
            f"<p>{html.escape(line)}</p>" for line in reference.splitlines() if line.strip()) + "</article></body></html>"},
        "seed-md": {"target.md": "# " + "\n\n".join(lines) + "\n", "reference.txt": reference,
                    "drop.toml": "min_confidence = 0.7\n"},
        "empty-target": {"target.txt": "", "reference.txt": reference},
        "no-target": {"reference.txt": reference},
    }
    for name, files in layouts.items():
        (root / name).mkdir()
        for file_name, text in files.items():
            (root / name / file_name).write_text(text, encoding="utf-8")
        _age(root / name)
    return root


@pytest.fixture(scope="module")
def sequential(drops, tmp_path_factory, settings, embedder):
    from flows.batch import run_batch

    out = tmp_path_factory.mktemp("batch-out")
    document = run_batch(str(drops), str(out), group_size=GROUP_SIZE, settle_seconds=0,
                         settings={"languagetool_url": settings.languagetool_url})
    return document, out


def statuses(document):
    return {d["name"]: d["status"] for d in document["drops"]}


def proposals(run_folder):
    return json.loads((run_folder / "proposals.json").read_text(encoding="utf-8"))["proposals"]


def current_run(out, document, name):
    [entry] = [d for d in document["drops"] if d["name"] == name]
    return (out / entry["report"]).parent


def test_every_drop_is_in_the_index_with_its_status(sequential):
    document, out = sequential
    assert statuses(document) == {"seed": "repaired", "seed-html": "repaired", "seed-md": "repaired",
                                  "empty-target": "error", "no-target": "error"}
    assert document["counts"] == {"repaired": 3, "unchanged": 0, "error": 2, "pending": 0}
    assert json.loads((out / "index.json").read_text()) == document
    page = (out / "index.html").read_text()
    for entry in document["drops"]:
        assert entry["name"] in page
        if entry["report"]:
            assert (out / entry["report"]).is_file() and f'href="{entry["report"]}"' in page
            assert sum(entry["by_kind"].values()) == entry["proposals"] > 0


def test_bad_drops_are_recorded_with_their_error(sequential):
    document, out = sequential
    errors = {d["name"]: d["error"] for d in document["drops"] if d["status"] == "error"}
    assert errors == {"empty-target": "target.txt: is empty",
                      "no-target": "no target file (target.txt, target.md or target.html)"}
    for name, error in errors.items():
        assert json.loads((out / name / "error.json").read_text())["error"] == error


def test_a_drop_is_repaired_exactly_as_mtrepair_run_repairs_it(sequential, drops, settings, tmp_path):
    from flows.repair_pair import repair_pair

    document, out = sequential
    batch_run = current_run(out, document, "seed")
    record = repair_pair(str(drops / "seed" / "target.txt"), [str(drops / "seed" / "reference.txt")],
                         str(tmp_path / "run"), settings, publish_artifact=False)
    assert sorted(p.name for p in batch_run.iterdir()) == sorted(p.name for p in (tmp_path / "run").iterdir())
    assert proposals(batch_run) == proposals(tmp_path / "run")
    for name in ["cleaned.txt", "repaired.txt"]:
        assert (batch_run / name).read_text() == (tmp_path / "run" / name).read_text()
    assert json.loads((batch_run / "run.json").read_text())["summary"] == record.summary


def test_html_and_markdown_drops_are_read_as_text(sequential):
    document, out = sequential
    html_run = current_run(out, document, "seed-html")
    assert json.loads((html_run / "run.json").read_text())["references"][0]["name"] == "reference.html"
    assert "“killer”" in (html_run / "repaired.txt").read_text()  # the reference's quote, found in its HTML
    md_run = current_run(out, document, "seed-md")
    cleaned = (md_run / "cleaned.txt").read_text()
    assert cleaned.startswith("Joe Biden calls on Russian President Putin") and "# " not in cleaned
    assert json.loads((md_run / "run.json").read_text())["settings"]["min_confidence"] == 0.7  # from drop.toml


def test_the_same_batch_on_a_two_worker_dask_cluster_gives_the_same_results(sequential, drops, settings, tmp_path):
    from flows.batch import run_batch

    document, out = sequential
    dask_document = run_batch(str(drops), str(tmp_path), task_runner="dask", dask_workers=2, group_size=GROUP_SIZE,
                              settle_seconds=0, settings={"languagetool_url": settings.languagetool_url})
    assert statuses(dask_document) == statuses(document)
    for entry in document["drops"]:
        [other] = [d for d in dask_document["drops"] if d["name"] == entry["name"]]
        assert (other["content_hash"], other["by_kind"], other["error"]) == (entry["content_hash"], entry["by_kind"], entry["error"])
        if entry["report"]:
            assert other["report"] == entry["report"]
            assert proposals(tmp_path / other["report"].rsplit("/", 1)[0]) == proposals(current_run(out, document, entry["name"]))
            assert (tmp_path / other["report"]).with_name("repaired.txt").read_text() == \
                (out / entry["report"]).with_name("repaired.txt").read_text()


def test_a_second_batch_does_no_work_and_a_changed_drop_is_repaired_again(sequential, drops, settings):
    from flows.batch import run_batch

    document, out = sequential
    before = {p: p.stat().st_mtime_ns for p in [*out.glob("*/*/run.json"), *out.glob("*/error.json")]}
    options = dict(group_size=GROUP_SIZE, settle_seconds=0, settings={"languagetool_url": settings.languagetool_url})
    again = run_batch(str(drops), str(out), **options)
    assert again["counts"] == {"repaired": 0, "unchanged": 3, "error": 2, "pending": 0}
    assert {p: p.stat().st_mtime_ns for p in [*out.glob("*/*/run.json"), *out.glob("*/error.json")]} == before
    assert json.loads((out / "empty-target" / "error.json").read_text())["retry"] is False  # its own file is at fault

    old_report = current_run(out, document, "seed-html")
    reference = drops / "seed-html" / "reference.html"
    reference.write_text(reference.read_text().replace("</article>", "<p>A new closing paragraph.</p></article>"))
    _age(drops / "seed-html")
    changed = run_batch(str(drops), str(out), **options)
    assert statuses(changed)["seed-html"] == "repaired" and changed["counts"]["repaired"] == 1
    [entry] = [d for d in changed["drops"] if d["name"] == "seed-html"]
    assert (out / entry["report"]).parent != old_report
    assert (old_report / "report.html").is_file()  # the older report stays
    assert entry["older_reports"] == [f"seed-html/{old_report.name}/report.html"]
