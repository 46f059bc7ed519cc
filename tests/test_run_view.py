"""What the Prefect UI shows of a batch: names of runs and task runs, links to reports."""

from dataclasses import dataclass
from pathlib import Path

from flows.report_links import markdown_text, report_link
from flows.run_names import drop_run_name, group_run_name


@dataclass
class _Drop:
    name: str


@dataclass
class _Job:
    drop: _Drop


def jobs(*names):
    return {"jobs": [_Job(_Drop(n)) for n in names]}


def test_a_group_task_run_is_named_by_its_drops():
    assert group_run_name(jobs("a", "b")) == "repair a, b"
    assert group_run_name(jobs("a", "b", "c", "d", "e")) == "repair a, b, c +2"


def test_a_drop_task_run_is_named_by_its_drop():
    @dataclass
    class Entry:
        name: str

    assert drop_run_name({"entry": Entry("2021-03-18-biden"), "line": "x"}) == "2021-03-18-biden"


def test_report_links_use_the_published_url_when_there_is_one(tmp_path):
    relative = "caf%C3%A9/0123456789abcdef/report.html"  # as index.json stores it: quoted, relative to out
    assert report_link(tmp_path, relative, "http://reports.internal/mtrepair") == \
        "http://reports.internal/mtrepair/caf%C3%A9/0123456789abcdef/report.html"
    assert report_link(tmp_path, relative, None) == (tmp_path.resolve() / "café/0123456789abcdef/report.html").as_uri()


def test_names_and_errors_are_text_in_the_markdown_artifact():
    assert markdown_text("[x](javascript:alert(1))") == "\\[x\\]\\(javascript:alert\\(1\\)\\)"
    assert markdown_text("**bold** <b>") == "\\*\\*bold\\*\\* \\<b\\>"
