#!/usr/bin/env python3
"""Failure detection alone, ours against Go's: N agents of one kind on 127.0.0.1 (no event handlers),
then K of them killed with SIGKILL one after another; for each kill, the time until the first agent's
member-failed stream (RPC `stream`) reports it, and every agent's Lifeguard health score (RPC `stats`)
before the kill and its maximum until the report. The cluster benchmark measures the same time with
handlers running and events just sent; this one isolates the probe and suspicion rules.

    python3 bench/faildetect.py --kind go --n 16 --kills 8
    python3 bench/faildetect.py --kind ours --n 16 --kills 8 [--ours-bin jlink/target/image/bin/serf]

Needs the Go agent (/usr/bin/serf, apt-get install serf) or the runtime image; python3 only.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serfrpc import RpcClient  # noqa: E402

HOST = "127.0.0.1"


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kind", choices=["go", "ours"], required=True)
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--kills", type=int, default=8)
    ap.add_argument("--settle", type=float, default=15, help="s between the full view and the first kill")
    ap.add_argument("--gap", type=float, default=5, help="s between a report and the next kill")
    ap.add_argument("--timeout", type=float, default=40, help="s to wait for a report")
    ap.add_argument("--port", type=int, default=28000, help="first of 2N ports")
    ap.add_argument("--go-bin", default=os.environ.get("SERF_BENCH_GO", "/usr/bin/serf"))
    ap.add_argument("--ours-bin", default=os.path.join(repo, "jlink/target/image/bin/serf"))
    ap.add_argument("--workdir", default=None)
    a = ap.parse_args()
    if a.kills >= a.n - 2:
        ap.error("--kills must leave at least 3 agents")
    binary = a.go_bin if a.kind == "go" else a.ours_bin
    work = a.workdir or tempfile.mkdtemp(prefix=f"serf-faildetect-{a.kind}-")
    os.makedirs(work, exist_ok=True)
    procs, clients = [], []
    try:
        for i in range(a.n):
            args = [binary, "agent", f"-node={a.kind}-{i}", f"-bind={HOST}:{a.port + 2 * i}",
                    f"-rpc-addr={HOST}:{a.port + 2 * i + 1}"]
            if i:
                args.append(f"-join={HOST}:{a.port}")
            log = open(os.path.join(work, f"{i}.log"), "w")
            procs.append(subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT))
            if i == 0:
                time.sleep(1)
        for i in range(a.n):
            clients.append(connect(a.port + 2 * i + 1))
        deadline = time.time() + 60
        while not all(alive(c) == a.n for c in clients):
            if time.time() > deadline:
                sys.exit("no full view within 60 s; logs in " + work)
            time.sleep(0.5)
        time.sleep(a.settle)
        reported = {}
        for i in range(a.n):
            threading.Thread(target=watch, args=(a.port + 2 * i + 1, reported), daemon=True).start()
        time.sleep(1)
        live = list(range(a.n))
        times = []
        for _ in range(a.kills):
            victim = live.pop()
            before = [health(clients[i]) for i in live]
            most = dict.fromkeys(live, 0)
            name = f"{a.kind}-{victim}"
            killed = time.time()
            procs[victim].kill()
            while name not in reported and time.time() - killed < a.timeout:
                for i in live:
                    try:
                        most[i] = max(most[i], health(clients[i]))
                    except (OSError, ValueError):
                        pass
                time.sleep(0.25)
            took = reported.get(name, float("nan")) - killed
            times.append(took)
            print(f"kill {name}: first member-failed after {took:.2f} s; health before {before}, "
                  f"highest until then {[most[i] for i in live]}", flush=True)
            time.sleep(a.gap)
        print(f"{a.kind} N={a.n}: {len(times)} kills, first report median {statistics.median(times):.2f} s, "
              f"mean {statistics.mean(times):.2f} s, range {min(times):.2f}-{max(times):.2f} s (logs in {work})")
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()


def connect(port):
    for _ in range(150):
        try:
            return RpcClient(HOST, port)
        except OSError:
            time.sleep(0.2)
    sys.exit(f"no RPC on port {port}")


def alive(client):
    return sum(1 for _, status in client.members() if status == "alive")


def health(client):
    return int(client.stats().get("serf", {}).get("health_score", "0"))


def watch(port, reported):
    c = RpcClient(HOST, port)
    c.subscribe_member_failed()
    c.read_stream(lambda name: reported.setdefault(name, time.time()))


if __name__ == "__main__":
    main()
