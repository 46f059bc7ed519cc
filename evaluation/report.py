"""The results table in Markdown (the README's Quality section shows it)."""

from __future__ import annotations


def _fmt(value) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _verdict(row: dict) -> str:
    ours, raw = row.get("mtrepair"), row.get("baselines", {})
    if ours is None:
        return ""
    reference = raw.get("source unchanged", raw.get("MT unchanged", raw.get("raw")))
    if row["better"] == "higher":
        delta = ours - reference
        target = row.get("target")
        met = "meets target" if isinstance(target, float) and ours >= target else f"target {target}" if target else ""
        return f"{delta:+.2f} {met}".strip()
    delta = ours - reference
    return f"{delta:+.2f} " + ("lower ✓" if delta < 0 else "same" if delta == 0 else "HIGHER ✗")


def markdown(results: dict) -> str:
    rows = results["rows"]
    out = [
        "# mtrepair evaluation",
        "",
        f"Created {results['created']} from `{results['data']}` in {results['seconds']} s "
        f"on {results['machine']['cpus']} CPUs (load average before/after: "
        f"{results['machine']['load_before'][0]} / {results['machine']['load_after'][0]}; the machine is shared). "
        f"Thresholds chosen on dev data: {', '.join(f'{k} {v}' for k, v in results['calibration'].items())}.",
        "",
        "| benchmark | split | system / profile | metric | baselines | mtrepair | change | lines changed | s / 1000 lines |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        who = row.get("system") or f"profile {row.get('profile')}"
        if row.get("role"):
            who += f" ({row['role']})"
        baselines = "; ".join(f"{k} {_fmt(v)}" for k, v in row.get("baselines", {}).items() if v is not None)
        out.append(
            f"| {row['benchmark']} | {row.get('split', 'test')} | {who} | {row['metric']} | {baselines} | "
            f"{_fmt(row.get('mtrepair'))} | {_verdict(row)} | {_fmt(row.get('lines_changed'))} | {_fmt(row.get('seconds_per_1000'))} |"
        )
    out += ["", "## Precision of applied edits, per kind", "",
            "Each applied edit alone: helped = the line moved closer to the human correction, hurt = further.", "",
            "| benchmark | system / profile | kind | edits | helped | hurt | neutral | precision |", "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        who = row.get("system") or f"profile {row.get('profile')}"
        for kind, c in row.get("precision", {}).items():
            out.append(f"| {row['benchmark']} | {who} | {kind} | {c['edits']} | {c['helped']} | {c['hurt']} | {c['neutral']} | {_fmt(c['precision'])} |")
    wmt = [r for r in rows if r.get("reference_types")]
    if wmt:
        out += ["", "## WMT21: reference type detected per document", ""]
        out += [f"- {r['system']}: " + ", ".join(f"{k} {v}" for k, v in r["reference_types"].items()) for r in wmt]
    return "\n".join(out) + "\n"
