#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Medians and ratios from bench-compare's per-run outputs (kiosk-N.txt,
chromium-N.txt: key=value lines); prints them and writes RESULTS.md."""

import argparse
import datetime
import os
import platform
import re
import statistics
import sys


def read_run(path):
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, sep, value = line.strip().partition("=")
            if sep:
                values[key] = value
    return values


def number(run, key):
    try:
        value = float(run.get(key, ""))
    except ValueError:
        return None
    return None if value < 0 else value


def series(run, key):
    text = run.get(key, "")
    return [float(v) for v in text.split(",") if v]


def median(values):
    return statistics.median(values) if values else None


def p99(values):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[round(0.99 * (len(ordered) - 1))]


def fmt(value, digits=0):
    return "—" if value is None else f"{value:,.{digits}f}"


def ratio(kiosk, chromium):
    if kiosk is None or chromium is None or kiosk == 0:
        return "—"
    return f"{chromium / kiosk:.1f}×"


def machine():
    cpu = "unknown"
    mem_kb = 0
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as f:
            mem_kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    except OSError:
        pass
    return f"{os.cpu_count()} × {cpu}, {mem_kb / 1048576:.0f} GiB RAM, Linux {platform.release()}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--versions", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("dir")
    args = parser.parse_args()

    runs = {"kiosk": [], "chromium": []}
    for name in runs:
        for i in range(1, args.runs + 1):
            path = os.path.join(args.dir, f"{name}-{i}.txt")
            runs[name].append(read_run(path) if os.path.exists(path) else {})

    def figures(name):
        rs = runs[name]
        clicks = [v for r in rs for v in series(r, "click_to_frame_ms")]
        trace = [v for r in rs for v in series(r, "input_to_frame_ms")]
        return {
            "first": median([v for r in rs if (v := number(r, "first_frame_ms")) is not None]),
            "pss": median([v / 1024 for r in rs if (v := number(r, "pss_kb")) is not None]),
            "rss": median([v / 1024 for r in rs if (v := number(r, "rss_kb")) is not None]),
            "procs": median([v for r in rs if (v := number(r, "processes")) is not None]),
            "click_median": median(clicks),
            "click_p99": p99(clicks),
            "clicks": len(clicks),
            "trace_median": median(trace),
            "trace_p99": p99(trace),
            "traces": len(trace),
            "ok": sum(1 for r in rs if number(r, "first_frame_ms") is not None),
        }

    k, c = figures("kiosk"), figures("chromium")
    rows = [
        ("Time to first frame of the home screen, median (ms)", k["first"], c["first"], 0),
        ("Memory of the process tree after 10 s, PSS, median (MiB)", k["pss"], c["pss"], 1),
        ("Memory of the process tree after 10 s, RSS sum, median (MiB)", k["rss"], c["rss"], 1),
        ("Processes in the tree", k["procs"], c["procs"], 0),
        ("Click on the language toggle to the frame that answers, median (ms)", k["click_median"],
         c["click_median"], 1),
        ("Click to answer frame, p99 (ms)", k["click_p99"], c["click_p99"], 1),
    ]
    table = ["| | linli-kiosk | Chromium kiosk | Chromium ÷ linli-kiosk |", "| --- | ---: | ---: | ---: |"]
    for label, kv, cv, digits in rows:
        table.append(f"| {label} | {fmt(kv, digits)} | {fmt(cv, digits)} | {ratio(kv, cv)} |")

    per_run = ["| run | program | first frame (ms) | PSS (MiB) | RSS (MiB) | processes | clicks answered |",
               "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for i in range(args.runs):
        for name, label in (("kiosk", "linli-kiosk"), ("chromium", "Chromium")):
            r = runs[name][i]
            pss, rss = number(r, "pss_kb"), number(r, "rss_kb")
            per_run.append(
                f"| {i + 1} | {label} | {fmt(number(r, 'first_frame_ms'))} | "
                f"{fmt(pss / 1024 if pss is not None else None, 1)} | "
                f"{fmt(rss / 1024 if rss is not None else None, 1)} | {fmt(number(r, 'processes'))} | "
                f"{len(series(r, 'click_to_frame_ms'))} |")

    if k["traces"]:
        trace = (f"Inside the kiosk (LINLI_KIOSK_TRACE, input event to the after-paint of the next frame, "
                 f"{k['traces']} inputs): median {fmt(k['trace_median'], 2)} ms, p99 {fmt(k['trace_p99'], 2)} ms.")
    else:
        trace = ("Inside the kiosk: no figures; the linli-kiosk measured writes no LINLI_KIOSK_TRACE file "
                 "(see bench/compare/README.md for the hook).")

    now = datetime.datetime.now().astimezone()
    text = f"""# linli-kiosk against a Chromium kiosk

Generated by `{args.command}` on {now:%Y-%m-%d %H:%M %Z}. Do not edit: run the command again.

- Machine: {machine()}
- Versions: {args.versions}
- Runs: {args.runs} of each, alternating (linli-kiosk, Chromium, linli-kiosk, …); first frames found in
  {k['ok']} and {c['ok']} of them.
- Screen: Xvfb 1080×1920×24, no window manager, no GPU: Chromium `--disable-gpu`, GTK `GSK_RENDERER` as in the versions line.

{chr(10).join(table)}

{trace}

## How each figure is taken

- **First frame**: from `fork()` to the first frame of the home screen, read from Xvfb's framebuffer file
  (`-fbdir`, mapped shared) every 2 ms. The home screen is shown when each of its four tile colours covers at least
  5 % of the screen, and the frame then stays unchanged for 500 ms (the clock's top tenth of the screen left out);
  the time is when that frame first appeared. One condition for both programs.
- **Memory**: 10 s after start, Rss and Pss from `/proc/PID/smaps_rollup` summed over every process of the tree
  (the measuring tool is a child subreaper, so daemonised helpers stay in the tree). PSS divides shared pages among
  the processes that share them; RSS counts them once per process.
- **Click to frame**: an XTEST click on the 中文/English toggle, then the time until the screen has changed and
  stayed unchanged for 200 ms, measured from the click to that frame's first appearance; {k['clicks']} and
  {c['clicks']} clicks.

## Every run

{chr(10).join(per_run)}
"""
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print("\n".join(table))
    print(trace)
    print(f"written: {args.out}")


if __name__ == "__main__":
    sys.exit(main())
