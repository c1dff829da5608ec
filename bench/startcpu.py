#!/usr/bin/env python3
"""Start-to-joined CPU: how much CPU one agent spends from being started until it has joined a seed.

Run it through bench/startcpu.sh. For each kind asked (ours, go), --repeats times: a fresh Go seed
agent on 127.0.0.1 (the seed is always Go, so that it answers the join the same way for both kinds and
costs next to nothing), then the measured agent started with `-join` the seed; the moment its output
shows the join completed ("Join completed", Go: "agent: joined:"), utime+stime of its process is read
from /proc/PID/stat (clock ticks: 10 ms; children such as the launcher's `env` are not counted, the
JVM is the launcher's process itself after exec). Both agents are then killed. Reports the median and
every figure, plus the wall time to the join line.

CPU time rather than wall time: it barely depends on the machine's load (the processes here run
under whatever scheduling class the script is started in, e.g. `chrt -i 0`), so runs on a busy machine
can be compared; wall times are printed only as a hint.

Options: --repeats N (default 7), --kinds "ours go" (default), --encrypt, --ours-bin, --go-bin,
--ours-opts (SERF_JAVA_OPTS for our agent; default: $SERF_JAVA_OPTS), --variant 'LABEL=OPTIONS'
(repeatable: our agent once more per repeat with SERF_JAVA_OPTS=OPTIONS, to compare JVM options run
for run), --classes FILE (ours: log the classes loaded, -Xlog:class+load, into FILE.N per repeat),
--json (one line of JSON at the end).
"""

import argparse
import json
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import BENCH_KEY, HOST, JOINED, REPO, Ports  # noqa: E402
from procstat import CLK_TCK, cpu_ticks  # noqa: E402

RUNNING = (b"Serf agent running", b"agent running")
PROCS = []


# Our agent's start-up banner, in order: --phases reads the CPU at each of these lines.
PHASES = ((b"==> Starting Serf agent...", "config"), (b"==> Starting Serf agent RPC...", "serf+rpc"),
          (b"==> Joining cluster", "banner"))


def spawn(binary, args, env, logpath):
    cmd = [binary, "agent"] + args
    if shutil.which("setpriv"):
        cmd = ["setpriv", "--pdeathsig", "KILL", "--"] + cmd  # dies with this script, even on kill -9
    out = open(logpath, "wb")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=env, start_new_session=True)
    PROCS.append(proc)
    return proc, out


def wait_line(proc, out, patterns, timeout, phases=None):
    """Reads PROC's output (copied to OUT) until a line matches one of PATTERNS (bytes or a regex):
    returns (ticks, seconds) read the moment the line arrived, or None on timeout or exit. PHASES, a
    dict, gets the (utime, stime) ticks at each line of PHASES seen on the way, and at the end."""
    deadline = time.monotonic() + timeout
    fd = proc.stdout.fileno()
    buf = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, min(0.5, deadline - time.monotonic())))
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return None
        buf += chunk
        *lines, buf = buf.split(b"\n")
        for line in lines:
            hit = any(p in line for p in patterns) if isinstance(patterns, tuple) else patterns.search(line)
            if phases is not None and not hit:
                for text, name in PHASES:
                    if line.startswith(text):
                        phases[name] = cpu_ticks(proc.pid, split=True)
            if hit:
                ticks = cpu_ticks(proc.pid)  # first: the figure is the CPU at this moment
                at = time.monotonic()
                if phases is not None:
                    phases["joined"] = cpu_ticks(proc.pid, split=True)
                out.write(line + b"\n")
                return ticks, at
            out.write(line + b"\n")
    return None


def stop(proc, out):
    if proc.poll() is None:
        try:
            proc.kill()
        except OSError:
            pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    try:
        rest = proc.stdout.read()
        if rest:
            out.write(rest)
    except (OSError, ValueError):
        pass
    out.close()


def one(cfg, kind, r, ports, workdir):
    kind, _, variant = kind.partition(":")
    seed_port, seed_rpc = ports.take(), ports.take()
    common = ["-log-level=info"] + ([f"-encrypt={BENCH_KEY}"] if cfg.encrypt else [])
    seed, seed_out = spawn(cfg.go_bin, [f"-node=seed-{kind}-{r}", f"-bind={HOST}:{seed_port}",
                                        f"-rpc-addr={HOST}:{seed_rpc}"] + common,
                           dict(os.environ), os.path.join(workdir, f"seed-{kind}-{r}.log"))
    try:
        if wait_line(seed, seed_out, RUNNING, 30) is None:
            return {"error": "the Go seed did not start"}
        port, rpc = ports.take(), ports.take()
        env = dict(os.environ)
        binary = cfg.go_bin
        if kind == "ours":
            binary = cfg.ours_bin
            opts = cfg.variants[variant] if variant else cfg.ours_opts
            if cfg.classes:
                opts = (opts + f" -Xlog:class+load:file={cfg.classes}.{r}").strip()
            env["SERF_JAVA_OPTS"] = opts
        started = time.monotonic()
        label = f"{kind}-{variant}-{r}" if variant else f"{kind}-{r}"
        agent, agent_out = spawn(binary, [f"-node={label}", f"-bind={HOST}:{port}", f"-rpc-addr={HOST}:{rpc}",
                                          f"-join={HOST}:{seed_port}"] + common,
                                 env, os.path.join(workdir, f"{label}.log"))
        try:
            phases = {} if cfg.phases and kind == "ours" else None
            got = wait_line(agent, agent_out, JOINED, 60, phases)
            if got is None or got[0] is None:
                return {"error": f"{label} did not join (log: {agent_out.name})"}
            return {"cpu_s": got[0] / CLK_TCK, "wall_s": got[1] - started, "phases": phases}
        finally:
            stop(agent, agent_out)
    finally:
        stop(seed, seed_out)


def main(argv):
    p = argparse.ArgumentParser(prog="bench/startcpu.sh", description=__doc__.split("\n\n")[0])
    p.add_argument("--repeats", type=int, default=7, help="agents measured per kind (default 7)")
    p.add_argument("--kinds", default="ours go", help="'ours', 'go' or both (default)")
    p.add_argument("--encrypt", action="store_true", help="all agents with -encrypt")
    p.add_argument("--go-bin", default=os.environ.get("SERF_BENCH_GO", "/usr/bin/serf"))
    p.add_argument("--ours-bin", default=os.path.join(REPO, "jlink/target/image/bin/serf"))
    p.add_argument("--ours-opts", default=os.environ.get("SERF_JAVA_OPTS", ""),
                   help="SERF_JAVA_OPTS for our agent (default: $SERF_JAVA_OPTS)")
    p.add_argument("--variant", action="append", default=[], metavar="LABEL=OPTIONS",
                   help="our agent also with SERF_JAVA_OPTS=OPTIONS, interleaved (repeatable)")
    p.add_argument("--classes", default=None, help="ours: -Xlog:class+load into FILE.N per repeat")
    p.add_argument("--workdir", default=None, help="agents' logs (default: a new /tmp dir)")
    p.add_argument("--phases", action="store_true",
                   help="ours: also the CPU (user/system) at each line of the start-up banner")
    p.add_argument("--json", action="store_true", help="also print the raw figures as one JSON line")
    cfg = p.parse_args(argv)
    kinds = cfg.kinds.split()
    if not set(kinds) <= {"ours", "go"} or cfg.repeats < 1:
        p.error("kinds: ours|go; repeats >= 1")
    for kind in set(kinds) | {"go"}:
        binary = cfg.go_bin if kind == "go" else cfg.ours_bin
        if not os.access(binary, os.X_OK):
            sys.exit(f"not executable: {binary}")
    cfg.variants = {}
    for v in cfg.variant:
        label, sep, opts = v.partition("=")
        if not sep or not label or ":" in label:
            p.error("--variant LABEL=OPTIONS")
        cfg.variants[label] = opts
    kinds += [f"ours:{label}" for label in cfg.variants]
    workdir = cfg.workdir or tempfile.mkdtemp(prefix="serf-startcpu-")
    os.makedirs(workdir, exist_ok=True)
    ports = Ports()
    results = {k: {"cpu_s": [], "wall_s": [], "errors": [], "phases": []} for k in kinds}
    # Interleaved (ours, go, ours, go, ...) so that both see the same load over the run.
    for r in range(cfg.repeats):
        for kind in kinds:
            res = one(cfg, kind, r, ports, workdir)
            if "error" in res:
                results[kind]["errors"].append(res["error"])
            else:
                results[kind]["cpu_s"].append(res["cpu_s"])
                results[kind]["wall_s"].append(res["wall_s"])
                if res["phases"]:
                    results[kind]["phases"].append(res["phases"])
    opts = f" (SERF_JAVA_OPTS={cfg.ours_opts!r})" if cfg.ours_opts else ""
    print(f"start-to-joined, {'-encrypt' if cfg.encrypt else 'plain'}, {cfg.repeats} runs, "
          f"load {' '.join(open('/proc/loadavg').read().split()[:3])}; logs in {workdir}")
    for kind, res in results.items():
        cpus, walls = res["cpu_s"], res["wall_s"]
        if cpus:
            print(f"  {kind:12s} CPU median {statistics.median(cpus):.3f} s  "
                  f"[{' '.join(f'{c:.2f}' for c in sorted(cpus))}]  "
                  f"wall median {statistics.median(walls):.2f} s"
                  + (opts if kind == "ours" else f" ({cfg.variants[kind[5:]]!r})" if kind.startswith("ours:") else ""))
        if res["phases"]:
            print_phases(res["phases"])
        for err in res["errors"]:
            print(f"  {kind:12s} FAILED: {err}")
    if cfg.json:
        print(json.dumps(results))
    return 0 if all(not r["errors"] for r in results.values()) else 1


def print_phases(runs):
    """Median CPU spent in each phase of the start (from the previous banner line), user + system."""
    names = [name for _, name in PHASES] + ["joined"]
    prev = (0, 0)
    parts = []
    for name in names:
        points = [r.get(name) for r in runs]
        if any(p is None for p in points):
            continue
        user = statistics.median(p[0] for p in points)
        system = statistics.median(p[1] for p in points)
        parts.append(f"{name} +{(user - prev[0]) / CLK_TCK:.3f}u/{(system - prev[1]) / CLK_TCK:.3f}s")
        prev = (user, system)
    print(f"               phases (median CPU from the previous line): {', '.join(parts)}")


def kill_all():
    for proc in PROCS:
        if proc.poll() is None:
            try:
                proc.kill()
            except OSError:
                pass


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    try:
        sys.exit(main(sys.argv[1:]))
    finally:
        kill_all()
