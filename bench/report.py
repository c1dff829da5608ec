"""The Markdown report of bench/cluster.py: one table per cluster size, a column per cluster (kind and
mode), a row per figure; docs/benchmarks.md says how each figure is measured. Also the smoke run's
verdict (what did not work at all)."""

import os
import statistics

KIND_LABEL = {"go": "Go", "ours": "ours", "mixed": "mixed"}


def median(values):
    return statistics.median(values) if values else None


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def fmt_s(v, digits=2):
    return "–" if v is None else f"{v:.{digits}f} s"


def fmt_num(v, digits=1):
    return "–" if v is None else f"{v:.{digits}f}"


def per_kind_cell(result, fn):
    """One figure per agent kind present in the cluster: 'x' or, for mixed, 'Go x / ours y'."""
    idle = result.get("idle") or {}
    kinds = [k for k in ("go", "ours") if k in idle]
    if not kinds:
        return "–"
    if result["kind"] != "mixed":
        return fn(idle[kinds[0]])
    return ", ".join(f"{KIND_LABEL[k]} {fn(idle[k])}" for k in kinds)


def cells(result):
    """The table's rows for one cluster: {row label: cell text}."""
    c = {}
    start = result.get("start")
    if start is None:
        c["cpu_join"] = c["wall_join"] = "n/a"
    else:
        fails = len(start.get("failures", []))
        c["cpu_join"] = fmt_s(median(start.get("cpu_s", [])), 3) + (f" ({fails} failed)" if fails else "")
        c["wall_join"] = fmt_s(median(start.get("wall_s", [])), 2)
    v = result.get("view") or {}
    end = result.get("end") or {}
    n = result["n"]
    c["joined"] = f"{v.get('joined', 0)}/{n - 1}, {end.get('exited', 0)} exited" if v else "–"
    if v.get("full_view_s") is not None:
        c["full_view"] = fmt_s(v["full_view_s"])
    elif v:
        c["full_view"] = f"not reached ({v.get('seeing_all', 0)}/{v.get('running', 0)} see all)"
    else:
        c["full_view"] = "–"
    c["all_joined"] = fmt_s(v.get("all_joined_s"))
    by_kind = {k: cpus for k, cpus in (v.get("join_cpu_s") or {}).items() if cpus}
    if result["kind"] == "mixed":
        c["join_cpu_mass"] = ", ".join(f"{KIND_LABEL[k]} {fmt_s(median(cpus), 3)}" for k, cpus in by_kind.items()) or "–"
    else:
        c["join_cpu_mass"] = fmt_s(median(by_kind.get(result["kind"], [])), 3)
    ev = result.get("events")
    if ev and ev["latencies_s"]:
        lat = ev["latencies_s"]
        c["event"] = f"{percentile(lat, 50):.3f} / {max(lat):.3f} s"
        dup = end.get("duplicate_events", 0)
        c["event_missing"] = f"{len(lat)}/{len(lat) + ev['missing']}" + (f", {dup} twice" if dup else "")
    else:
        c["event"] = c["event_missing"] = "–"
    f = result.get("failure") or {}
    if f.get("detected_s") is not None:
        each = f.get("detected_each_s") or []
        c["failure"] = fmt_s(f["detected_s"], 1) + (
            f" ({', '.join(fmt_s(x, 1) for x in each)})" if len(each) > 1 else "")
    elif f:
        c["failure"] = f"not seen by all ({f.get('seen_by', 0)}/{f.get('observers', 0)})"
    else:
        c["failure"] = "–"
    c["rss"] = per_kind_cell(result, lambda e: f"{median(e['hwm_kb']) / 1024:.1f}/{median(e['rss_kb']) / 1024:.1f}"
                             if e["hwm_kb"] else "–")
    c["idle"] = per_kind_cell(result, lambda e: fmt_num(statistics.mean(e["cpu_ms_per_s"]), 1)
                              if e["cpu_ms_per_s"] else "–")
    c["refuted"] = str(end.get("refuted_log_lines", "–"))
    return c


ROWS = [
    ("cpu_join", "CPU to start and join one agent (median)"),
    ("wall_join", "wall time to \"Join completed\", one agent"),
    ("joined", "started at once: joined / exited"),
    ("all_joined", "all printed \"Join completed\""),
    ("full_view", "full view (every agent sees all alive)"),
    ("join_cpu_mass", "CPU to join, started at once (median)"),
    ("event", "user event to all nodes, p50 / max"),
    ("event_missing", "event deliveries (got / expected, repeats)"),
    ("failure", "kill -9: seen failed by every agent (median; each kill)"),
    ("rss", "RSS per agent, VmHWM / VmRSS MB (median)"),
    ("idle", "idle CPU per agent, ms/s (mean)"),
    ("refuted", "\"Refuting a …\" log lines (all agents)"),
]


def markdown(results, meta):
    lines = [f"### {meta['date']}{' — ' + meta['note'] if meta.get('note') else ''}", ""]
    lines.append(f"`{meta['command']}` on {meta['machine']}; Go agent: {meta['go_version']}; ours: "
                 f"{meta['ours_version']} (commit {meta['commit']}"
                 f"{', SERF_JAVA_OPTS=' + repr(meta['ours_opts']) if meta['ours_opts'] else ''}); "
                 f"load average at start {meta['load']}.")
    lines.append("")
    for n in meta["sizes"]:
        columns = [r for r in results if r["n"] == n]
        if not columns:
            continue
        lines.append(f"**N = {n}**")
        lines.append("")
        header = ["N = %d" % n] + [f"{KIND_LABEL[r['kind']]} {'-encrypt' if r['mode'] == 'encrypt' else 'plain'}"
                                   for r in columns]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        table = [cells(r) for r in columns]
        for key, label in ROWS:
            lines.append("| " + " | ".join([label] + [t[key] for t in table]) + " |")
        lines.append("")
        notes = []
        for r in columns:
            reasons = (r.get("end") or {}).get("exit_reasons") or {}
            for reason, count in reasons.items():
                notes.append(f"{KIND_LABEL[r['kind']]} {r['mode']}: {count} exited: `{reason}`")
            start = r.get("start") or {}
            for reason in start.get("failures", []):
                notes.append(f"{KIND_LABEL[r['kind']]} {r['mode']}: a single joiner failed: `{reason}`")
            for key in ("start", "view"):
                if (r.get(key) or {}).get("error"):
                    notes.append(f"{KIND_LABEL[r['kind']]} {r['mode']}: {r[key]['error']}")
        if notes:
            lines += [f"- {note}" for note in notes] + [""]
    return "\n".join(lines) + "\n"


MARKER = "<!-- bench/cluster.sh inserts new results below this line, newest first -->"


def write_doc(path, section):
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
    else:
        text = "# Benchmarks\n\n## Results\n\n" + MARKER + "\n"
    if MARKER in text:
        text = text.replace(MARKER, MARKER + "\n\n" + section.rstrip("\n"), 1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)


def problems(results):
    """What makes a smoke run fail: anything that did not work at all."""
    out = []
    for r in results:
        label = f"{r['kind']} {r['mode']} N={r['n']}"
        v, ev, f, end = r.get("view") or {}, r.get("events") or {}, r.get("failure") or {}, r.get("end") or {}
        if r.get("start") and (r["start"].get("failures") or r["start"].get("error")):
            out.append(f"{label}: single agent did not join")
        if v.get("full_view_s") is None:
            out.append(f"{label}: no full view")
        if end.get("exited"):
            out.append(f"{label}: {end['exited']} agents exited")
        if not ev or ev.get("missing") or not ev.get("sent"):
            out.append(f"{label}: user events missing")
        if f.get("detected_s") is None:
            out.append(f"{label}: failure not detected by all")
    return out
