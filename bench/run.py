"""The benchmark: each section measures the pipeline against its bare components.

    python -m bench.run [--data data] [--out outputs/bench] [--sections seed,article,...]

Sections (all by default; `make bench` runs them all, about 15-25 minutes on 2 cores):
seed      the seed pair, warm (server up, model loaded): whole flow / bare components
article   the same for a 1,000-line WMT21 article: the per-run costs spread over real work
batch     100 WMT21 drops through the batch flow, sequential and on 2 Dask workers: throughput ratio
line      line mode on JFLEG test without reference: lines per second, against LanguageTool alone
cold      `mtrepair run` on the seeds in a fresh process / its floor (JVM's first answer + model read), peak memory
up        `mtrepair run` on the seeds in a fresh process with `mtrepair up`'s servers / the same run in a warm
          process, and / the cold run without `up` (bench/startup.py)
quick     `mtrepair --help` and a refused bad input: wall time of a fresh process (bench/startup.py)
served    `mtrepair serve` (warm Dask worker, and --no-warm) repairing one small drop per scheduled run,
          against the same work done warm in this process (bench/served.py)
scaling   `mtrepair run` on 100, 1,000 and 10,000 lines: time, Python and JVM peak memory

Bare components are LanguageTool checking the very requests the pipeline sends (at
its best number of parallel requests) plus encoding every sentence once with the
same model and batch size. The bench's LanguageTool server keeps no result cache, so
no measurement is served from an earlier one. Results: outputs/bench/results.md and .json.
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

from . import articles, served, startup  # noqa: E402
from .measure import best_of, peak_rss_of_pid, run_cli, timed  # noqa: E402

BENCH_SERVER_SETTINGS = {"cacheSize": "0"}
ROOT = Path(__file__).resolve().parent.parent
SEED_TARGET = ROOT / "seeds" / "000_ab55c3e2a6d3611c.txt"
SEED_REFERENCE = ROOT / "seeds" / "003_985378199c8bf71d.txt"


def bare_languagetool(url: str, texts: list[str], language: str, threads: int, repeats: int = 2) -> float:
    """All texts checked by the server directly, `threads` requests at a time."""
    session = requests.Session()

    def check(text: str) -> None:
        response = session.post(url + "/v2/check", data={"text": text, "language": language}, timeout=600)
        response.raise_for_status()

    def all_texts() -> None:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(check, texts))

    return best_of(repeats, all_texts)


def bare_components(url: str, embedder, texts: list[str], sentences: list[str], language: str, repeats: int = 2) -> dict:
    """The two real costs alone: LanguageTool on `texts` (the requests the pipeline
    sends) at its best number of parallel requests, and encoding `sentences`."""
    lt = {threads: bare_languagetool(url, texts, language, threads, repeats) for threads in (2, 4)}
    best_threads = min(lt, key=lt.get)
    encode = best_of(repeats, lambda: embedder.encode(sentences)) if sentences else 0.0
    return {
        "languagetool_s": lt[best_threads],
        "languagetool_threads": best_threads,
        "languagetool_by_threads_s": lt,
        "encode_s": encode,
        "bare_s": lt[best_threads] + encode,
        "sentences": len(sentences),
    }


def article_requests(document) -> list[str]:
    """The texts the pipeline sends LanguageTool for one article (paragraphs, long ones cut)."""
    from repair.engines.grammar import request_spans

    return [document.text[a:b] for a, b in request_spans(document)]


def warm_pair(url: str, settings, target: Path, reference: Path, repeats: int = 3) -> dict:
    """One pair through the whole flow, server up and model loaded, against its bare components."""
    from flows.repair_pair import repair_pair
    from flows.local import on_demand
    from repair.engines import resources
    from repair.text.articles import prepare_article

    embedder = resources.get_embedder(settings)
    target_doc = prepare_article(target).document
    reference_doc = prepare_article(reference).document
    sentences = [s.text for doc in (target_doc, reference_doc) for s in doc.sentences]
    bare = bare_components(url, embedder, article_requests(target_doc), sentences, settings.language)
    out = Path(tempfile.mkdtemp(prefix="mtrepair-bench-warm-"))
    with on_demand():
        repair_pair(str(target), [str(reference)], str(out / "warmup"), settings)  # Prefect, caches, JIT
        runs = []
        for i in range(repeats):
            seconds, record = timed(lambda i=i: repair_pair(str(target), [str(reference)], str(out / f"run{i}"), settings))
            runs.append((seconds, record.timings))
    pipeline, stages = min(runs, key=lambda run: run[0])
    return {**bare, "target_sentences": len(target_doc.sentences), "pipeline_s": pipeline, "stages_s": stages,
            "ratio": pipeline / bare["bare_s"], "target": "<= 1.25"}


def batch(url: str, settings, data: Path, count: int, dask_workers: int) -> dict:
    """`count` WMT21 drops through the batch flow in this process (sequential; then on a
    local Dask cluster), against the bare components on all their text."""
    from flows.batch import run_batch
    from repair.engines import resources
    from bench.drops import make_drops
    from repair.text.articles import prepare_article

    folder = Path(tempfile.mkdtemp(prefix="mtrepair-bench-batch-"))
    made = make_drops(data / articles.WMT, folder / "drops", count)
    embedder = resources.get_embedder(settings)
    requests_, sentences = [], []
    for drop in made:
        target = prepare_article(drop / "target.txt").document
        reference = prepare_article(drop / "reference.txt").document
        requests_ += article_requests(target)
        sentences += [s.text for doc in (target, reference) for s in doc.sentences]
    distinct = list(dict.fromkeys(sentences))  # the batch encodes each distinct sentence of a group once
    bare = bare_components(url, embedder, requests_, distinct, settings.language, repeats=1)
    overrides = {"languagetool_url": url}
    rows = {}
    for name, options in (("sequential", {}), (f"dask, {dask_workers} workers", {"task_runner": "dask", "dask_workers": dask_workers})):
        wall, document = timed(lambda options=options, name=name: run_batch(
            str(folder / "drops"), str(folder / f"out-{name.split(',')[0]}"), settle_seconds=0, settings=overrides,
            publish_artifacts=False, **options))
        repaired = document["counts"]["repaired"]
        rows[name] = {"wall_s": wall, "repaired": repaired, "drops_per_min": 60 * repaired / wall,
                      "ratio": bare["bare_s"] / wall}
    return {**bare, "drops": len(made), "target_lines": sum(len((d / "target.txt").read_text().splitlines()) for d in made),
            "runs": rows, "target": ">= 0.9"}


def line_mode(url: str, settings, data: Path, repeats: int = 2) -> dict:
    """`correct` on JFLEG test without reference (cleanup and grammar), warm, against
    LanguageTool checking the same requests alone."""
    from repair.engines import resources
    from repair.engines.grammar_batch import SEPARATOR, pack
    from repair.line_mode import correct_lines

    lines = (data / "jfleg" / "test" / "test.src").read_text(encoding="utf-8").splitlines()
    checker = resources.get_checker(settings)
    requests_ = [SEPARATOR.join(lines[i] for i in batch) for batch in pack(lines, 20000)]
    bare = bare_components(url, None, requests_, [], settings.language)
    correct_lines(lines, [], checker, None, settings)  # warm-up
    pipeline = best_of(repeats, lambda: correct_lines(lines, [], checker, None, settings))
    return {**bare, "lines": len(lines), "pipeline_s": pipeline, "lines_per_s": len(lines) / pipeline,
            "bare_lines_per_s": len(lines) / bare["bare_s"], "ratio": pipeline / bare["bare_s"]}


def scaling(data: Path, sizes: list[int], settings) -> list[dict]:
    """`mtrepair run` in a fresh process on articles of each size, each with a fresh
    LanguageTool server: wall time, and peak memory of the Python process and the JVM."""
    from repair.text.articles import prepare_article
    from repair.engines.languagetool import LanguageToolServer

    os.environ["MTREPAIR_MAX_ARTICLE_BYTES"] = "4000000"  # 10,000 WMT21 lines are 1.1 MB
    rows = []
    folder = Path(tempfile.mkdtemp(prefix="mtrepair-bench-scale-"))
    for lines in sizes:
        target, reference = articles.article_pair(data, lines, folder)
        sentences = len(prepare_article(target).document.sentences)
        with LanguageToolServer(home=settings.languagetool_home) as server:
            wall, rss = run_cli(
                ["run", str(target), "--reference", str(reference), "--out", str(folder / f"run-{lines}")],
                env={"MTREPAIR_LANGUAGETOOL_URL": server.url},
                rss_file=folder / f"rss-{lines}",
            )
            jvm = peak_rss_of_pid(server.process.pid)
        stages = json.loads((folder / f"run-{lines}" / "run.json").read_text())["timings"]
        rows.append({"lines": lines, "sentences": sentences, "seconds": wall, "python_peak_mb": rss / 2**20,
                     "jvm_peak_mb": jvm / 2**20, "stages_s": stages})
        print(f"scaling: {rows[-1]}", file=sys.stderr, flush=True)
    return rows


def _stages(stages: dict) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in stages.items() if v >= 0.01)


def render(results: dict) -> str:
    lines = [f"# mtrepair benchmark ({results['machine']}, {results['started']})", ""]
    lines += ["| measure | pipeline | bare (LanguageTool + encoding) | ratio | target |", "|---|---|---|---|---|"]
    for key, label in (("seed_warm", "seed pair, warm"), ("article_warm", "article, warm")):
        if key in results:
            s = results[key]
            lines.append(f"| {label} ({s['target_sentences']} sentences) | {s['pipeline_s']:.2f} s | {s['bare_s']:.2f} s "
                         f"({s['languagetool_s']:.2f} s, {s['languagetool_threads']} requests at a time + {s['encode_s']:.2f} s) "
                         f"| {s['ratio']:.2f} | {s['target']} |")
    if "batch" in results:
        b = results["batch"]
        for name, run in b["runs"].items():
            lines.append(f"| batch of {b['drops']} drops, {name} (throughput) | {run['wall_s']:.1f} s, {run['drops_per_min']:.0f} drops/min "
                         f"| {b['bare_s']:.1f} s ({b['languagetool_s']:.1f} + {b['encode_s']:.1f}) | {run['ratio']:.2f} | {b['target']} |")
    lines += startup.render_rows(results)
    lines += served.render_rows(results)
    if "line_mode" in results:
        m = results["line_mode"]
        lines.append(f"| line mode, JFLEG test ({m['lines']} lines, no reference) | {m['pipeline_s']:.1f} s, {m['lines_per_s']:.0f} lines/s "
                     f"| {m['bare_s']:.1f} s (LanguageTool alone, {m['bare_lines_per_s']:.0f} lines/s) | {m['ratio']:.2f} | — |")
    for key, label in (("seed_warm", "seed pair, warm"), ("article_warm", "article, warm")):
        if key in results:
            lines.append(f"\n{label}, pipeline stages (s): {_stages(results[key]['stages_s'])}")
    if "scaling" in results:
        lines += ["", "| target lines | sentences | time | s per 1000 sentences | Python peak | JVM peak |", "|---|---|---|---|---|---|"]
        for row in results["scaling"]:
            lines.append(f"| {row['lines']} | {row['sentences']} | {row['seconds']:.1f} s | {1000 * row['seconds'] / max(row['sentences'], 1):.1f} | {row['python_peak_mb']:.0f} MB | {row['jvm_peak_mb']:.0f} MB |")
    return "\n".join(lines) + "\n"


SECTIONS = ("seed", "article", "batch", "line", "cold", "up", "quick", "served", "scaling")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "outputs" / "bench")
    parser.add_argument("--sizes", default="100,1000,10000", help="article sizes (lines) for the scaling section")
    parser.add_argument("--article-lines", type=int, default=1000, help="size of the warm article")
    parser.add_argument("--drops", type=int, default=100, help="drops in the batch section")
    parser.add_argument("--dask-workers", type=int, default=2)
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated, from {', '.join(SECTIONS)}")
    args = parser.parse_args(argv)
    sections = set(args.sections.split(","))
    unknown = sections - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")

    env.configure()
    from repair.config import Settings
    from repair.engines.languagetool import LanguageToolServer

    results: dict = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M"), "load_before": os.getloadavg()}

    def show() -> None:  # after every section, so a section that fails loses only itself
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "results.md").write_text(render(results))
        (args.out / "results.json").write_text(json.dumps(results, indent=2))
        print(render(results), flush=True)

    # No result cache: the bare checks and the pipeline both do the real checking work
    # (a repeated text would otherwise come back from the cache in milliseconds).
    with LanguageToolServer(settings=BENCH_SERVER_SETTINGS) as server:
        settings = Settings.from_env(languagetool_url=server.url)
        if "seed" in sections:
            results["seed_warm"] = warm_pair(server.url, settings, SEED_TARGET, SEED_REFERENCE)
            show()
        if "article" in sections:
            folder = Path(tempfile.mkdtemp(prefix="mtrepair-bench-article-"))
            target, reference = articles.article_pair(args.data, args.article_lines, folder)
            results["article_warm"] = warm_pair(server.url, settings, target, reference, repeats=2)
            show()
        if "batch" in sections:
            results["batch"] = batch(server.url, settings, args.data, args.drops, args.dask_workers)
            show()
        if "line" in sections:
            results["line_mode"] = line_mode(server.url, settings, args.data)
            show()
    if "cold" in sections:
        results["cold_start"] = startup.cold_run(Settings.from_env())
        show()
    if "up" in sections:
        results["up"] = startup.up_runs()
        show()
    if "quick" in sections:
        results["quick"] = startup.quick_commands()
        show()
    if "served" in sections:
        results["served"] = served.measure(args.data)
        show()
    if "scaling" in sections:
        results["scaling"] = scaling(args.data, [int(s) for s in args.sizes.split(",")], Settings.from_env())
    results["load_after"] = os.getloadavg()
    show()
    print(f"written: {args.out / 'results.md'}", file=sys.stderr)


def machine() -> str:
    """The CPU model, core count and memory: absolute times mean little without them."""
    model = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = next(int(l.split()[1]) for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        memory_text = f", {memory / 2**20:.0f} GB"
    except (OSError, StopIteration, ValueError):
        memory_text = ""
    return f"{model}, {os.cpu_count()} cores{memory_text}, Python {platform.python_version()}"


if __name__ == "__main__":
    main()
