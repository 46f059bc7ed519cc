"""Find the drops in a drops folder, check their layout, and fingerprint their content.

A drop is a folder holding one `target.<ext>`, one or more `reference*.<ext>`
(`.txt`, `.md`, `.html`) and optionally a `drop.toml` with per-drop settings.
Folders and files whose names start with '.' are ignored, so a drop can be
copied in under a hidden name and renamed when complete.

A drop is identified by its name and the hash of its content: the bytes and
names of its files and the settings that change what a repair proposes. The
folder's name and the files' times are not part of the hash, so touching a
file does not cause new work, and editing one does.

A drop that is still being written (a file changed within the settle time, or
between two looks at it) is reported as pending and left for the next batch.
Names are checked before any path is built from them: no '..', no separators,
no control characters, and no symbolic link that points outside the drops folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from repair import __version__
from repair.text.articles import ARTICLE_SUFFIXES
from repair.config import Settings
from repair.errors import InputError

SETTINGS_FILE = "drop.toml"
DEFAULT_SETTLE_SECONDS = 2.0
HASH_SETTINGS = ("language", "model", "top_k", "min_alignment", "min_confidence", "disabled_rules")
"""The settings that change a repair's outputs; the others (server URL, device, threads) do not."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_SETTINGS_BYTES = 65_536
"""A drop.toml holds four short settings; a larger one is refused before it is parsed."""
_LANGUAGE = re.compile(r"en(-[A-Z]{2})?")


@dataclass(frozen=True)
class Drop:
    """A complete, well-formed drop, ready to be repaired."""

    name: str
    folder: Path
    target: Path
    references: tuple[Path, ...]
    overrides: tuple[tuple[str, object], ...] = ()
    """Settings from drop.toml, as (key, value) pairs."""
    content_hash: str = ""

    @property
    def short_hash(self) -> str:
        return self.content_hash[:16]

    def settings(self, base: Settings) -> Settings:
        return replace(base, **dict(self.overrides))


@dataclass(frozen=True)
class BadDrop:
    """A drop that cannot be repaired as it is, and why (one line)."""

    name: str
    folder: Path
    error: str


@dataclass(frozen=True)
class PendingDrop:
    """A drop whose files are still changing; the next batch looks again."""

    name: str
    folder: Path
    reason: str


@dataclass
class Scan:
    """What a look at the drops folder found, each list in name order."""

    ready: list[Drop] = field(default_factory=list)
    bad: list[BadDrop] = field(default_factory=list)
    pending: list[PendingDrop] = field(default_factory=list)


def check_name(name: str) -> str:
    """`name` if it is safe as one path component; otherwise ValueError."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or _CONTROL.search(name):
        raise ValueError(f"unsafe drop name {_short(name)}")
    if _SURROGATE.search(name):  # bytes that are not UTF-8: the name could not be written to index.json
        raise ValueError(f"drop name {_short(name)} is not valid UTF-8")
    if Path(name).is_absolute() or os.path.isabs(name):
        raise ValueError(f"unsafe drop name {name!r}")
    return name


def _short(value: object, limit: int = 80) -> str:
    """repr(value) in ASCII, cut to `limit` characters, so that one error stays one short line."""
    text = ascii(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(name: str) -> str:
    """A drop's name as the index shows it: itself when safe, else its short ASCII repr."""
    try:
        return check_name(name)
    except ValueError:
        return _short(name)


def inside(root: Path, path: Path) -> bool:
    """True when `path`, with every link followed, lies within `root` (resolved)."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


def _followable(path: Path) -> bool:
    try:
        path.resolve(strict=True)
        return True
    except (OSError, RuntimeError):
        return False


def parse_drop_settings(text: str, path: Path) -> tuple[tuple[str, object], ...]:
    """The settings of a drop.toml, checked; InputError naming the key otherwise.

    Keys: language ("en", "en-US", "en-GB", ...), min_confidence and
    min_alignment (0 to 1), top_k (1 to 20).
    """
    if len(text) > MAX_SETTINGS_BYTES:
        raise InputError(path, f"is larger than {MAX_SETTINGS_BYTES:,} characters; a drop.toml holds a few settings")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"is not valid TOML ({exc})") from None
    except (RecursionError, ValueError):  # arrays nested thousands deep; an integer of thousands of digits
        raise InputError(path, "is not a usable TOML file (a value is too large or nested too deeply)") from None
    checked: dict[str, object] = {}
    for key, value in data.items():
        if key == "language":
            if not isinstance(value, str) or not _LANGUAGE.fullmatch(value):
                raise InputError(path, f"language must be 'en' or 'en-XX' (e.g. 'en-GB'), not {_short(value)}")
        elif key in ("min_confidence", "min_alignment"):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise InputError(path, f"{key} must be a number from 0 to 1, not {_short(value)}")
            value = float(value)
        elif key == "top_k":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 20:
                raise InputError(path, f"top_k must be a whole number from 1 to 20, not {_short(value)}")
        else:
            known = "language, min_confidence, min_alignment, top_k"
            raise InputError(path, f"unknown key {_short(key)} (known keys: {known})")
        checked[key] = value
    return tuple(sorted(checked.items()))


def _snapshot(folder: Path) -> tuple:
    """Names, sizes and modification times of a folder's entries (links followed)."""
    entries = []
    try:
        with os.scandir(folder) as listing:
            for entry in listing:
                try:
                    st = entry.stat(follow_symlinks=True)
                    entries.append((entry.name, st.st_size, st.st_mtime_ns))
                except OSError:
                    entries.append((entry.name, -1, -1))
        own = folder.stat().st_mtime_ns
    except OSError:
        return ()
    return (own, tuple(sorted(entries)))


def _age(snapshot: tuple, now: float) -> float | None:
    """Seconds since the newest change in the snapshot (None: no snapshot or a time in the future)."""
    if not snapshot:
        return None
    own, entries = snapshot
    age = now - max([own, *(mtime for _, _, mtime in entries)]) / 1e9
    return age if age >= 0 else None


def _layout(name: str, folder: Path, root: Path) -> Drop | BadDrop:
    """Classify the drop's files; a BadDrop says what is missing or wrong."""
    targets, references, settings_path = [], [], None
    for path in sorted(folder.iterdir()):
        entry = path.name
        if entry.startswith("."):
            continue
        role = None
        stem, suffix = os.path.splitext(entry)
        if entry == SETTINGS_FILE:
            role = "settings"
        elif suffix.lower() in ARTICLE_SUFFIXES and stem == "target":
            role = "target"
        elif suffix.lower() in ARTICLE_SUFFIXES and stem.startswith("reference"):
            role = "reference"
        if role is None:
            continue
        if path.is_symlink() and not _followable(path):
            return BadDrop(name, folder, f"{entry} is a symbolic link that cannot be followed (a loop, or its target is gone)")
        if path.is_symlink() and not inside(root, path):
            return BadDrop(name, folder, f"{entry} links outside the drops folder")
        if not path.is_file():
            return BadDrop(name, folder, f"{entry} is not a file")
        if _CONTROL.search(entry):
            return BadDrop(name, folder, f"unsafe file name {entry!r}")
        if role == "target":
            targets.append(path)
        elif role == "reference":
            references.append(path)
        else:
            settings_path = path
    if not targets:
        return BadDrop(name, folder, "no target file (target.txt, target.md or target.html)")
    if len(targets) > 1:
        return BadDrop(name, folder, "more than one target: " + ", ".join(p.name for p in targets))
    if not references:
        return BadDrop(name, folder, "no reference file (reference*.txt, .md or .html)")
    overrides: tuple = ()
    if settings_path is not None:
        try:
            if settings_path.stat().st_size > MAX_SETTINGS_BYTES:  # not read into memory at all
                return BadDrop(name, folder, f"{SETTINGS_FILE}: is larger than {MAX_SETTINGS_BYTES:,} bytes; "
                                             "a drop.toml holds a few settings")
            overrides = parse_drop_settings(settings_path.read_text(encoding="utf-8"), settings_path)
        except InputError as exc:
            return BadDrop(name, folder, f"{SETTINGS_FILE}: {exc.problem}")
        except (OSError, UnicodeDecodeError) as exc:
            return BadDrop(name, folder, f"{SETTINGS_FILE} cannot be read ({exc})")
    return Drop(name, folder, targets[0], tuple(references), overrides)


def content_hash(drop: Drop, base: Settings) -> str:
    """sha256 over the drop's files (role, name, bytes) and its effective settings.

    Raises OSError when a file cannot be read.
    """
    settings = drop.settings(base).to_dict()
    digest = hashlib.sha256()
    digest.update(f"mtrepair-drop 1 {__version__}\n".encode())
    hashed = {k: settings[k] for k in HASH_SETTINGS}
    if settings["disabled_proposers"]:  # only when set, so the hashes of existing drops stay as they were
        hashed["disabled_proposers"] = sorted(settings["disabled_proposers"])
    digest.update(json.dumps(hashed, sort_keys=True, default=list).encode())
    files = [("target", drop.target), *(("reference", p) for p in drop.references)]
    for role, path in files:
        digest.update(f"\n{role} {path.name} ".encode())
        with open(path, "rb") as handle:  # in blocks: a huge file costs time, not memory
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def scan_drops(
    drops_dir: str | Path,
    base: Settings,
    settle: float = DEFAULT_SETTLE_SECONDS,
    exclude: Path | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> Scan:
    """Look at every drop once; wait (at most `settle` seconds) only if one was just written.

    `exclude` is a folder to skip (the output folder, when it lies among the
    drops). Raises InputError when `drops_dir` is not a readable folder.
    """
    drops_dir = Path(drops_dir)
    if not drops_dir.exists():
        raise InputError(drops_dir, "no such folder")
    if not drops_dir.is_dir():
        raise InputError(drops_dir, "is not a folder")
    root = drops_dir.resolve()
    skip = exclude.resolve() if exclude is not None else None
    scan = Scan()
    candidates: list[tuple[str, Path]] = []
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        raise InputError(drops_dir, f"cannot be read ({exc.strerror or exc})") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        folder = root / entry.name
        try:
            if not entry.is_dir(follow_symlinks=True):
                continue
        except OSError as exc:  # a symbolic link loop, or a link that cannot be followed
            scan.bad.append(BadDrop(_shown(entry.name), folder, f"the drop folder cannot be opened ({exc.strerror or exc})"))
            continue
        if skip is not None and folder.resolve() == skip:
            continue
        try:
            check_name(entry.name)
        except ValueError as exc:
            scan.bad.append(BadDrop(_shown(entry.name), folder, str(exc)))
            continue
        if entry.is_symlink() and not inside(root, folder):
            scan.bad.append(BadDrop(entry.name, folder, "the drop folder links outside the drops folder"))
            continue
        candidates.append((entry.name, folder))

    def young(snapshot: tuple) -> bool:
        age = _age(snapshot, clock())
        return age is not None and age < settle

    first = {name: _snapshot(folder) for name, folder in candidates}
    ages = [age for s in first.values() if (age := _age(s, clock())) is not None]
    if ages and min(ages) < settle:
        sleep(settle - min(ages))
    for name, folder in candidates:
        before = _snapshot(folder)
        if before != first[name] or young(before):
            scan.pending.append(PendingDrop(name, folder, "files are still changing"))
            continue
        found = _layout(name, folder, root)
        if isinstance(found, Drop):
            try:
                found = replace(found, content_hash=content_hash(found, base))
            except OSError as exc:
                failed = Path(exc.filename).name if exc.filename else "a file"
                found = BadDrop(name, folder, f"{failed} cannot be read ({exc.strerror or exc})")
        if _snapshot(folder) != before:
            scan.pending.append(PendingDrop(name, folder, "files changed while being read"))
        elif isinstance(found, Drop):
            scan.ready.append(found)
        else:
            scan.bad.append(found)
    return scan

