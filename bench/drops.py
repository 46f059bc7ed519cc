"""Build drops from the WMT21 Russian-English news test set, for batch benchmarks.

Each of the 107 news documents becomes one drop: the output of a weak MT
system (by default the one the human ranking puts last) is the awkward
`target.txt`, and the first human reference of the same document is
`reference.txt`. Lines of the data are sentences; each becomes a line (a
paragraph) of the article, so segmentation sees the document as published.

    python -m bench.drops data/wmt21-ru-en drops/ --count 60

The data is read where it lies (its licence is research use); only the drops
built from it are written.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

PREFIX = "newstest2021.ru-en"


@dataclass(frozen=True)
class WmtDocument:
    """One news document: its id, the system's lines and the reference's lines."""

    docid: str
    target: tuple[str, ...]
    reference: tuple[str, ...]


def weakest_system(data_dir: Path) -> str:
    """The MT system with the lowest human z-score in the WMT21 ranking."""
    rows = []
    with open(data_dir / "ad-sys-ranking-ru-en-z-names.csv", encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter=" "):
            if len(row) >= 6 and row[5] != "HUMAN":
                rows.append((float(row[1]), row[5]))
    return min(rows)[1]


def documents(data_dir: str | Path, system: str | None = None) -> Iterator[WmtDocument]:
    """The documents of the test set, in file order."""
    data_dir = Path(data_dir)
    system = system or weakest_system(data_dir)

    def lines(path: Path) -> list[str]:
        return path.read_text(encoding="utf-8").splitlines()

    docids = lines(data_dir / f"{PREFIX}.docids")
    hyp = lines(data_dir / "system-outputs" / f"{PREFIX}.hyp.{system}.en")
    ref = lines(data_dir / f"{PREFIX}.ref.A.en")
    if not len(docids) == len(hyp) == len(ref):
        raise ValueError(f"{data_dir}: docids, {system} output and ref.A differ in length")
    rows = zip(docids, hyp, ref)
    for docid, group in groupby(rows, key=lambda row: row[0]):
        group = list(group)
        yield WmtDocument(docid, tuple(r[1] for r in group), tuple(r[2] for r in group))


def make_drops(data_dir: str | Path, drops_dir: str | Path, count: int | None = None, system: str | None = None) -> list[Path]:
    """Write one drop folder per document (at most `count`); return the folders."""
    drops_dir = Path(drops_dir)
    drops_dir.mkdir(parents=True, exist_ok=True)
    made = []
    for number, doc in enumerate(documents(data_dir, system)):
        if count is not None and number >= count:
            break
        folder = drops_dir / f"{number:03d}-{doc.docid.replace('/', '_')}"
        folder.mkdir(exist_ok=True)
        (folder / "target.txt").write_text("\n".join(doc.target) + "\n", encoding="utf-8")
        (folder / "reference.txt").write_text("\n".join(doc.reference) + "\n", encoding="utf-8")
        made.append(folder)
    return made


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", help="a wmt21-ru-en folder (the repository has one: data/wmt21-ru-en)")
    parser.add_argument("drops_dir", help="where to write the drops")
    parser.add_argument("--count", type=int, default=None, help="at most this many drops (default: all 107)")
    parser.add_argument("--system", default=None, help="MT system for the targets (default: the weakest)")
    args = parser.parse_args(argv)
    made = make_drops(args.data_dir, args.drops_dir, args.count, args.system)
    print(f"{len(made)} drops in {args.drops_dir}")


if __name__ == "__main__":
    main()
