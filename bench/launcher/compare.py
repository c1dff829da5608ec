"""JVM option variants of our agent side by side under the same load (docs/benchmarks.md, "Launcher
options under load").

    python3 bench/launcher/compare.py VARIANTS.json [LOAD_SECONDS=600] [EVENTS_PER_SECOND=6]

Per cluster (plain, then `-encrypt`), on 127.0.0.1: a Go agent that the events are sent to, a
passive Go agent to compare with, and one of our agents (SERF_IMAGE, default jlink/target/image) per
variant, with SERF_JAVA_OPTS (and extra environment) from VARIANTS.json:
[{"name": "xint", "opts": ""}, {"name": "c1", "opts": "-Xmixed ...", "env": {"MALLOC_ARENA_MAX": "2"}}].
Every agent runs an event handler that reads its input. Printed: idle CPU (utime+stime of the
process) and RSS over 60 s from 60 s after the start; RSS each minute of a steady user-event load;
CPU per event; idle CPU and RSS again 30 s after the load. The JSON result goes to the working
directory (result-<time>.json). Needs /usr/bin/serf (Debian's serf package).
"""
import os, sys, time, subprocess, json, signal, tempfile
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from serfrpc import RpcClient
IMG = os.environ.get('SERF_IMAGE', os.path.join(HERE, '..', '..', 'jlink', 'target', 'image')) + '/bin/serf'
WORK = tempfile.mkdtemp(prefix='serf-launcher-')
HANDLER = os.path.join(WORK, 'handler.sh')
with open(HANDLER, 'w') as f:
    f.write('#!/bin/sh\ncat > /dev/null\n')
os.chmod(HANDLER, 0o755)
VARIANTS = json.loads(open(sys.argv[1]).read())
LOAD_S = int(sys.argv[2]) if len(sys.argv) > 2 else 600
RATE = float(sys.argv[3]) if len(sys.argv) > 3 else 6.0
KEY = 'cg8StVXbQJ0gPvMd9o7yrg=='
procs = []
def start(name, cmd, env=None):
    e = dict(os.environ); e.update(env or {})
    p = subprocess.Popen(cmd, stdout=open(os.path.join(WORK, name + '.log'), 'w'), stderr=subprocess.STDOUT, env=e)
    procs.append((name, p)); return p
def stat(pid):
    if not os.path.exists(f'/proc/{pid}/stat'): return 0
    f = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return (int(f[11]) + int(f[12])) * 10  # ms (utime+stime, 100 Hz), this process only
def mem(pid):
    d = {'VmRSS': 0, 'VmHWM': 0}
    for l in open(f'/proc/{pid}/status'):
        if l.startswith(('VmRSS', 'VmHWM')): d[l.split(':')[0]] = int(l.split()[1]) // 1024
    return d
port = int(os.environ.get('BASE_PORT', '17500'))
agents = {}  # name -> (pid, rpcport)
clusters = {}
for enc in (False, True):
    tag = 'enc' if enc else 'plain'
    ek = ['-encrypt=' + KEY] if enc else []
    gp = port; port += 2
    start(f'{tag}-godrv', ['/usr/bin/serf', 'agent', f'-node={tag}-godrv', f'-bind=127.0.0.1:{gp}', f'-rpc-addr=127.0.0.1:{gp+1}', '-log-level=warn'] + ek)
    clusters[tag] = gp
    time.sleep(1)
    members = [('go', None, {})] + [(v['name'], v['opts'], v.get('env', {})) for v in VARIANTS]
    for name, opts, venv in members:
        n = f'{tag}-{name}'; p = port; port += 2
        base = ['agent', f'-node={n}', f'-bind=127.0.0.1:{p}', f'-rpc-addr=127.0.0.1:{p+1}', f'-join=127.0.0.1:{gp}',
                '-log-level=warn', '-event-handler=' + HANDLER] + ek
        if opts is None:
            pr = start(n, ['/usr/bin/serf'] + base)
        else:
            pr = start(n, [IMG] + base, {'SERF_JAVA_OPTS': opts, **venv})
        agents[n] = (pr.pid, p + 1)
time.sleep(2)
# the JVM is the launcher's exec'd process (same pid, exec)
def snapshot():
    return {n: (stat(pid), mem(pid)) for n, (pid, _) in agents.items()}
def cpu_over(s):
    a = snapshot(); time.sleep(s); b = snapshot()
    return {n: (b[n][0] - a[n][0]) / s for n in agents}, b
res = {'variants': VARIANTS}
time.sleep(58)
print('idle before load (60 s after start, over 60 s)', flush=True)
cpu, snap = cpu_over(60)
res['idle_before'] = {n: {'cpu_ms_s': cpu[n], **snap[n][1]} for n in agents}
for n in agents: print(f'  {n:16s} {cpu[n]:6.1f} ms/s  {snap[n][1]}', flush=True)
drivers = {t: RpcClient('127.0.0.1', clusters[t] + 1) for t in clusters}
res['load'] = []
t0 = time.time(); k = 0; nxt = t0 + 60
c0 = snapshot()
while time.time() - t0 < LOAD_S:
    k += 1
    for t, d in drivers.items():
        d.event(f'e{k}', f'payload-{k}-' .encode() + os.urandom(8).hex().encode())
    time.sleep(1.0 / RATE)
    if time.time() >= nxt:
        nxt += 60
        s = snapshot()
        row = {n: s[n][1]['VmRSS'] for n in agents}
        res['load'].append({'t': round(time.time() - t0), 'events': k, 'rss': row})
        print(f'  t={time.time()-t0:4.0f}s events={k} ' + ' '.join(f'{n}={row[n]}' for n in agents), flush=True)
c1 = snapshot()
res['load_cpu_ms_per_event'] = {n: (c1[n][0] - c0[n][0]) / k for n in agents}
print('cpu ms per event: ' + ' '.join(f'{n}={v:.2f}' for n, v in res['load_cpu_ms_per_event'].items()), flush=True)
time.sleep(30)
print('idle after load (over 60 s)', flush=True)
cpu, snap = cpu_over(60)
res['idle_after'] = {n: {'cpu_ms_s': cpu[n], **snap[n][1]} for n in agents}
for n in agents: print(f'  {n:16s} {cpu[n]:6.1f} ms/s  {snap[n][1]}', flush=True)
json.dump(res, open('result-%d.json' % int(t0), 'w'), indent=1)
print('agent logs in', WORK)
for n, p in procs: p.send_signal(signal.SIGTERM)
time.sleep(3)
for n, p in procs: p.kill()
