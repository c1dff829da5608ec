#!/usr/bin/env python3
"""Cluster benchmark: N Go serf agents, N of ours and a mixed cluster on 127.0.0.1, same flags, same
measurements, plain and with -encrypt. Run it through bench/cluster.sh (which installs the Go agent
and builds our image when missing); `bench/cluster.sh --help` lists the options; docs/benchmarks.md
says what each figure means and holds the results.

Per cluster (kind = go | ours | mixed, mode = plain | encrypt, size N):
  1. start CPU (go and ours only): a seed, then one agent joining it alone; utime+stime of that
     process (/proc/PID/stat) at the moment it prints "Join completed" (median of --repeats agents)
  2. full view: a seed, then N-1 agents started at once, all -join the seed; poll `members` over RPC
     on every agent until each sees every running agent alive
  3. idle: after --settle s, CPU of every agent over --idle s (ms CPU per s), then VmHWM/VmRSS
  4. user events: --events events sent over RPC as `serf event -coalesce=false` sends them, from a
     different agent each time; an event-handler script appends a wall-clock stamp per node; latency
     = stamp - send time, p50 and max over all (node, event) pairs
  5. failure detection: kill -9 the last agent, until every other agent has pushed its member-failed
     event on an RPC stream; --kills times, one after another; the median is reported
Agents that exit (e.g. "Failed to join") or never join are counted and reported, never hidden.
"""

import argparse
import datetime
import json
import os
import random
import re
import shlex
import shutil
import signal
import socket
import subprocess
import statistics
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from procstat import cpu_seconds  # noqa: E402
from report import fmt_s, markdown, problems, write_doc  # noqa: E402
from serfrpc import RpcClient, RpcError  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = "127.0.0.1"
JOINED = re.compile(rb"Join completed|agent: joined:")
FAILED = re.compile(rb"Failed to join|[Ee]rror|[Ee]xception")
REFUTED = re.compile(rb"Refuting a")
# A fixed 16-byte key (base64): the benchmark measures the cost of encryption, not key secrecy.
BENCH_KEY = "QmVuY2htYXJrS2V5MTIzNA=="

ALL_AGENTS = []  # every agent this process started, for the cleanup on any exit


# ---- helpers ------------------------------------------------------------------------------------------

def now():
    return time.monotonic()


def pace(sweep_start):
    """Sleeps after a polling sweep (one `members` RPC to each agent): 50 ms, or three times as long as the
    sweep took. Polling is the measurement, not the load under test: back to back, the sweeps kept an agent
    answering RPC all the time (a `members` call costs one of our -Xint agents ~0.6 ms of CPU at 16 members
    and more at 128, about a core in all at N = 128), so that only a quarter of the time goes to it. At most
    a second: a sweep is slow while the agents are still starting, and the figure must not wait for that."""
    time.sleep(min(1.0, max(0.05, 3 * (now() - sweep_start))))


def log(msg):
    print(f"[{datetime.datetime.now().strftime('%H:%M:%S')}] {msg}", flush=True)



class Ports:
    """Hands out ports that nothing on 127.0.0.1 holds (TCP and UDP), never the same one twice in a
    run. Starts at a random place below the ephemeral range so that parallel runs rarely collide."""

    def __init__(self):
        self.next = random.randrange(20000, 30000)
        self.used = set()

    def take(self):
        for _ in range(5000):
            port = self.next
            self.next = 20000 if self.next >= 32000 else self.next + 1
            if port not in self.used and self._free(port):
                self.used.add(port)
                return port
        raise RuntimeError("no free port found in 20000-32000")

    @staticmethod
    def _free(port):
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            with socket.socket(socket.AF_INET, kind) as s:
                try:
                    s.bind((HOST, port))
                except OSError:
                    return False
        return True


# ---- one agent ------------------------------------------------------------------------------------------

class Agent:
    def __init__(self, kind, name, binary, args, env, logpath):
        self.kind, self.name, self.args, self.env, self.logpath = kind, name, args, env, logpath
        self.binary = binary
        self.port = self.rpc_port = None
        self.proc = None
        self.started = self.joined_at = self.join_cpu = None
        self.failure_line = None
        self.killed = False
        self.refuted = 0
        self.client = None
        self.reader = None

    def start(self):
        cmd = [self.binary, "agent"] + self.args
        if shutil.which("setpriv"):
            # The agent dies with this script even when the script is killed -9 (no orphans).
            cmd = ["setpriv", "--pdeathsig", "KILL", "--"] + cmd
        self.started = now()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        ALL_AGENTS.append(self)
        self.reader = threading.Thread(target=self._read_output, name=f"out-{self.name}", daemon=True)
        self.reader.start()

    def _read_output(self):
        with open(self.logpath, "wb") as out:
            for line in self.proc.stdout:
                out.write(line)
                if self.joined_at is None and JOINED.search(line):
                    self.join_cpu = self.cpu_seconds()  # first: the figure is the CPU at this moment
                    self.joined_at = now()
                elif self.failure_line is None and FAILED.search(line):
                    self.failure_line = line.decode("utf-8", "replace").strip()[:200]
                if REFUTED.search(line):
                    self.refuted += 1

    @property
    def pid(self):
        return self.proc.pid

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def exited(self):
        """Ended by itself (not by the benchmark)."""
        return self.proc is not None and not self.killed and self.proc.poll() is not None

    def cpu_seconds(self):
        return cpu_seconds(self.pid)

    def memory_kb(self):
        values = {}
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith(("VmHWM:", "VmRSS:")):
                        key, value = line.split(":", 1)
                        values[key] = int(value.split()[0])
        except OSError:
            pass
        return values

    def rpc(self):
        """The long-lived RPC connection, opened on first use; None while the agent cannot be reached."""
        if self.client is None:
            try:
                self.client = RpcClient(HOST, self.rpc_port, timeout=5.0)
            except (OSError, RpcError):  # not listening yet, or closing (an agent that is exiting)
                return None
        return self.client

    def drop_rpc(self):
        if self.client is not None:
            self.client.close()
            self.client = None

    def kill(self):
        self.killed = True
        self.drop_rpc()
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.kill()
            except OSError:
                pass

    def reap(self):
        if self.proc is not None:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if self.reader is not None:
            self.reader.join(timeout=5)


def kill_all():
    for agent in ALL_AGENTS:
        agent.kill()
    for agent in ALL_AGENTS:
        agent.reap()
    ALL_AGENTS.clear()


# ---- one cluster ----------------------------------------------------------------------------------------

class Cluster:
    def __init__(self, cfg, ports, kind, mode, n, workdir):
        self.cfg, self.ports, self.kind, self.mode, self.n = cfg, ports, kind, mode, n
        self.dir = os.path.join(workdir, f"{kind}-{mode}-n{n}")
        self.events_dir = os.path.join(self.dir, "events")
        os.makedirs(self.events_dir, exist_ok=True)
        self.handler = os.path.join(self.dir, "stamp-event.sh")
        with open(self.handler, "w") as f:
            f.write("#!/bin/bash\n"
                    "# Stamps a user event's arrival: its name and the wall clock (microseconds).\n"
                    f"printf '%s %s\\n' \"$SERF_USER_EVENT\" \"$EPOCHREALTIME\" >> '{self.events_dir}/'\"$SERF_SELF_NAME\"\n")
        os.chmod(self.handler, 0o755)
        self.agents = []

    def kind_of(self, index):
        if self.kind == "mixed":
            return "go" if index % 2 == 0 else "ours"
        return self.kind

    def spawn(self, kind, name, join=None):
        binary = self.cfg.go_bin if kind == "go" else self.cfg.ours_bin
        env = dict(os.environ)
        if kind == "ours" and self.cfg.ours_opts:
            env["SERF_JAVA_OPTS"] = self.cfg.ours_opts
        port, rpc_port = self.ports.take(), self.ports.take()
        args = [f"-node={name}", f"-bind={HOST}:{port}", f"-rpc-addr={HOST}:{rpc_port}",
                f"-event-handler=user={self.handler}", "-log-level=info"]
        if self.mode == "encrypt":
            args.append(f"-encrypt={BENCH_KEY}")
        if join is not None:
            args.append(f"-join={HOST}:{join.port}")
        agent = Agent(kind, name, binary, args, env, os.path.join(self.dir, f"{name}.log"))
        agent.port, agent.rpc_port = port, rpc_port
        agent.start()
        return agent

    def wait_rpc(self, agent, timeout):
        deadline = now() + timeout
        while now() < deadline and agent.running():
            if agent.rpc() is not None:
                return True
            time.sleep(0.02)
        return False

    # -- 1. CPU to start and join one agent
    def start_cpu(self):
        seed = self.spawn(self.kind, f"{self.kind}-seed")
        if not self.wait_rpc(seed, 30):
            return {"error": "seed did not start"}
        cpus, walls, failures = [], [], []
        for r in range(self.cfg.repeats):
            joiner = self.spawn(self.kind, f"{self.kind}-joiner{r}", join=seed)
            deadline = now() + 30
            while now() < deadline and joiner.joined_at is None and joiner.running():
                time.sleep(0.005)
            if joiner.joined_at is not None and joiner.join_cpu is not None:
                cpus.append(joiner.join_cpu)
                walls.append(joiner.joined_at - joiner.started)
            else:
                failures.append(joiner.failure_line or "did not join within 30 s")
            joiner.kill()
            joiner.reap()
        seed.kill()
        seed.reap()
        return {"cpu_s": cpus, "wall_s": walls, "failures": failures}

    # -- 2. full view after starting all at once
    def start_all(self):
        seed = self.spawn(self.kind_of(0), f"{self.kind_of(0)}-0")
        self.agents.append(seed)
        if not self.wait_rpc(seed, 30):
            return {"error": "seed did not start"}
        t0 = now()
        for i in range(1, self.n):
            self.agents.append(self.spawn(self.kind_of(i), f"{self.kind_of(i)}-{i}", join=seed))
        launch_s = now() - t0
        deadline = t0 + self.cfg.full_view_timeout(self.n)
        done = {}
        while now() < deadline:
            sweep = now()
            running = [a for a in self.agents if a.running()]
            names = {a.name for a in running}
            for agent in running:
                if agent.name in done:
                    continue
                alive = self.alive_names(agent)
                if alive is not None and names <= alive:
                    done[agent.name] = now() - t0
            if running and all(a.name in done for a in running):
                break
            if not running:
                break
            pace(sweep)
        running = [a for a in self.agents if a.running()]
        result = {
            "launch_s": launch_s,
            "full_view_s": max(done.values()) if running and all(a.name in done for a in running) else None,
            "seeing_all": sum(1 for a in running if a.name in done),
            "running": len(running),
            "joined": sum(1 for a in self.agents[1:] if a.joined_at is not None),
            "all_joined_s": max((a.joined_at - t0 for a in self.agents[1:] if a.joined_at), default=None),
            "join_cpu_s": {k: [a.join_cpu for a in self.agents[1:] if a.kind == k and a.join_cpu is not None]
                           for k in ("go", "ours")},
        }
        return result

    def alive_names(self, agent):
        client = agent.rpc()
        if client is None:
            return None
        try:
            return {name for name, status in client.members() if status == "alive"}
        except Exception:  # a slow or closing agent: reconnect next round
            agent.drop_rpc()
            return None

    def statuses(self, agent):
        client = agent.rpc()
        if client is None:
            return None
        try:
            return dict(client.members())
        except Exception:
            agent.drop_rpc()
            return None

    # -- 3. idle CPU and memory
    def idle(self):
        time.sleep(self.cfg.settle)
        running = [a for a in self.agents if a.running()]
        before = {a.name: a.cpu_seconds() for a in running}
        start = now()
        time.sleep(self.cfg.idle)
        elapsed = now() - start
        per_kind = {}
        for a in running:
            after = a.cpu_seconds()
            if after is None or before[a.name] is None:
                continue
            mem = a.memory_kb()
            entry = per_kind.setdefault(a.kind, {"cpu_ms_per_s": [], "hwm_kb": [], "rss_kb": []})
            entry["cpu_ms_per_s"].append((after - before[a.name]) * 1000 / elapsed)
            if "VmHWM" in mem:
                entry["hwm_kb"].append(mem["VmHWM"])
                entry["rss_kb"].append(mem["VmRSS"])
        return per_kind

    # -- 4. user events to all nodes
    def events(self):
        receivers = [a for a in self.agents if a.running()]
        latencies, missing, sent = [], 0, 0
        per_event_max = []
        for e in range(self.cfg.events):
            sender = receivers[(e * 7 + 1) % len(receivers)]  # a different node (and kind) each time
            name = f"bench-{e}"
            client = sender.rpc()
            if client is None:
                missing += len(receivers)
                continue
            sent_at = time.time()
            try:
                client.event(name, b"", coalesce=False)
            except Exception as exc:
                log(f"    event {name} via {sender.name} failed: {exc}")
                sender.drop_rpc()
                missing += len(receivers)
                continue
            sent += 1
            deadline = now() + self.cfg.event_timeout
            arrivals = {}
            while now() < deadline:
                arrivals = self.arrivals(name, receivers)
                if len(arrivals) == len(receivers):
                    break
                time.sleep(0.02)
            lat = [t - sent_at for t in arrivals.values()]
            latencies += lat
            missing += len(receivers) - len(arrivals)
            if lat:
                per_event_max.append(max(lat))
            time.sleep(self.cfg.event_gap)
        return {"latencies_s": latencies, "missing": missing, "sent": sent,
                "receivers": len(receivers), "per_event_max_s": per_event_max}

    def arrivals(self, name, receivers):
        got = {}
        for a in receivers:
            try:
                with open(os.path.join(self.events_dir, a.name)) as f:
                    for line in f:
                        parts = line.split()
                        if len(parts) == 2 and parts[0] == name:
                            got[a.name] = float(parts[1])
                            break
            except (OSError, ValueError):
                pass
        return got

    # -- 5. failure detection
    def failure(self):
        """kill -9 --kills agents one after another (the last running ones), each once the one before
        was seen failed by every other running agent or --failure-timeout passed. "Seen" is the
        member-failed event the agent pushes on an RPC stream subscribed before the first kill (as
        `serf monitor` streams logs): nothing polls the agents, so the measurement loads none of them
        and adds no delay of its own; no handler runs for it either. One kill varies by seconds with
        when the first probe of the dead agent falls: the median of several is what compares."""
        running = [a for a in self.agents if a.running()]
        if len(running) < 2:
            return {"error": "fewer than 2 agents running"}
        seen_at = {}  # (observer, failed member) -> wall times its member-failed events arrived
        lock = threading.Lock()
        clients, streaming = [], set()  # an agent without a stream could not be seen to see a failure
        for a in running:
            try:
                client = RpcClient(HOST, a.rpc_port, timeout=5.0)
                client.subscribe_member_failed()
            except (OSError, RpcError):
                continue
            clients.append(client)
            streaming.add(a.name)

            def record(member, observer=a.name):
                with lock:
                    seen_at.setdefault((observer, member), []).append(time.time())
            threading.Thread(target=client.read_stream, args=(record,), daemon=True).start()
        times, firsts, victims, short = [], [], [], None
        try:
            for _ in range(self.cfg.kills):
                running = [a for a in self.agents if a.running()]
                if len(running) < 2:
                    break
                victim, observers = running[-1], [a for a in running[:-1] if a.name in streaming]
                victim.kill()
                t0 = time.time()
                deadline = now() + self.cfg.failure_timeout
                seen = {}
                while now() < deadline:
                    with lock:  # the first event after the kill (a false failure earlier does not count)
                        seen = {a.name: after[0] for a in observers
                                if (after := [t for t in seen_at.get((a.name, victim.name), []) if t >= t0])}
                    if all(a.name in seen for a in observers if a.running()):
                        break
                    time.sleep(0.02)
                observers = [a for a in observers if a.running()]
                victims.append(victim.name)
                firsts.append(min(seen.values()) - t0 if seen else None)
                if seen and all(a.name in seen for a in observers):
                    times.append(max(seen[a.name] for a in observers) - t0)
                else:
                    short = {"seen_by": len(seen), "observers": len(observers)}
                    break
        finally:
            for client in clients:
                client.close()
        out = {"victims": victims, "detected_each_s": times, "first_each_s": firsts,
               "streams": len(clients)}
        if short is None and times:
            out["detected_s"] = statistics.median(times)
        elif short is not None:
            out.update(short)
        return out

    def teardown(self):
        exited = [a for a in self.agents if a.exited()]
        for a in self.agents:
            a.kill()
        for a in self.agents:
            a.reap()
        reasons = {}
        for a in exited:
            reason = a.failure_line or f"exit code {a.proc.returncode}"
            reasons[reason] = reasons.get(reason, 0) + 1
        return {"exited": len(exited), "exit_reasons": reasons,
                "refuted_log_lines": sum(a.refuted for a in self.agents),
                "duplicate_events": self.duplicate_events()}

    def duplicate_events(self):
        """Handler runs beyond the first for one event on one node, over the whole run (a user event
        must reach each handler once, however often it is gossiped or replayed by push/pull)."""
        duplicates = 0
        for name in os.listdir(self.events_dir):
            with open(os.path.join(self.events_dir, name)) as f:
                events = [line.split()[0] for line in f if line.strip()]
            duplicates += len(events) - len(set(events))
        return duplicates

    def run(self):
        result = {"kind": self.kind, "mode": self.mode, "n": self.n, "dir": self.dir}
        try:
            if self.kind != "mixed":
                log(f"  {self.kind} {self.mode} N={self.n}: start CPU of one agent")
                result["start"] = self.start_cpu()
            log(f"  {self.kind} {self.mode} N={self.n}: starting {self.n} agents at once")
            result["view"] = self.start_all()
            v = result["view"]
            log(f"    full view: {fmt_s(v.get('full_view_s'))}, {v.get('seeing_all')}/{v.get('running')} "
                f"running agents see all, {v.get('joined')}/{self.n - 1} joined")
            if v.get("running", 0) >= 2:
                log(f"  {self.kind} {self.mode} N={self.n}: idle {self.cfg.idle:g} s")
                result["idle"] = self.idle()
                log(f"  {self.kind} {self.mode} N={self.n}: {self.cfg.events} user events")
                result["events"] = self.events()
                log(f"  {self.kind} {self.mode} N={self.n}: kill -9 of {self.cfg.kills} agent(s), one after another")
                result["failure"] = self.failure()
        finally:
            result["end"] = self.teardown()
        return result


def version(binary):
    try:
        out = subprocess.run([binary, "version"], capture_output=True, text=True, timeout=30).stdout
        return out.splitlines()[0].strip() if out else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


# ---- main -----------------------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/cluster.sh", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", default="16 64 128", help="cluster sizes (default: '16 64 128')")
    p.add_argument("--modes", default="plain encrypt", help="'plain', 'encrypt' or both (default)")
    p.add_argument("--kinds", default="go ours mixed", help="clusters to run (default: 'go ours mixed')")
    p.add_argument("--smoke", action="store_true",
                   help="N=3, plain only, short phases; exit 1 if anything did not work; writes no doc")
    p.add_argument("--events", type=int, default=5, help="user events per cluster (default 5)")
    p.add_argument("--repeats", type=int, default=3, help="single agents timed for start CPU (default 3)")
    p.add_argument("--settle", type=float, default=5, help="s between full view and idle measurement")
    p.add_argument("--idle", type=float, default=10, help="s of idle CPU measurement (default 10)")
    p.add_argument("--event-gap", type=float, default=0.5,
                   help="s between an event's last arrival and the next event (default 0.5: the previous "
                        "event is still being retransmitted; 3 or more: each event finds a quiet cluster)")
    p.add_argument("--event-timeout", type=float, default=15, help="s to wait for an event everywhere")
    p.add_argument("--failure-timeout", type=float, default=60, help="s to wait for the failure everywhere")
    p.add_argument("--kills", type=int, default=3,
                   help="agents killed one after another for failure detection; the median is reported (default 3)")
    p.add_argument("--go-bin", default=os.environ.get("SERF_BENCH_GO", "/usr/bin/serf"),
                   help="the Go agent (default: $SERF_BENCH_GO or /usr/bin/serf)")
    p.add_argument("--ours-bin", default=os.path.join(REPO, "jlink/target/image/bin/serf"),
                   help="our agent (default: the runtime image of this tree)")
    p.add_argument("--ours-opts", default=os.environ.get("SERF_JAVA_OPTS", ""),
                   help="SERF_JAVA_OPTS for our agents (default: $SERF_JAVA_OPTS)")
    p.add_argument("--out", default=os.path.join(REPO, "docs/benchmarks.md"),
                   help="Markdown file the dated table is inserted into")
    p.add_argument("--no-doc", action="store_true", help="print the table, do not write --out")
    p.add_argument("--note", default="", help="a label for the dated section, e.g. 'development run'")
    p.add_argument("--workdir", default=None, help="logs, event stamps, results.json (default: a new /tmp dir)")
    cfg = p.parse_args(argv)
    if cfg.smoke:
        cfg.n, cfg.modes, cfg.events, cfg.repeats, cfg.kills = "3", "plain", 2, 1, 1
        cfg.settle, cfg.idle, cfg.event_gap, cfg.no_doc = 0.5, 2, 0.1, True
    cfg.sizes = [int(x) for x in cfg.n.split()]
    cfg.mode_list = cfg.modes.split()
    cfg.kind_list = cfg.kinds.split()
    if any(n < 2 for n in cfg.sizes) or not set(cfg.mode_list) <= {"plain", "encrypt"} \
            or not set(cfg.kind_list) <= {"go", "ours", "mixed"}:
        p.error("sizes must be >= 2, modes plain|encrypt, kinds go|ours|mixed")
    cfg.full_view_timeout = lambda n: 30 + 0.5 * n
    return cfg


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def main(argv):
    cfg = parse_args(argv)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    for binary in (cfg.go_bin, cfg.ours_bin):
        if not os.access(binary, os.X_OK):
            sys.exit(f"not executable: {binary} (bench/cluster.sh installs/builds it)")
    workdir = cfg.workdir or f"/tmp/serf-bench-{datetime.datetime.now().strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    os.makedirs(workdir, exist_ok=True)
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    meta = {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "note": cfg.note,
        "command": shlex.join(["bench/cluster.sh"] + argv),
        "machine": f"{os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}",
        "go_version": version(cfg.go_bin),
        "ours_version": version(cfg.ours_bin),
        "ours_opts": cfg.ours_opts,
        "commit": commit,
        "load": " ".join(open("/proc/loadavg").read().split()[:3]),
        "sizes": cfg.sizes,
    }
    log(f"work dir {workdir}; Go: {meta['go_version']}; ours: {meta['ours_version']}")
    ports = Ports()
    results = []
    try:
        for n in cfg.sizes:
            for mode in cfg.mode_list:
                for kind in cfg.kind_list:
                    results.append(Cluster(cfg, ports, kind, mode, n, workdir).run())
                    with open(os.path.join(workdir, "results.json"), "w") as f:
                        json.dump({"meta": meta, "results": results}, f, indent=1)
    finally:
        kill_all()
    section = markdown(results, meta)
    print()
    print(section)
    if not cfg.no_doc:
        os.makedirs(os.path.dirname(os.path.abspath(cfg.out)), exist_ok=True)
        write_doc(cfg.out, section)
        log(f"table written to {cfg.out}")
    log(f"logs and results.json in {workdir}")
    if cfg.smoke:
        issues = problems(results)
        for issue in issues:
            log(f"SMOKE FAILURE: {issue}")
        return 1 if issues else 0
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    finally:
        kill_all()
