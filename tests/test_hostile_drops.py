"""Hostile drops folders: odd names, link loops, 10,000 empty folders, a drop.toml with huge values.

Each drop is repaired (here: found ready, with a run folder path that works) or refused in one
short line; index.html escapes every name; the scan's work grows in proportion to the drops.
The real batch over such names runs in tests/test_batch_reliability.py.
"""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from test_batch_index import complete_run
from test_drops import make_drop

import repair.batch.drops as drops_module
from repair.batch.batch_index import index_document, plan, run_dir, write_index
from repair.config import Settings
from repair.batch.drops import scan_drops

BASE = Settings()
READY_NAMES = [
    "with spaces  in it",
    "unicodé ünïcødé 日本語 ✓",
    "-rf",
    "--help",
    "a" * 255,  # the longest name Linux allows: 255 bytes
    "é" * 127,  # 254 bytes of UTF-8
    "<img src=x onerror=alert(1)>",
    "\"'><b onmouseover=alert(1)>x",
    "&amp; &lt;",
    "${HOME} $(id) `id` %s %n",
]
REFUSED_NAMES = {
    "new\nline": "unsafe drop name 'new\\nline'",
    "tab\there": "unsafe drop name 'tab\\there'",
    "bell\x07": "unsafe drop name 'bell\\x07'",
    "<script>alert(1)<\\script>": "unsafe drop name '<script>alert(1)<\\\\script>'",  # a backslash
}


def one_line(error: str) -> bool:
    return "\n" not in error and "\r" not in error and len(error) <= 200


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_data(self, data):
        self.text += data


def test_odd_names_are_ready_or_refused_in_one_line_and_escaped_in_the_index(tmp_path):
    drops, out = tmp_path / "drops", tmp_path / "out"
    for name in [*READY_NAMES, *REFUSED_NAMES]:
        make_drop(drops, name)
    os.mkdir(os.fsencode(drops) + b"/latin1-\xe9t\xe9")  # bytes that are not UTF-8
    scan = scan_drops(drops, BASE, settle=0.2, exclude=out)

    assert sorted(d.name for d in scan.ready) == sorted(READY_NAMES)
    for drop in scan.ready:  # its run folder is one level below the output folder, named exactly
        assert run_dir(out, drop).parent.name == drop.name and run_dir(out, drop).parent.parent == out
    bad = {b.name: b.error for b in scan.bad}
    for name, error in REFUSED_NAMES.items():
        assert bad[ascii(name)] == error
    assert bad["'latin1-\\udce9t\\udce9'"] == "drop name 'latin1-\\udce9t\\udce9' is not valid UTF-8"
    assert all(one_line(e) and one_line(n) for n, e in bad.items())

    todo, _ = plan(out, scan)
    assert len(todo) == len(READY_NAMES)
    for drop in todo:
        complete_run(out, drop)  # as if repaired: the index then links each drop's report
    todo, entries = plan(out, scan)
    index_json, index_html = write_index(out, index_document(entries, str(drops), 0.0))
    document = json.loads(index_json.read_text(encoding="utf-8"))
    assert len(document["drops"]) == len(READY_NAMES) + len(REFUSED_NAMES) + 1
    for entry in document["drops"]:
        if entry["report"]:
            assert (out / unquote(entry["report"])).is_file()
    page = _Elements()
    page.feed(index_html.read_text(encoding="utf-8"))
    assert "script" not in page.tags and "img" not in page.tags
    assert not [a for a in page.attributes if a.startswith("on")]
    for name in READY_NAMES:
        assert name in page.text  # shown as text, escaped
    # nothing was created outside the output folder, and no folder for a refused name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drops", "out"]
    assert not any("\n" in p.name or "\t" in p.name for p in out.iterdir())


def test_symlink_loops_are_refused_in_one_line(tmp_path):
    drops, out = tmp_path / "drops", tmp_path / "out"
    drops.mkdir()
    (drops / "self").symlink_to("self")
    (drops / "ping").symlink_to("pong")
    (drops / "pong").symlink_to("ping")
    inner = make_drop(drops, "inner")
    (inner / "reference2.txt").symlink_to("reference2.txt")
    sub = make_drop(drops, "with-sub-loop")
    (sub / "again").symlink_to("..")  # a folder loop inside a drop: sub-folders are not read
    scan = scan_drops(drops, BASE, settle=0.2, exclude=out)
    bad = {b.name: b.error for b in scan.bad}
    assert bad == {
        "self": "the drop folder cannot be opened (Too many levels of symbolic links)",
        "ping": "the drop folder cannot be opened (Too many levels of symbolic links)",
        "pong": "the drop folder cannot be opened (Too many levels of symbolic links)",
        "inner": "reference2.txt is a symbolic link that cannot be followed (a loop, or its target is gone)",
    }
    assert [d.name for d in scan.ready] == ["with-sub-loop"]


@pytest.mark.parametrize(
    "toml, problem",
    [
        ("top_k = " + "9" * 5000, "is not a usable TOML file (a value is too large or nested too deeply)"),
        ("top_k = 99999999999999999", "top_k must be a whole number from 1 to 20, not 99999999999999999"),
        ("min_confidence = 1e308", "min_confidence must be a number from 0 to 1, not 1e+308"),
        ("min_confidence = inf", "min_confidence must be a number from 0 to 1, not inf"),
        ("min_alignment = nan", "min_alignment must be a number from 0 to 1, not nan"),
        ("a = " + "[" * 3000 + "]" * 3000, "is not a usable TOML file (a value is too large or nested too deeply)"),
        ("language = '" + "x" * 10_000 + "'", "language must be 'en' or 'en-XX' (e.g. 'en-GB'), not 'xxxxxxxx"),
        ("k" * 10_000 + " = 1", "unknown key 'kkkkkkkkkk"),
        ("language = '" + "x" * 100_000 + "'", "is larger than 65,536 bytes; a drop.toml holds a few settings"),
    ],
)
def test_a_drop_toml_with_huge_values_is_refused_in_one_line(tmp_path, toml, problem):
    drops = tmp_path / "drops"
    make_drop(drops, "huge", drop__toml=toml + "\n")
    [bad] = scan_drops(drops, BASE, settle=0.2).bad
    assert bad.error.startswith(f"drop.toml: {problem}")
    assert one_line(bad.error)


def test_10000_empty_folders_cost_a_scan_in_proportion(tmp_path, monkeypatch):
    """Each empty folder is refused in one line; the folder listings the scan makes grow linearly."""
    listings = []
    real_scandir = os.scandir
    monkeypatch.setattr(drops_module.os, "scandir", lambda path=".": listings.append(path) or real_scandir(path))

    def run(count: int):
        drops, out = tmp_path / f"drops{count}", tmp_path / f"out{count}"
        drops.mkdir()
        for i in range(count):
            (drops / f"empty-{i:05d}").mkdir()
        old = os.stat(drops).st_mtime - 60
        for i in range(count):
            os.utime(drops / f"empty-{i:05d}", (old, old))
        listings.clear()
        scan = scan_drops(drops, BASE, settle=0.2, exclude=out)
        todo, entries = plan(out, scan)
        write_index(out, index_document(entries, str(drops), 0.0))
        return scan, len(listings), json.loads((out / "index.json").read_text())

    small, small_listings, _ = run(1_000)
    scan, big_listings, document = run(10_000)
    assert not scan.ready and not scan.pending and len(scan.bad) == 10_000
    assert {b.error for b in scan.bad} == {"no target file (target.txt, target.md or target.html)"}
    assert document["counts"]["error"] == 10_000
    # Per folder: three snapshots (before the settle wait, before its layout is read, after it is hashed) and one
    # look for the leftovers of a killed error.json write; plus the drops folder itself. Linear, never quadratic.
    assert big_listings <= 4 * 10_000 + 3 and big_listings <= 10 * small_listings + 3
