"""Component `languagetool`: LanguageTool's server and English module, as jars from Maven Central.

The Maven project (repair/engines/languagetool.pom.xml, shipped in the package) pins the
version; Maven resolves it and its dependencies through the user's local repository
(~/.m2, shared by every clone and every set-up) and copies the jars into
<cache>/languagetool/<version>, where `repair.engines.languagetool` starts them. Maven's
usual settings apply: a mirror or proxy in ~/.m2/settings.xml, `MAVEN_OPTS=-Dmaven.repo.local=...`.
`MTREPAIR_MAVEN` names another `mvn` (a wrapper, a Maven outside PATH).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from repair.engines.languagetool import POM, has_jars, pinned_version, setup_home
from repair.errors import SetupError
from repair.setup.registry import Component, State, folder_size, register, staged_folder

COMPLETE = ".complete"
"""Written last into a fetched folder (and by the Makefile of older clones): the folder is whole."""
MAVEN_HINT = "install Maven 3 (Debian/Ubuntu: apt-get install maven; macOS: brew install maven)"

_NETWORK_SIGNS = ("Could not transfer", "No plugin found for prefix", "Unknown host", "UnknownHost", "Connection refused", "Network is unreachable",
                  "Connect timed out", "Could not resolve", "Temporary failure in name resolution", "PKIX path")


def maven() -> str | None:
    """The `mvn` to run: MTREPAIR_MAVEN, else the one on PATH."""
    chosen = os.environ.get("MTREPAIR_MAVEN")
    if chosen:
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    return shutil.which("mvn")


def is_complete(home: Path) -> bool:
    """Jars there, and either our completion mark or a folder the user chose and filled themselves."""
    return has_jars(home) and ((home / COMPLETE).exists() or bool(os.environ.get("MTREPAIR_LANGUAGETOOL_HOME")))


def check() -> State:
    home = setup_home()
    version = pinned_version()
    if is_complete(home):
        jars = sum(1 for _ in home.glob("*.jar"))
        return State("languagetool", True, home, folder_size(home), f"LanguageTool {version}, {jars} jars")
    fix = "run `mtrepair setup`"
    if maven() is None:
        fix += f" (it fetches the jars with Maven, which is not on PATH: {MAVEN_HINT})"
    return State("languagetool", False, home, detail=f"LanguageTool {version} not fetched", fix=fix)


def install(say: Callable[[str], None]) -> None:
    mvn = maven()
    if mvn is None:
        raise SetupError(f"no `mvn` on PATH to fetch LanguageTool from Maven Central: {MAVEN_HINT}")
    home = setup_home()
    version = pinned_version()
    if home.exists() and any(home.iterdir()) and not _ours(home):
        raise SetupError(f"{home} exists and holds other files: empty it, or point MTREPAIR_LANGUAGETOOL_HOME elsewhere")
    say(f"languagetool: fetching LanguageTool {version} and its dependencies from Maven Central with {mvn} "
        f"into {home} (about 250 MB)")
    with staged_folder(home) as scratch, tempfile.TemporaryDirectory(prefix="mtrepair-pom-") as project:
        shutil.copyfile(POM, Path(project) / "pom.xml")  # Maven may write beside its POM; the package may be read-only
        command = [mvn, "--batch-mode", "--quiet", "-Dstyle.color=never", "-f", str(Path(project) / "pom.xml"),
                   "dependency:copy-dependencies", f"-DoutputDirectory={scratch}"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        except OSError as exc:
            raise SetupError(f"cannot run {mvn}: {exc.strerror or exc}") from None
        if done.returncode != 0:
            raise SetupError(maven_failure(done.stdout + done.stderr, version))
        if not has_jars(scratch):
            raise SetupError(f"Maven finished but fetched no languagetool-server jar for {version}")
        (scratch / COMPLETE).write_text(f"{version}\n", encoding="utf-8")


def _ours(home: Path) -> bool:
    """A folder an older or interrupted set-up wrote (only jars and our mark), safe to replace."""
    return all(path.suffix == ".jar" or path.name == COMPLETE for path in home.iterdir())


def maven_failure(output: str, version: str) -> str:
    """One line for a failed Maven run: no network, a full disk, or Maven's own first error."""
    import re

    output = re.sub(r"\x1b\[[0-9;]*m", "", output)  # Maven 3.8 colours some lines even in batch mode
    if "No space left on device" in output:
        return "no space left on the device while Maven fetched LanguageTool (free some, or set MTREPAIR_CACHE)"
    if any(sign in output for sign in _NETWORK_SIGNS):
        return (f"Maven could not reach Maven Central to fetch LanguageTool {version}: check the network "
                "(or a mirror/proxy in ~/.m2/settings.xml), then run `mtrepair setup` again")
    errors = [line.strip().removeprefix("[ERROR]").strip() for line in output.splitlines()
              if line.strip().startswith("[ERROR]")]
    errors = [line for line in errors if line]
    reason = errors[0] if errors else (output.strip().splitlines() or ["no output"])[-1]
    return f"Maven could not fetch LanguageTool {version}: {' '.join(reason.split())[:300]}"


register(Component("languagetool", "LanguageTool's server and English module (jars from Maven Central)",
                   check, install, needs=("java",)))
