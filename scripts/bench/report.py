"""Summarizes the JSON lines that scripts/bench.sh and scripts/bench-client.sh record: medians per
contender, ratios against the targets of issue 7, as text (--text) and as docs/benchmarks.md (--markdown).

    report.py --results FILE [--groups client,orchestration,...] [--text] [--markdown OUT]
              [--podman-version V] [--load-before L] [--wall-seconds S]
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
from collections import defaultdict

# group -> (title, unit, higher is better, contenders in column order)
GROUPS = {
    "client": ("Client: `GET /_ping` requests per second", "req/s", True,
               ["podstack", "raw-libcurl", "podman-py"]),
    "orchestration": ("Orchestration: 8 stand-in services, service_started dependencies (seconds)", "s", False,
                      ["podstack", "podman-compose"]),
    "health": ("Health-gated start: chain with service_healthy dependencies (seconds)", "s", False,
               ["podstack", "critical-path", "podman-compose"]),
    "preflight": ("Preflight with 2,000 listening sockets in 200 processes (seconds)", "s", False,
                  ["podstack-preflight", "podstack-preflight-host-only", "ss-tlnp"]),
}

# group, case, numerator, denominator, comparison, target
TARGETS = [
    ("client", "sequential", "podstack", "raw-libcurl", ">=", 0.9),
    ("client", "concurrent-8", "podstack", "raw-libcurl", ">=", 0.9),
    ("client", "sequential", "podstack", "podman-py", ">=", 4.0),
    ("client", "concurrent-8", "podstack", "podman-py", ">=", 4.0),
    ("orchestration", "cold-up", "podstack", "podman-compose", "<=", 0.5),
    ("orchestration", "noop-up", "podstack", "podman-compose", "<=", 0.2),
    ("orchestration", "down", "podstack", "podman-compose", "<=", 0.5),
    ("health", "all-ready", "podstack", "critical-path", "<=", 1.15),
    ("preflight", "held-port", "podstack-preflight", "ss-tlnp", "<=", 1.0),
]


def load(path):
    values = defaultdict(list)  # (group, case, contender) -> [value]
    notes = defaultdict(list)   # group -> [text]
    cases = defaultdict(list)   # group -> [case] in first-seen order
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if not line:
                continue
            item = json.loads(line)
            if "note" in item:
                notes[item["group"]].append(item["note"])
                continue
            key = (item["group"], item["case"], item["contender"])
            values[key].append(float(item["value"]))
            if item["case"] not in cases[item["group"]]:
                cases[item["group"]].append(item["case"])
    return values, notes, cases


def fmt(value, unit):
    if unit == "req/s":
        return f"{value:,.0f}"
    return f"{value:.3f}" if value < 10 else f"{value:.2f}"


def target_rows(values, groups):
    rows = []
    for group, case, num, den, op, target in TARGETS:
        if group not in groups:
            continue
        a, b = values.get((group, case, num)), values.get((group, case, den))
        if not a or not b:
            continue
        ratio = statistics.median(a) / statistics.median(b)
        met = ratio >= target if op == ">=" else ratio <= target
        rows.append((group, case, f"{num} / {den}", ratio, f"{op} {target:g}", "met" if met else "MISSED"))
    return rows


def machine(podman_version, load_before):
    mem_kib = 0
    with open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                   if line.startswith("model name"))
    except StopIteration:
        cpu = platform.processor() or "unknown"
    try:
        swift = subprocess.run(["swift", "--version"], capture_output=True, text=True, check=False).stdout
        swift = swift.splitlines()[0] if swift else "unknown"
    except OSError:
        swift = "unknown"
    try:
        commit = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)), "log", "-1",
                                 "--format=%h %s"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        commit = ""
    rows = [
        ("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("cores (`nproc`)", str(os.cpu_count())),
        ("CPU", cpu),
        ("memory", f"{mem_kib / 1024 / 1024:.1f} GiB"),
        ("kernel", platform.release()),
        ("podman", podman_version or "unknown"),
        ("swift", swift),
    ]
    if commit:
        rows.append(("podstack commit", commit.replace("|", "/")[:90]))
    if load_before:
        rows.append(("load average before the run (1/5/15 min)", load_before))
    return rows


def render_text(values, notes, cases, groups):
    out = []
    for group in groups:
        if not cases.get(group):
            continue
        title, unit, _, contenders = GROUPS[group]
        out.append(title)
        for case in cases[group]:
            cells = []
            for contender in contenders:
                got = values.get((group, case, contender))
                if got:
                    cells.append(f"{contender} {fmt(statistics.median(got), unit)} (n={len(got)})")
            out.append(f"  {case:<14} " + "  ".join(cells))
        for text in notes.get(group, []):
            out.append(f"  note: {text}")
    rows = target_rows(values, groups)
    if rows:
        out.append("Ratios of medians against targets")
        for group, case, what, ratio, target, verdict in rows:
            out.append(f"  {group}/{case:<13} {what:<36} {ratio:7.3f}  target {target:<7} {verdict}")
    return "\n".join(out)


def render_markdown(values, notes, cases, groups, args):
    out = ["# Benchmarks", "",
           "Measured by `scripts/bench.sh` (client part: `scripts/bench-client.sh`) in one run on one machine.",
           "Every figure is the median of the rounds shown as n; contenders alternate within each round.",
           "Regenerate with `scripts/bench.sh`; this file is overwritten by each run.", "",
           "## Machine", "", "| | |", "| --- | --- |"]
    out += [f"| {k} | {v} |" for k, v in machine(args.podman_version, args.load_before)]
    if args.wall_seconds:
        out.append(f"| wall time of the whole run | {float(args.wall_seconds) / 60:.1f} min |")
    out.append("")
    rows = target_rows(values, groups)
    if rows:
        out += ["## Targets", "", "| comparison | case | ratio of medians | target | verdict |",
                "| --- | --- | --- | --- | --- |"]
        out += [f"| {group}: {what} | {case} | {ratio:.3f} | {target} | {verdict} |"
                for group, case, what, ratio, target, verdict in rows]
        out.append("")
    for group in groups:
        if not cases.get(group):
            continue
        title, unit, _, contenders = GROUPS[group]
        present = [c for c in contenders if any(values.get((group, case, c)) for case in cases[group])]
        out += [f"## {title}", "", "| case | " + " | ".join(present) + " |",
                "| --- |" + " --- |" * len(present)]
        for case in cases[group]:
            cells = []
            for contender in present:
                got = values.get((group, case, contender))
                cells.append(f"{fmt(statistics.median(got), unit)} (n={len(got)}, "
                             f"{fmt(min(got), unit)}–{fmt(max(got), unit)})" if got else "–")
            out.append(f"| {case} | " + " | ".join(cells) + " |")
        out.append("")
        for text in notes.get(group, []):
            out.append(f"- {text}")
        if notes.get(group):
            out.append("")
    if args.appendix and os.path.exists(args.appendix):
        with open(args.appendix, encoding="utf-8") as extra:
            out += [extra.read().rstrip(), ""]
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", required=True)
    parser.add_argument("--groups", default=",".join(GROUPS))
    parser.add_argument("--text", action="store_true")
    parser.add_argument("--markdown")
    parser.add_argument("--podman-version", default="")
    parser.add_argument("--load-before", default="")
    parser.add_argument("--wall-seconds", default="")
    parser.add_argument("--appendix", default="", help="markdown appended as is (method notes)")
    args = parser.parse_args()
    groups = [g for g in args.groups.split(",") if g in GROUPS]
    values, notes, cases = load(args.results)
    if args.text:
        print(render_text(values, notes, cases, groups))
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as doc:
            doc.write(render_markdown(values, notes, cases, groups, args) + "\n")


if __name__ == "__main__":
    main()
