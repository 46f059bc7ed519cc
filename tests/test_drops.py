"""Drops: what counts as one, what makes it bad, what its content hash covers, when it is still being copied."""

import os
import time
from dataclasses import replace

import pytest

from repair.config import Settings
from repair.batch.drops import Drop, check_name, content_hash, parse_drop_settings, scan_drops
from repair.errors import InputError

BASE = Settings()


def make_drop(root, name, target="The target article.\n", reference="The reference article.\n", **extra):
    folder = root / name
    folder.mkdir(parents=True)
    if target is not None:
        (folder / "target.txt").write_text(target, encoding="utf-8")
    if reference is not None:
        (folder / "reference.txt").write_text(reference, encoding="utf-8")
    for file_name, text in extra.items():
        (folder / file_name.replace("__", ".")).write_text(text, encoding="utf-8")
    old = time.time() - 60
    for path in [folder, *folder.iterdir()]:
        os.utime(path, (old, old))
    return folder


def scan(root, **kwargs):
    return scan_drops(root, BASE, settle=kwargs.pop("settle", 0.5), **kwargs)


def test_a_complete_drop_is_ready_with_its_files(tmp_path):
    make_drop(tmp_path, "a", reference2__md="# Second\n\nMore text.\n", drop__toml='language = "en-GB"\ntop_k = 5\n')
    [drop] = scan(tmp_path).ready
    assert drop.name == "a"
    assert drop.target.name == "target.txt"
    assert [p.name for p in drop.references] == ["reference.txt", "reference2.md"]
    assert dict(drop.overrides) == {"language": "en-GB", "top_k": 5}
    assert drop.settings(BASE).language == "en-GB"
    assert len(drop.content_hash) == 64


@pytest.mark.parametrize(
    "name, files, problem",
    [
        ("no-target", {"target": None}, "no target file"),
        ("no-reference", {"reference": None}, "no reference file"),
        ("two-targets", {"target__md": "Another.\n"}, "more than one target: target.md, target.txt"),
        ("bad-toml", {"drop__toml": "min_confidence = 3\n"}, "drop.toml: min_confidence must be a number from 0 to 1"),
        ("unknown-key", {"drop__toml": "colour = 'red'\n"}, "drop.toml: unknown key 'colour'"),
    ],
)
def test_a_bad_drop_says_what_is_wrong(tmp_path, name, files, problem):
    kwargs = {k: v for k, v in files.items() if k in ("target", "reference")}
    extra = {k: v for k, v in files.items() if k not in kwargs}
    make_drop(tmp_path, name, **kwargs, **extra)
    result = scan(tmp_path)
    assert not result.ready
    [bad] = result.bad
    assert bad.name == name and bad.error.startswith(problem), bad.error


def test_links_that_leave_the_drops_folder_are_refused(tmp_path):
    drops, outside = tmp_path / "drops", tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret\n")
    folder = make_drop(drops, "linked-file", reference=None)
    (folder / "reference.txt").symlink_to(outside / "secret.txt")
    make_drop(outside, "elsewhere")
    (drops / "linked-folder").symlink_to(outside / "elsewhere")
    errors = {b.name: b.error for b in scan(drops).bad}
    assert errors == {
        "linked-file": "reference.txt links outside the drops folder",
        "linked-folder": "the drop folder links outside the drops folder",
    }


def test_hidden_folders_files_and_the_output_folder_are_not_drops(tmp_path):
    make_drop(tmp_path, ".being-copied")
    make_drop(tmp_path, "a", **{".target.txt.partial": "half"})
    (tmp_path / "out").mkdir()
    (tmp_path / "notes.txt").write_text("not a drop\n")
    result = scan(tmp_path, exclude=tmp_path / "out")
    assert [d.name for d in result.ready] == ["a"] and not result.bad and not result.pending


def test_unsafe_names_are_refused():
    for name in ["..", ".", "", "a/b", "a\\b", "a\nb", "/etc"]:
        with pytest.raises(ValueError):
            check_name(name)
    assert check_name("drop 1 (copy)") == "drop 1 (copy)"


def test_the_hash_follows_content_not_names_or_times(tmp_path):
    make_drop(tmp_path, "a")
    make_drop(tmp_path, "b")
    first = {d.name: d.content_hash for d in scan(tmp_path).ready}
    assert first["a"] == first["b"]  # the folder name is not content
    os.utime(tmp_path / "a" / "target.txt", (time.time() - 30, time.time() - 30))
    assert scan(tmp_path).ready[0].content_hash == first["a"]  # nor is a file's time
    (tmp_path / "a" / "reference.txt").write_text("An edited reference.\n")
    os.utime(tmp_path / "a" / "reference.txt", (time.time() - 30, time.time() - 30))
    assert scan(tmp_path).ready[0].content_hash != first["a"]


def test_the_hash_covers_the_settings_that_change_proposals(tmp_path):
    drop = Drop("a", tmp_path, make_drop(tmp_path, "a") / "target.txt", (tmp_path / "a" / "reference.txt",))
    plain = content_hash(drop, BASE)
    assert content_hash(drop, replace(BASE, languagetool_url="http://elsewhere:8081")) == plain
    assert content_hash(drop, replace(BASE, min_confidence=0.9)) != plain
    assert content_hash(replace(drop, overrides=(("top_k", 5),)), BASE) != plain


def test_a_drop_written_during_the_settle_time_is_pending(tmp_path):
    folder = make_drop(tmp_path, "growing")
    make_drop(tmp_path, "done")
    now = time.time()
    os.utime(folder / "target.txt", (now, now))
    waits = []

    def sleep(seconds):  # the copy goes on while the batch waits
        waits.append(seconds)
        with open(folder / "target.txt", "a") as handle:
            handle.write("More text arrives.\n")

    result = scan_drops(tmp_path, BASE, settle=2.0, sleep=sleep)
    assert 0 < waits[0] <= 2.0
    assert [d.name for d in result.ready] == ["done"]
    assert [(p.name, p.reason) for p in result.pending] == [("growing", "files are still changing")]


def test_a_quiet_drop_is_picked_up_without_waiting(tmp_path):
    make_drop(tmp_path, "a")
    result = scan_drops(tmp_path, BASE, settle=2.0, sleep=lambda s: pytest.fail("waited"))
    assert [d.name for d in result.ready] == ["a"]


def test_drop_settings_are_checked(tmp_path):
    path = tmp_path / "drop.toml"
    assert parse_drop_settings('min_alignment = 0.5\nmin_confidence = 1\nlanguage = "en"\n', path) == (
        ("language", "en"), ("min_alignment", 0.5), ("min_confidence", 1.0))
    for text, problem in [
        ("top_k = 0", "top_k must be a whole number"),
        ('language = "de-DE"', "language must be 'en' or 'en-XX'"),
        ("min_confidence = true", "min_confidence must be a number"),
        ("top_k = ", "is not valid TOML"),
    ]:
        with pytest.raises(InputError, match=problem):
            parse_drop_settings(text, path)


def test_a_missing_drops_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        scan(tmp_path / "missing")
