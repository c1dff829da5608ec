#!/usr/bin/env python3
"""A wave of agents started one after another (or all at once) on 127.0.0.1, Go's and ours, and what
the cluster does while it absorbs them: the agents' CPU every 5 s, how long after the last start they
stay busy, the suspicions, failures and refutations their logs show, the UDP datagrams of the host, and
for our agents the CPU per thread in a window after the last start (which part of the JVM does the work).
Optionally a second phase loads the settled cluster with busy loops (a host saturated by something else).

  bench/startwave.sh                               # 128 agents, one every 0.3 s, Go then ours, plain
  bench/startwave.sh --gap 0 --kinds ours          # all at once after the seed (the start storm)
  bench/startwave.sh --busy 127 --busy-seconds 60  # and then 60 s of 127 busy loops on the settled cluster

It prints a markdown table and writes results.json to its work directory. It measures, it asserts
nothing; run it alone on the machine (its figures are the machine's). Standard library only.
"""

import argparse
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import BENCH_KEY, REPO  # noqa: E402
from procstat import CLK_TCK, cpu_seconds, stat_ticks  # noqa: E402

children = []


def thread_cpu(pids):
    """CPU per thread, keyed by its stat path: (its name with digits folded to '#', seconds)."""
    out = {}
    for pid in pids:
        for stat in glob.glob(f"/proc/{pid}/task/*/stat"):
            try:
                with open(stat) as f:
                    s = f.read()
                name = re.sub(r"[0-9]+", "#", s[s.index("(") + 1:s.rindex(")")])
                out[stat] = (name, stat_ticks(s) / CLK_TCK)
            except (OSError, ValueError, IndexError):
                pass
    return out


def udp_counters():
    """The host's UDP OutDatagrams and RcvbufErrors (/proc/net/snmp)."""
    with open("/proc/net/snmp") as f:
        rows = [line.split() for line in f if line.startswith("Udp:")]
    names, values = rows[0][1:], [int(v) for v in rows[1][1:]]
    d = dict(zip(names, values))
    return d.get("OutDatagrams", 0), d.get("RcvbufErrors", 0)


LOG_STAMP = re.compile(r"(\d{4})/(\d\d)/(\d\d) (\d\d):(\d\d):(\d\d)")


def log_seconds(line):
    """The agent log line's wall-clock stamp (both agents write YYYY/MM/DD hh:mm:ss), in seconds, or None."""
    m = LOG_STAMP.search(line)
    if not m:
        return None
    y, mo, d, h, mi, sec = (int(g) for g in m.groups())
    return time.mktime((y, mo, d, h, mi, sec, 0, 0, -1))


def log_counts(workdir):
    """What the agents' logs say: suspicions, member-failed events (and distinct nodes), refutations, and
    for every node some member marked failed whether it had refuted in time: its own "Refuting" line
    between the last suspicion of it before the first mark and that mark, 2 s or more before the mark
    ("refuted, not heard": the refutation did not reach the markers), later, or not at all (the node did
    not learn of or handle the suspicion in time). Log stamps have whole seconds."""
    suspicions = failed = refutations = 0
    failed_nodes = set()
    suspected, marked, refuted = {}, {}, {}
    for path in glob.glob(os.path.join(workdir, "n*.log")):
        me = os.path.basename(path)[:-4]
        with open(path, errors="replace") as f:
            for line in f:
                if "has failed, no acks received" in line:
                    suspicions += 1
                    m = re.search(r"Suspect (\S+) has failed", line)
                    if m:
                        suspected.setdefault(m.group(1), []).append(log_seconds(line))
                elif "EventMemberFailed" in line:
                    failed += 1
                    m = re.search(r"EventMemberFailed: (\S+)", line)
                    if m:
                        failed_nodes.add(m.group(1))
                elif "Refuting" in line:
                    refutations += 1
                    refuted.setdefault(me, []).append(log_seconds(line))
                elif "as failed, suspect timeout reached" in line:
                    m = re.search(r"Marking (\S+) as failed", line)
                    if m:
                        marked.setdefault(m.group(1), []).append(log_seconds(line))
    race = {"refuted_not_heard": 0, "refuted_late": 0, "not_refuted": 0}
    for node, marks in marked.items():
        stamped = [t for t in marks if t is not None]
        if not stamped:
            continue
        first = min(stamped)
        before = [t for t in suspected.get(node, []) if t is not None and t <= first]
        since = max(before) if before else first - 60
        ref = [t for t in refuted.get(node, []) if t is not None and since <= t <= first]
        if any(t <= first - 2 for t in ref):
            race["refuted_not_heard"] += 1
        elif ref:
            race["refuted_late"] += 1
        else:
            race["not_refuted"] += 1
    return {"suspicions": suspicions, "member_failed_events": failed,
            "nodes_failed": len(failed_nodes), "refutations": refutations, "marked_failed": race}


def spawn(args, log_path, env=None):
    # Killed with this process when setpriv is there (util-linux); children get the normal scheduling
    # class even when this process raised its own (see main).
    cmd = (["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []) + args
    with open(log_path, "w") as log:
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    children.append(p)
    return p


def kill_all():
    for p in children:
        if p.poll() is None:
            p.kill()
    for p in children:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    children.clear()


def run_wave(a, kind, mode, workdir):
    binary = a.go_bin if kind == "go" else a.ours_bin
    wd = os.path.join(workdir, f"{kind}-{mode}")
    os.makedirs(wd, exist_ok=True)
    extra = [f"-encrypt={BENCH_KEY}"] if mode == "encrypt" else []
    env = dict(os.environ, SERF_JAVA_OPTS=a.ours_opts) if kind == "ours" else None
    agents = []
    out0, err0 = udp_counters()
    t0 = time.monotonic()
    samples, last = [], (0.0, 0.0)
    next_start, started, last_start = t0, 0, None
    first_threads, first_at, cores_by_thread = None, None, None  # ours' CPU per thread over --threads
    end = None
    while True:
        now = time.monotonic()
        if started < a.n and now >= next_start:
            i = started
            port = a.base_port + 2 * i
            args = [binary, "agent", f"-node=n{i}", f"-bind=127.0.0.1:{port}",
                    f"-rpc-addr=127.0.0.1:{port + 1}", "-log-level=info"] + extra
            if i > 0:
                args.append(f"-join=127.0.0.1:{a.base_port}")
            agents.append(spawn(args, os.path.join(wd, f"n{i}.log"), env))
            started += 1
            next_start += a.seed_wait if i == 0 else a.gap
            if started == a.n:
                last_start = now
                end = now + a.after
            continue
        elapsed = now - t0
        if elapsed - last[0] >= 5:
            cpu = sum(c for c in (cpu_seconds(p.pid) for p in agents) if c is not None)
            samples.append([round(elapsed), started, round((cpu - last[1]) / (elapsed - last[0]), 2)])
            last = (elapsed, cpu)
        if kind == "ours" and last_start is not None and a.threads and cores_by_thread is None:
            since = now - last_start
            if first_threads is None and since >= a.threads[0]:
                first_threads, first_at = thread_cpu([p.pid for p in agents]), now
            elif first_threads is not None and since >= a.threads[1]:
                by_name = {}
                for key, (name, v) in thread_cpu([p.pid for p in agents]).items():
                    by_name[name] = by_name.get(name, 0) + v - first_threads.get(key, (name, 0))[1]
                cores_by_thread = {n: round(v / (now - first_at), 3) for n, v in by_name.items() if v > 0}
        if end is not None and now >= end:
            break
        time.sleep(0.05)
    out1, err1 = udp_counters()
    result = {"kind": kind, "mode": mode, "n": a.n, "gap_s": a.gap, "cpu_timeline": samples,
              "last_start_s": round(last_start - t0, 1),
              "udp_datagrams_sent": out1 - out0, "udp_rcvbuf_errors": err1 - err0,
              "alive": sum(1 for p in agents if p.poll() is None)}
    result.update(log_counts(wd))
    # Calm: the end of the first 5 s sample after the last start in which the agents used at most
    # --calm-ms each (an idle agent of either kind uses 2-5 ms/s).
    calm_cores = a.n * a.calm_ms / 1000
    after = [s for s in samples if s[0] >= result["last_start_s"] + 5]
    calm = next((s[0] for s in after if s[2] <= calm_cores), None)
    result["busy_after_last_start_s"] = None if calm is None else round(calm - result["last_start_s"], 1)
    result["calm_cores"] = calm_cores
    if cores_by_thread:
        result["cores_by_thread"] = dict(sorted(cores_by_thread.items(), key=lambda kv: -kv[1])[:8])
        result["thread_window_s"] = list(a.threads)
    if a.busy > 0:
        before = log_counts(wd)
        busy = [spawn(["sh", "-c", "while :; do :; done"], os.devnull) for _ in range(a.busy)]
        time.sleep(a.busy_seconds)
        for p in busy:
            p.kill()
        time.sleep(a.busy_after)
        after_counts = log_counts(wd)
        result["under_load"] = {k: after_counts[k] - before[k] for k in after_counts if k != "marked_failed"}
        result["under_load"]["busy_loops"] = a.busy
        result["under_load"]["seconds"] = a.busy_seconds
        result["alive"] = sum(1 for p in agents if p.poll() is None)
    kill_all()
    return result


def table(results):
    cols = [f"{r['kind']} {r['mode']}" for r in results]
    rows = [
        ("agents started, one every", lambda r: f"{r['n']}, {r['gap_s']} s"),
        ("alive at the end", lambda r: f"{r['alive']}/{r['n']}"),
        ("agents' CPU, cores (5 s samples)", lambda r: " ".join(str(s[2]) for s in r["cpu_timeline"])),
        ("calm (CPU ≤ --calm-ms per agent), s after the last start", lambda r: (
            f"not within {r['cpu_timeline'][-1][0] - r['last_start_s']:.0f} s" if r["busy_after_last_start_s"] is None
            else f"{r['busy_after_last_start_s']} s")),
        ("suspicions (\"Suspect … has failed\")", lambda r: r["suspicions"]),
        ("member-failed events / nodes failed", lambda r: f"{r['member_failed_events']} / {r['nodes_failed']}"),
        ("refutations (log lines)", lambda r: r["refutations"]),
        ("nodes marked failed: refuted ≥ 2 s before the first mark / later / not refuted",
         lambda r: "{refuted_not_heard} / {refuted_late} / {not_refuted}".format(**r["marked_failed"])),
        ("UDP datagrams sent (host)", lambda r: r["udp_datagrams_sent"]),
        ("UDP receive-buffer drops (host)", lambda r: r["udp_rcvbuf_errors"]),
        ("cores by thread (ours, window after the last start)", lambda r: ", ".join(
            f"{k} {v}" for k, v in r.get("cores_by_thread", {}).items()) or "–"),
    ]
    if any("under_load" in r for r in results):
        rows.append(("under busy loops: suspicions / failed events / nodes", lambda r: (
            "–" if "under_load" not in r else
            f"{r['under_load']['suspicions']} / {r['under_load']['member_failed_events']} / "
            f"{r['under_load']['nodes_failed']}")))
    lines = ["| | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for label, f in rows:
        lines.append(f"| {label} | " + " | ".join(str(f(r)) for r in results) + " |")
    return "\n".join(lines)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/startwave.sh", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=128, help="agents (default 128)")
    p.add_argument("--gap", type=float, default=0.3, help="s between starts after the seed; 0: all at once")
    p.add_argument("--seed-wait", type=float, default=2, help="s between the seed and the others (default 2)")
    p.add_argument("--after", type=float, default=60, help="s observed after the last start (default 60)")
    p.add_argument("--calm-ms", type=float, default=5,
                   help="ms/s of CPU per agent under which the cluster counts as calm (default 5)")
    p.add_argument("--kinds", default="go ours", help="'go', 'ours' or both (default)")
    p.add_argument("--modes", default="plain", help="'plain', 'encrypt' or both (default plain)")
    p.add_argument("--threads", default="20 45",
                   help="window for ours' CPU per thread, s after the last start (default '20 45'; '' for none)")
    p.add_argument("--busy", type=int, default=0, help="busy loops for a second phase (default 0: none)")
    p.add_argument("--busy-seconds", type=float, default=60, help="s of the busy loops (default 60)")
    p.add_argument("--busy-after", type=float, default=30, help="s observed after them (default 30)")
    p.add_argument("--base-port", type=int, default=25000, help="first port; agent i binds 2i and 2i+1 above")
    p.add_argument("--go-bin", default=os.environ.get("SERF_BENCH_GO", "/usr/bin/serf"))
    p.add_argument("--ours-bin", default=os.path.join(REPO, "jlink/target/image/bin/serf"))
    p.add_argument("--ours-opts", default=os.environ.get("SERF_JAVA_OPTS", ""), help="SERF_JAVA_OPTS for ours")
    p.add_argument("--workdir", default=None, help="logs and results.json (default: a new /tmp dir)")
    p.add_argument("--smoke", action="store_true",
                   help="4 agents 0.2 s apart, 8 s after (~40 s); exit 1 if an agent died or nothing was measured")
    a = p.parse_args(argv)
    if a.smoke:
        a.n, a.gap, a.after, a.threads, a.busy = 4, 0.2, 8, "2 6", 0
    a.threads = tuple(float(x) for x in a.threads.split()) if a.threads.strip() else ()
    if a.threads and (len(a.threads) != 2 or a.threads[0] >= a.threads[1] or a.threads[1] > a.after):
        p.error("--threads wants two numbers, the second larger and not past --after")
    return a


def main(argv):
    a = parse_args(argv)
    workdir = a.workdir or tempfile.mkdtemp(prefix="serf-startwave-")
    os.makedirs(workdir, exist_ok=True)
    # The sampler must not starve beside the agents it measures: a real-time class when allowed, not
    # inherited by the agents it starts.
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO | os.SCHED_RESET_ON_FORK, os.sched_param(10))
    except (OSError, AttributeError):
        pass
    signal.signal(signal.SIGTERM, lambda *_: (kill_all(), sys.exit(1)))
    results = []
    try:
        for mode in a.modes.split():
            for kind in a.kinds.split():
                print(f"==> {kind} {mode}: {a.n} agents, one every {a.gap} s", file=sys.stderr, flush=True)
                results.append(run_wave(a, kind, mode, workdir))
                time.sleep(3)  # the ports of the last wave
    finally:
        kill_all()
    with open(os.path.join(workdir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"Finished {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {a.n} agents, one every {a.gap} s "
          f"after the seed, {a.after:g} s after the last start (workdir {workdir})\n")
    print(table(results))
    broken = [f"{r['kind']} {r['mode']}" for r in results if r["alive"] < r["n"] or not r["cpu_timeline"]]
    if broken:
        print(f"startwave: agents died or nothing was measured: {', '.join(broken)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
