"""Idle CPU and memory of our agent against Go's, side by side in one cluster (docs/benchmarks.md,
"Idle CPU of the agent").

    python3 bench/launcher/idle.py [--go 2] [--settle 60] [--window 120] [--windows 2]
        [--modes plain,enc] [--threads] NAME=IMAGE_DIR[,SERF_JAVA_OPTS] ...

Per mode (plain, then `-encrypt`; both clusters run at the same time, on 127.0.0.1): --go Go agents
(/usr/bin/serf, the first one is the seed) and one of our agents per NAME=IMAGE_DIR argument (the
image's bin/serf, with SERF_JAVA_OPTS from after the first comma, e.g.
`'new=jlink/target/image,-Xss256k -Djdk.virtualThreadScheduler.parallelism=1'`, options split on blanks). Every agent runs an event
handler that reads its input, nothing is sent: the cluster is idle. After --settle seconds, the CPU of
each agent is taken over --windows windows of --window seconds, two ways: the scheduler's run time of
its threads (/proc/PID/task/*/schedstat, ns, sampled every 2 s) and utime+stime (/proc/PID/stat). The
latter is sampled by the kernel's tick (here 250 Hz, reported in 1/100 s), so at 1-2 ms/s over 120 s
it rests on a few dozen ticks and varies by 15 % or more between windows; the former is exact. Then
VmRSS and VmHWM, and per group (several agents of one variant named NAME.1, NAME.2, ...; the Go
agents) the mean and range. With --threads, also our agents' CPU per thread (by thread name, digits folded). The
JSON result goes to the working directory (idle-<time>.json). Run it under `chrt -i 0` on a shared
machine: the agents inherit that policy.
"""
import argparse, json, os, re, signal, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument('--go', type=int, default=2)
ap.add_argument('--settle', type=int, default=60)
ap.add_argument('--start-timeout', type=int, default=300)
ap.add_argument('--window', type=int, default=120)
ap.add_argument('--windows', type=int, default=2)
ap.add_argument('--modes', default='plain,enc')
ap.add_argument('--threads', action='store_true')
ap.add_argument('--base-port', type=int, default=int(os.environ.get('BASE_PORT', '17600')))
ap.add_argument('ours', nargs='*')
a = ap.parse_args()

KEY = 'cg8StVXbQJ0gPvMd9o7yrg=='
WORK = tempfile.mkdtemp(prefix='serf-idle-')
HANDLER = os.path.join(WORK, 'handler.sh')
with open(HANDLER, 'w') as f:
    f.write('#!/bin/sh\ncat > /dev/null\n')
os.chmod(HANDLER, 0o755)
HZ = os.sysconf('SC_CLK_TCK')

ours = []
for spec in a.ours:
    name, rest = spec.split('=', 1)
    image, _, opts = rest.partition(',')
    ours.append((name, os.path.abspath(image), opts))

procs = []


def start(name, cmd, env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.Popen(cmd, stdout=open(os.path.join(WORK, name + '.log'), 'w'), stderr=subprocess.STDOUT, env=e)
    procs.append((name, p))
    return p


def cpu_ms(path):
    try:
        f = open(path).read().rsplit(')', 1)[1].split()
    except OSError:
        return 0
    return (int(f[11]) + int(f[12])) * 1000 // HZ


def mem(pid):
    d = {'VmRSS': 0, 'VmHWM': 0}
    for line in open(f'/proc/{pid}/status'):
        if line.startswith(('VmRSS', 'VmHWM')):
            d[line.split(':')[0]] = round(int(line.split()[1]) / 1024, 1)
    return d


def threads(pid):
    out = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            comm = open(f'/proc/{pid}/task/{tid}/comm').read().strip()
        except OSError:
            continue
        key = re.sub(r'\d+', 'N', comm)
        out[key] = out.get(key, 0) + cpu_ms(f'/proc/{pid}/task/{tid}/stat')
    return out


port = a.base_port
agents = {}  # name -> pid
for mode in a.modes.split(','):
    ek = ['-encrypt=' + KEY] if mode == 'enc' else []
    seed = None
    members = [(f'go{i + 1}', None, None) for i in range(a.go)] + ours
    for name, image, opts in members:
        n = f'{mode}-{name}'
        p, port = port, port + 2
        cmd = ['agent', f'-node={n}', f'-bind=127.0.0.1:{p}', f'-rpc-addr=127.0.0.1:{p + 1}',
               '-log-level=warn', '-event-handler=' + HANDLER] + ek
        if seed is not None:
            cmd.append(f'-join=127.0.0.1:{seed}')
        if image is None:
            pr = start(n, ['/usr/bin/serf'] + cmd)
        else:
            pr = start(n, [image + '/bin/serf'] + cmd, {'SERF_JAVA_OPTS': opts})
        agents[n] = pr.pid
        if seed is None:
            seed = p
            time.sleep(1)

print(f'{len(agents)} agents started (logs in {WORK})', flush=True)


class Meter:
    """CPU of one process: utime+stime (/proc/PID/stat, clock ticks: the process and its ended threads)
    and the scheduler's exact run time of each thread (/proc/PID/task/TID/schedstat, ns), sampled every
    SAMPLE_S so that a thread that ends loses at most one sample's worth."""

    def __init__(self, pid):
        self.pid, self.last, self.acc, self.names = pid, {}, {}, {}

    def sample(self):
        for tid in os.listdir(f'/proc/{self.pid}/task'):
            try:
                ns = int(open(f'/proc/{self.pid}/task/{tid}/schedstat').read().split()[0])
                if tid not in self.names:
                    self.names[tid] = re.sub(r'\d+', 'N', open(f'/proc/{self.pid}/task/{tid}/comm').read().strip())
            except (OSError, ValueError, IndexError):
                continue
            self.acc[tid] = self.acc.get(tid, 0) + ns - self.last.get(tid, ns if self.initial else 0)
            self.last[tid] = ns

    def begin(self):
        self.initial, self.last, self.acc = True, {}, {}
        self.sample()
        self.initial = False
        self.stat0 = cpu_ms(f'/proc/{self.pid}/stat')

    def end(self, dt):
        self.sample()
        by = {}
        for tid, ns in self.acc.items():
            by[self.names[tid]] = by.get(self.names[tid], 0) + ns
        return {'sched_ms_s': round(sum(self.acc.values()) / 1e6 / dt, 2),
                'stat_ms_s': round((cpu_ms(f'/proc/{self.pid}/stat') - self.stat0) / dt, 2),
                'threads': {k: round(v / 1e6 / dt, 2) for k, v in sorted(by.items(), key=lambda kv: -kv[1]) if v > 0}}


SAMPLE_S = 2
res = {'args': vars(a), 'ours': ours, 'windows': [], 'started': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}


def alive_seen(i):
    """How many members the seed of the i-th cluster sees alive (None if it does not answer in time)."""
    seed_rpc = a.base_port + 1 + i * 2 * (a.go + len(ours))
    try:
        out = subprocess.run(['/usr/bin/serf', 'members', f'-rpc-addr=127.0.0.1:{seed_rpc}', '-status=alive'],
                             capture_output=True, text=True, timeout=60).stdout
        return len(out.strip().splitlines())
    except subprocess.TimeoutExpired:
        return None


try:
    # Started under SCHED_IDLE on a loaded machine, a JVM may take a minute to start: wait until every
    # seed sees its whole cluster alive (at most --start-timeout s), then --settle s more.
    modes = a.modes.split(',')
    deadline = time.time() + a.start_timeout
    while time.time() < deadline and any(alive_seen(i) != a.go + len(ours) for i in range(len(modes))):
        time.sleep(5)
    print(f'all alive: {[alive_seen(i) for i in range(len(modes))]} after {time.time() - deadline + a.start_timeout:.0f} s;'
          f' settling {a.settle} s', flush=True)
    time.sleep(a.settle)
    meters = {n: Meter(pid) for n, pid in agents.items()}
    for w in range(a.windows):
        for m in meters.values():
            m.begin()
        s0 = time.time()
        while time.time() - s0 < a.window:
            time.sleep(SAMPLE_S)
            for m in meters.values():
                m.sample()
        dt = time.time() - s0
        row = {n: m.end(dt) for n, m in meters.items()}
        res['windows'].append(row)
        print(f'window {w + 1} ({dt:.0f} s), ms/s (schedstat / stat):', flush=True)
        for n, r in row.items():
            extra = '  ' + ', '.join(f'{k}={v}' for k, v in r['threads'].items() if v >= 0.02) \
                if a.threads and not re.match(r'^\w+-go\d+$', n) else ''
            print(f'  {n:18s} {r["sched_ms_s"]:6.2f} / {r["stat_ms_s"]:6.2f}{extra}', flush=True)
    res['mean'] = {n: {k: round(sum(r[n][k] for r in res['windows']) / len(res['windows']), 2)
                       for k in ('sched_ms_s', 'stat_ms_s')} for n in agents}
    res['mem'] = {n: mem(pid) for n, pid in agents.items()}
    print('mean over the windows, ms/s (schedstat / stat), memory (MB):')
    for n in agents:
        print(f'  {n:18s} {res["mean"][n]["sched_ms_s"]:6.2f} / {res["mean"][n]["stat_ms_s"]:6.2f}'
              f'  RSS {res["mem"][n]["VmRSS"]:5.1f}  HWM {res["mem"][n]["VmHWM"]:5.1f}')
    # Agents named NAME.K (several of one variant) and the Go agents, each as one group: mean and range.
    groups = {}
    for n in agents:
        mode, name = n.split('-', 1)
        g = f'{mode}-' + ('go' if re.match(r'^go\d+$', name) else name.split('.')[0])
        groups.setdefault(g, []).append(n)
    res['groups'] = {}
    print('per group, mean (min-max) of the agents\' means, ms/s (schedstat / stat), VmRSS / VmHWM max MB:')
    for g, ns in groups.items():
        sv = [res['mean'][n]['sched_ms_s'] for n in ns]
        tv = [res['mean'][n]['stat_ms_s'] for n in ns]
        rss = max(res['mem'][n]['VmRSS'] for n in ns)
        hwm = max(res['mem'][n]['VmHWM'] for n in ns)
        res['groups'][g] = {'agents': ns, 'sched_ms_s': round(sum(sv) / len(sv), 2), 'stat_ms_s': round(sum(tv) / len(tv), 2),
                            'sched_min': min(sv), 'sched_max': max(sv), 'VmRSS_max': rss, 'VmHWM_max': hwm}
        print(f'  {g:16s} {sum(sv) / len(sv):5.2f} ({min(sv):.2f}-{max(sv):.2f}) / {sum(tv) / len(tv):5.2f}'
              f'   {rss:.1f} / {hwm:.1f}  (n={len(ns)})', flush=True)
    members = {}
    for i, mode in enumerate(modes):
        members[mode] = alive_seen(i)
        print(f'{mode}: {members[mode]} alive members seen by the seed (of {a.go + len(ours)})')
    res['alive_members'] = members
    json.dump(res, open('idle-%d.json' % int(time.time()), 'w'), indent=1)
finally:
    for n, p in procs:
        p.send_signal(signal.SIGTERM)
    time.sleep(5)
    for n, p in procs:
        p.kill()
        p.wait()
