"""Component `java`: a Java 17+ runtime on PATH, which LanguageTool's server needs.

mtrepair cannot install Java itself (it comes from the operating system's packages), so
this component only checks: `java -version` must report version 17 or later.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from repair.setup.registry import Component, State, register

MINIMUM = 17
INSTALL_HINT = "install Java 17 or later (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17)"


def java_version(java: str) -> str | None:
    """The version `java -version` reports ('17.0.15', '1.8.0_402'), or None if it does not run."""
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "([^"]+)"', done.stderr + done.stdout)
    return match.group(1) if match else None


def major(version: str) -> int:
    """17 for '17.0.15', 8 for '1.8.0_402', 21 for '21-ea'."""
    parts = re.findall(r"\d+", version)
    if not parts:
        return 0
    if parts[0] == "1" and len(parts) > 1:
        return int(parts[1])
    return int(parts[0])


def check() -> State:
    java = shutil.which("java")
    if java is None:
        return State("java", False, fix=f"no `java` on PATH: {INSTALL_HINT}")
    version = java_version(java)
    if version is None:
        return State("java", False, Path(java), fix=f"{java} -version does not run: {INSTALL_HINT}")
    if major(version) < MINIMUM:
        return State("java", False, Path(java), detail=f"Java {version}",
                     fix=f"{java} is Java {version}, LanguageTool needs {MINIMUM}+: {INSTALL_HINT}")
    return State("java", True, Path(java), detail=f"Java {version}")


register(Component("java", "Java 17+ runtime for LanguageTool (from the system's packages)", check))
