"""The set-up registry: named components, each able to say its state and to install itself.

A component is what a run needs beyond the installed Python packages: Java, LanguageTool's
jars, the ONNX export of the model. Each has `check()` (its state, where it lives, its size;
it changes nothing) and, where mtrepair can fetch or build it, `install()`. A component
mtrepair cannot install (Java) has no `install`; its state's `fix` says what to install.

Installing is idempotent (a ready component is only checked) and atomic: everything is
written into a temporary folder inside the cache and renamed into place, under a lock per
component, so a failed, killed or concurrent set-up leaves nothing half-written that a run
could pick up; the temporary folders of a killed set-up are removed by the next one.

A new component is one `register(Component(...))` call (see java.py, languagetool.py,
onnx_model.py); `repair/setup/__init__.py` imports the modules in the order they run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from repair.errors import SetupError

TEMPORARY_PREFIX = ".partial-"
"""Folders being written by `install`: renamed into place when complete, removed by the next set-up if left."""


@dataclass(frozen=True)
class State:
    """What `check()` found: ready or not, where, how big, and (when not ready) what to do."""

    name: str
    ready: bool
    path: Path | None = None
    size: int | None = None
    """Bytes on disk, when the component is a file or folder mtrepair manages."""
    detail: str = ""
    """A short description: a version, a file count."""
    fix: str = ""
    """When not ready: one line that says what to do (install X, run `mtrepair setup`)."""


@dataclass(frozen=True)
class Component:
    """A named part of the set-up."""

    name: str
    summary: str
    check: Callable[[], State]
    install: Callable[[Callable[[str], None]], None] | None = None
    """Fetch or build the component; it may report progress through the callable it is given
    and raises SetupError (one line) when it cannot. None: mtrepair cannot install it."""
    needs: tuple[str, ...] = field(default_factory=tuple)
    """Components that must be ready before this one installs (e.g. languagetool needs java)."""
    optional: bool = False
    """Runs work without it (with less: WordNet's word flags); a set-up that cannot get it
    says so but does not fail."""


COMPONENTS: dict[str, Component] = {}


def register(component: Component) -> Component:
    """Add a component; set-up runs them in registration order."""
    COMPONENTS[component.name] = component
    return component


def get(name: str) -> Component:
    try:
        return COMPONENTS[name]
    except KeyError:
        raise SetupError(f"no set-up component '{name}' (known: {', '.join(COMPONENTS)})") from None


def check(names: list[str] | None = None) -> list[State]:
    """The state of each component (all by default), changing nothing."""
    return [_safe_check(get(name)) for name in (names or list(COMPONENTS))]


@dataclass(frozen=True)
class Outcome:
    """What `install` did for one component."""

    state: State
    action: str
    """'ready' (already there), 'installed', or 'failed'."""
    error: str = ""


def install(names: list[str] | None = None, say: Callable[[str], None] = lambda line: None) -> list[Outcome]:
    """Make each component ready (all by default, with the components they need); return
    what was done. A failed component does not stop the others, so one call reports
    everything that is missing."""
    wanted = _with_needs(names or list(COMPONENTS))
    outcomes: dict[str, Outcome] = {}
    for name in wanted:
        component = get(name)
        state = _safe_check(component)
        if state.ready:
            outcomes[name] = Outcome(state, "ready")
            continue
        missing = [need for need in component.needs if outcomes[need].action == "failed"]
        if missing:
            outcomes[name] = Outcome(state, "failed", f"needs {', '.join(missing)} first")
            continue
        if component.install is None:
            outcomes[name] = Outcome(state, "failed", state.fix or f"{name} is missing")
            continue
        try:
            component.install(say)
        except SetupError as exc:
            outcomes[name] = Outcome(_safe_check(component), "failed", str(exc))
            continue
        except OSError as exc:
            outcomes[name] = Outcome(_safe_check(component), "failed", describe_os_error(exc))
            continue
        except Exception as exc:  # a library's own failure (the exporter's): still one line, the others go on
            outcomes[name] = Outcome(_safe_check(component), "failed", f"{type(exc).__name__}: {' '.join(str(exc).split())}")
            continue
        state = _safe_check(component)
        if state.ready:
            outcomes[name] = Outcome(state, "installed")
        else:
            outcomes[name] = Outcome(state, "failed", state.fix or "installed, but its check still fails")
    return [outcomes[name] for name in wanted]


def _with_needs(names: list[str]) -> list[str]:
    ordered: list[str] = []

    def add(name: str) -> None:
        for need in get(name).needs:
            add(need)
        if name not in ordered:
            ordered.append(name)

    for name in names:
        add(name)
    return [name for name in COMPONENTS if name in ordered]


def _safe_check(component: Component) -> State:
    try:
        return component.check()
    except SetupError as exc:
        return State(component.name, False, fix=str(exc))
    except OSError as exc:
        return State(component.name, False, fix=describe_os_error(exc))


def describe_os_error(exc: OSError, where: object = None) -> str:
    """One line for a file-system failure while setting up (unwritable cache, full disk)."""
    import errno

    where = exc.filename or where or "the cache"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{where}: no space left on the device (free some, or set MTREPAIR_CACHE to another disk)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{where}: cannot write there ({exc.strerror}); set MTREPAIR_CACHE to a writable folder"
    return f"{where}: {exc.strerror or exc}"


# Helpers for components that keep a folder in the cache.


def folder_size(path: Path) -> int:
    """Bytes of the files under `path` (0 when it does not exist)."""
    if path.is_file():
        return path.stat().st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def human_size(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


class staged_folder:
    """Write a component's folder atomically: `with staged_folder(target) as scratch:` fills
    `scratch` (a temporary folder beside `target`, in the same file system), and on success it
    is renamed to `target`; on any failure it is removed. Holds a lock on the target so two
    set-ups at once do not race, and removes what killed set-ups left behind."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.scratch: Path | None = None
        self._lock = None

    def __enter__(self) -> Path:
        from filelock import FileLock

        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(str(self.target.parent / f".{self.target.name}.lock"))
        self._lock.acquire()
        try:
            self._remove_leftovers()
            self.scratch = Path(tempfile.mkdtemp(prefix=f"{TEMPORARY_PREFIX}{self.target.name}-", dir=self.target.parent))
        except BaseException:
            self._lock.release()
            raise
        return self.scratch

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.scratch.chmod(0o755)
                if self.target.exists():  # an incomplete folder from an older set-up: replaced whole
                    aside = Path(str(self.scratch) + ".old")
                    os.rename(self.target, aside)
                    shutil.rmtree(aside, ignore_errors=True)
                os.rename(self.scratch, self.target)
        finally:
            if self.scratch is not None and self.scratch.exists():
                shutil.rmtree(self.scratch, ignore_errors=True)
            self._lock.release()

    def _remove_leftovers(self) -> None:
        """Temporary folders of this target left by a killed set-up: holding the lock means no
        other set-up is writing them now."""
        for path in self.target.parent.glob(f"{TEMPORARY_PREFIX}{self.target.name}-*"):
            shutil.rmtree(path, ignore_errors=True)
