"""The benchmark: each section measures the pipeline against its bare components.

python -m bench.run [--data ../shared/data] [--out outputs/bench] [--sizes 100,1000,10000] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# Every run does all its work: no Prefect cache hits (the cache is a lever measured on its own).
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="mtrepair-bench-prefect-"))
os.environ.setdefault("PREFECT_TASKS_REFRESH_CACHE", "true")

import requests  # noqa: E402

from mtrepair import env  # noqa: E402

from . import articles  # noqa: E402
from .measure import best_of, peak_rss_of_pid, python_wall, run_cli, timed  # noqa: E402

BENCH_SERVER_SETTINGS = {"cacheSize": "0"}
ROOT = Path(__file__).resolve().parent.parent
SEED_TARGET = ROOT / "seeds" / "000_ab55c3e2a6d3611c.txt"
SEED_REFERENCE = ROOT / "seeds" / "003_985378199c8bf71d.txt"


def bare_languagetool(url: str, texts: list[str], language: str, threads: int) -> float:
    """All texts checked by the server directly, `threads` requests at a time."""

    def check(text: str) -> None:
        response = requests.post(url + "/v2/check", data={"text": text, "language": language}, timeout=600)
        response.raise_for_status()

    def all_texts() -> None:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(check, texts))

    return best_of(2, all_texts)


def bare_components(url: str, embedder, target, references, language: str) -> dict:
    from repair.segment import paragraphs

    chunks = [target.text[a:b] for a, b in paragraphs(target.text)]
    lt = {threads: bare_languagetool(url, chunks, language, threads) for threads in (1, 2, 4)}
    best_threads = min(lt, key=lt.get)
    sentences = [s.text for doc in [target, *references] for s in doc.sentences]
    encode = best_of(3, lambda: embedder.encode(sentences))
    return {
        "languagetool_s": lt[best_threads],
        "languagetool_threads": best_threads,
        "languagetool_by_threads_s": lt,
        "encode_s": encode,
        "bare_s": lt[best_threads] + encode,
        "sentences": len(sentences),
    }


def seed_warm(url: str, settings, repeats: int = 3) -> dict:
    from flows.repair_pair import repair_pair
    from repair.document import prepare_document

    from flows import resources
    from flows.local import on_demand

    embedder = resources.get_embedder(settings)
    target = prepare_document(SEED_TARGET).document
    reference = prepare_document(SEED_REFERENCE).document
    bare = bare_components(url, embedder, target, [reference], settings.language)
    out = Path(tempfile.mkdtemp(prefix="mtrepair-bench-seed-"))
    with on_demand():
        return _seed_runs(repair_pair, out, settings, bare, repeats)


def _seed_runs(repair_pair, out: Path, settings, bare: dict, repeats: int) -> dict:
    repair_pair(str(SEED_TARGET), [str(SEED_REFERENCE)], str(out / "warmup"), settings)  # Prefect, caches, JIT
    runs = [timed(lambda i=i: repair_pair(str(SEED_TARGET), [str(SEED_REFERENCE)], str(out / f"run{i}"), settings))[0] for i in range(repeats)]
    pipeline = min(runs)
    return {**bare, "pipeline_s": pipeline, "ratio": pipeline / bare["bare_s"], "target": "<= 1.25"}


def cold_start(settings) -> dict:
    """`mtrepair run` on the seeds in a fresh process with its own server, against
    the unavoidable parts measured the same way: imports, model load, LanguageTool start."""
    from repair.languagetool import LanguageToolServer

    fresh_prefect = {"PREFECT_HOME": tempfile.mkdtemp(prefix="mtrepair-bench-cold-"), "MTREPAIR_LANGUAGETOOL_URL": ""}
    out = Path(tempfile.mkdtemp(prefix="mtrepair-bench-cold-run-"))
    command, _ = run_cli(["run", str(SEED_TARGET), "--reference", str(SEED_REFERENCE), "--out", str(out)], env=fresh_prefect)
    imports = python_wall("import mtrepair.cli, flows.repair_pair")
    model = python_wall("from repair.align import Embedder; Embedder()") - python_wall("import repair.align")
    server = LanguageToolServer(home=settings.languagetool_home)
    languagetool, _ = timed(server.start)
    server.stop()
    floor = imports + model + languagetool
    return {
        "command_s": command,
        "imports_s": imports,
        "model_load_s": model,
        "languagetool_start_s": languagetool,
        "floor_s": floor,
        "ratio": command / floor,
        "target": "<= 1.5",
    }


def scaling(data: Path, sizes: list[int], settings) -> list[dict]:
    from repair.document import prepare_document
    from repair.languagetool import LanguageToolServer

    rows = []
    folder = Path(tempfile.mkdtemp(prefix="mtrepair-bench-scale-"))
    for lines in sizes:
        target, reference = articles.article_pair(data, lines, folder)
        sentences = len(prepare_document(target).document.sentences)
        with LanguageToolServer(home=settings.languagetool_home) as server:
            wall, rss = run_cli(
                ["run", str(target), "--reference", str(reference), "--out", str(folder / f"run-{lines}")],
                env={"MTREPAIR_LANGUAGETOOL_URL": server.url},
                rss_file=folder / f"rss-{lines}",
            )
            jvm = peak_rss_of_pid(server.process.pid)
        rows.append({"lines": lines, "sentences": sentences, "seconds": wall, "python_peak_mb": rss / 2**20, "jvm_peak_mb": jvm / 2**20})
    return rows


def render(results: dict) -> str:
    lines = [f"# mtrepair benchmark ({results['machine']})", ""]
    lines += ["| measure | pipeline | bare | ratio | target |", "|---|---|---|---|---|"]
    if "seed_warm" in results:
        s = results["seed_warm"]
        lines.append(f"| seed pair, warm | {s['pipeline_s']:.2f} s | {s['bare_s']:.2f} s (LanguageTool {s['languagetool_s']:.2f} s with {s['languagetool_threads']} threads + encode {s['encode_s']:.2f} s) | {s['ratio']:.2f} | {s['target']} |")
    if "cold_start" in results:
        c = results["cold_start"]
        lines.append(f"| cold start, seeds | {c['command_s']:.1f} s | {c['floor_s']:.1f} s (imports {c['imports_s']:.1f} + model {c['model_load_s']:.1f} + LanguageTool {c['languagetool_start_s']:.1f}) | {c['ratio']:.2f} | {c['target']} |")
    for extra in results.get("extra_rows", []):
        lines.append(extra)
    if "scaling" in results:
        lines += ["", "| target lines | sentences | time | s per 1000 sentences | Python peak | JVM peak |", "|---|---|---|---|---|---|"]
        for row in results["scaling"]:
            lines.append(f"| {row['lines']} | {row['sentences']} | {row['seconds']:.1f} s | {1000 * row['seconds'] / max(row['sentences'], 1):.1f} | {row['python_peak_mb']:.0f} MB | {row['jvm_peak_mb']:.0f} MB |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "outputs" / "bench")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--sections", default="seed,cold,scaling")
    args = parser.parse_args(argv)
    sections = set(args.sections.split(","))

    env.configure()
    from repair.config import Settings
    from repair.languagetool import LanguageToolServer

    results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}", "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    # No result cache: the bare checks and the pipeline both do the real checking work
    # (a repeated text would otherwise come back from the cache in milliseconds).
    with LanguageToolServer(settings=BENCH_SERVER_SETTINGS) as server:
        settings = Settings.from_env(languagetool_url=server.url)
        if "seed" in sections:
            results["seed_warm"] = seed_warm(server.url, settings)
            print(render(results), flush=True)
    if "cold" in sections:
        results["cold_start"] = cold_start(Settings.from_env())
        print(render(results), flush=True)
    if "scaling" in sections:
        results["scaling"] = scaling(args.data, [int(s) for s in args.sizes.split(",")], Settings.from_env())
    table = render(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(table)
    (args.out / "results.json").write_text(json.dumps(results, indent=2))
    print(table)
    print(f"written: {args.out / 'results.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
