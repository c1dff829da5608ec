import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import serf.api.Config;
import serf.api.Event;
import serf.api.EventType;
import serf.api.Member;
import serf.api.MemberStatus;
import serf.api.Serf;

/**
 * N Serf nodes on real loopback UDP/TCP in one JVM, through the public API only, as a user would
 * build them: {@code Serf.create} with {@code Config.defaults()} (LAN memberlist profile, or
 * {@code -profile local}), bound to 127.0.0.1 port 0. JDK only; run by {@code bench/scale/run.sh}.
 *
 * <p>Phases: create the nodes; join them (waves: node 0 alone, then waves of {@code -wave} nodes each
 * joining a random node started in an earlier wave, the joins of a wave at once; storm: every other
 * node joins node 0 at the same instant); wait for the full view (every node's members() lists N
 * members alive); one user event from the last node, stamped (nanoTime) in every node's event sink;
 * a steady period in which any member-failed/leave event is a false failure; heap after a GC;
 * shutdown. Prints details per phase and one Markdown table row at the end.
 *
 * <p>Options: {@code -n 100 -mode waves|storm -wave 50 -steady 60 -view-timeout 300 -profile lan|local
 * -seed 1 -log-level WARNING -event-timeout 30 -retry-failed-joins true -settle 0 -compression on}. {@code -settle S}: after
 * each wave, wait up to S seconds until every node joined so far sees every node joined so far alive
 * before the next wave (paced joins: the gossip of one wave's joins is done before the next starts).
 * {@code -compression off}: memberlist sends its packets and streams without LZW (on by default, as in
 * Go); on loopback it saves CPU only, since a gossip packet is filled by the uncompressed size.
 */
public final class ScaleBench {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    // Options.
    private int n = 100;
    private String mode = "waves";
    private int wave = 50;
    private int steadySeconds = 60;
    private int viewTimeoutSeconds = 300;
    private int eventTimeoutSeconds = 30;
    private String profile = "lan";
    private long seed = 1;
    private Level logLevel = Level.INFO;
    private boolean retryFailedJoins = true;
    private int settleSeconds = 0;
    private boolean compression = true;
    private String note = "";

    // What the event sinks see.
    private final List<Serf> nodes = new ArrayList<>();
    private volatile AtomicLongArray eventArrival;          // nanoTime per node, 0 = not yet
    private volatile String eventName = "";
    private final AtomicInteger eventArrivals = new AtomicInteger();
    private final Map<EventType, LongAdder> memberEvents = new ConcurrentHashMap<>();
    private final LongAdder failedOrLeft = new LongAdder();   // member-failed/leave events, whole run
    private final Map<String, LongAdder> falselyFailed = new ConcurrentHashMap<>(); // name -> times
    private final CountingLogHandler logs = new CountingLogHandler();

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final long benchStart = System.nanoTime();
    private final UdpCounters udp = new UdpCounters();

    public static void main(String[] args) throws Exception {
        ScaleBench b = new ScaleBench();
        b.parse(args);
        int status = b.run();
        System.exit(status);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i += 2) {
            String k = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + k);
            }
            String v = args[i + 1];
            switch (k) {
                case "-n" -> n = Integer.parseInt(v);
                case "-mode" -> mode = v;
                case "-wave" -> wave = Integer.parseInt(v);
                case "-steady" -> steadySeconds = Integer.parseInt(v);
                case "-view-timeout" -> viewTimeoutSeconds = Integer.parseInt(v);
                case "-event-timeout" -> eventTimeoutSeconds = Integer.parseInt(v);
                case "-profile" -> profile = v;
                case "-seed" -> seed = Long.parseLong(v);
                case "-log-level" -> logLevel = Level.parse(v);
                case "-retry-failed-joins" -> retryFailedJoins = Boolean.parseBoolean(v);
                case "-note" -> note = v;
                case "-settle" -> settleSeconds = Integer.parseInt(v);
                case "-compression" -> compression = switch (v) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("-compression on|off");
                };
                default -> throw new IllegalArgumentException("unknown option " + k);
            }
        }
        if (!mode.equals("waves") && !mode.equals("storm")) {
            throw new IllegalArgumentException("-mode waves|storm");
        }
        if (!profile.equals("lan") && !profile.equals("local")) {
            throw new IllegalArgumentException("-profile lan|local");
        }
        if (n < 2) {
            throw new IllegalArgumentException("-n must be at least 2");
        }
    }

    private int run() throws Exception {
        installLogCounter();
        String jvm = jvmSummary();
        say("ScaleBench n=%d mode=%s%s profile=%s%s steady=%ds; %s; load %s", n, mode,
                mode.equals("waves") ? " wave=" + wave + (settleSeconds > 0 ? " settle=" + settleSeconds + "s" : "") : "", profile,
                compression ? "" : " compression=off", steadySeconds, jvm, loadAverage());

        long heapBefore = usedHeapAfterGc();
        int threadsBefore = threads.getThreadCount();
        long cpu0 = processCpuNanos();

        // 1. Create the nodes.
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            nodes.add(Serf.create(config(i)));
        }
        long createNanos = System.nanoTime() - t0;
        long cpuCreated = processCpuNanos();
        say("created %d nodes in %.1f s (CPU %.1f s); platform threads %d -> %d", n, createNanos / 1e9,
                (cpuCreated - cpu0) / 1e9, threadsBefore, threads.getThreadCount());

        // 2. Join, watching the view from the first join on.
        ViewWatcher watcher = new ViewWatcher();
        Thread watch = Thread.ofPlatform().name("scale-view-watcher").daemon().start(watcher);
        long joinStart = System.nanoTime();
        watcher.start(joinStart);
        JoinResult joins = mode.equals("waves") ? joinInWaves() : joinStorm();
        long joinNanos = System.nanoTime() - joinStart;
        watcher.joinsDone = true;
        long cpuJoined = processCpuNanos();
        say("joins: %d of %d failed in %.1f s (CPU %.1f s); %s", joins.failed(), n - 1, joinNanos / 1e9,
                (cpuJoined - cpuCreated) / 1e9, udp.delta());
        joins.errors().entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(10).forEach(e -> say("  %5d x %s", e.getValue(), e.getKey()));
        int retryFailed = 0;
        if (retryFailedJoins && joins.failed() > 0) {
            retryFailed = retryJoins(joins.failedNodes());
            say("retried the failed joins once, after the others: %d still failed", retryFailed);
        }

        // 3. Full view.
        long viewDeadline = joinStart + Duration.ofSeconds(viewTimeoutSeconds).toNanos();
        long fullViewAt = watcher.awaitFullView(viewDeadline);
        watch.interrupt();
        watch.join();
        String fullView;
        if (fullViewAt > 0) {
            fullView = String.format("%.1f s (%.1f s after the last join)", (fullViewAt - joinStart) / 1e9,
                    Math.max(0, fullViewAt - joinStart - joinNanos) / 1e9);
            say("full view: %s", fullView);
        } else {
            fullView = "not in " + viewTimeoutSeconds + " s (" + watcher.progress() + ")";
            say("NO full view within %d s: %s", viewTimeoutSeconds, watcher.progress());
            describeIncompleteViews(n);
        }
        long cpuView = processCpuNanos();

        // 4. User events from the last node: one right after the full view (the queues still carry the
        // joins' alive messages and intents, which go first), one once every intent queue is empty.
        EventResult busy = userEvent("scale-bench-busy");
        say("user event right after the full view: delivered %d/%d, p50 %s, p99.9 %s, max %s", busy.delivered(), n,
                ms(busy.p50()), ms(busy.p999()), ms(busy.max()));
        long drained = awaitQueuesDrained(Duration.ofSeconds(120));
        say("intent queues empty on every node %s", drained < 0 ? "NOT within 120 s" : String.format("after %.1f s", drained / 1e9));
        EventResult ev = userEvent("scale-bench");
        say("user event on the quiet cluster: delivered %d/%d, p50 %s, p99.9 %s, max %s", ev.delivered(), n, ms(ev.p50()),
                ms(ev.p999()), ms(ev.max()));

        // 5. Steady period: nothing fails, so any member-failed/leave event is false.
        if (fullViewAt == 0 && steadySeconds > 60) {
            say("no full view: the steady period is cut to 60 s");
            steadySeconds = 60;
        }
        long failedBefore = failedOrLeft.sum();
        long cpuSteady0 = processCpuNanos();
        long steadyStart = System.nanoTime();
        long steadyEnd = steadyStart + Duration.ofSeconds(steadySeconds).toNanos();
        while (System.nanoTime() < steadyEnd) {
            Thread.sleep(Math.min(10_000, Math.max(1, (steadyEnd - System.nanoTime()) / 1_000_000)));
            say("  steady %3.0f s: false failures so far %d", (System.nanoTime() - steadyStart) / 1e9,
                    failedOrLeft.sum() - failedBefore);
        }
        long steadyCpu = processCpuNanos() - cpuSteady0;
        long falseFailures = failedOrLeft.sum() - failedBefore;
        int viewsIncompleteAfterSteady = countIncompleteViews();
        say("%s", udp.delta());
        say("steady %d s: %d member-failed/leave events (%d over the whole run); %d views incomplete at the end;"
                + " CPU %.1f s = %.2f ms/s per node", steadySeconds, falseFailures, failedOrLeft.sum(),
                viewsIncompleteAfterSteady, steadyCpu / 1e9, steadyCpu / 1e6 / steadySeconds / n);
        if (!falselyFailed.isEmpty()) {
            say("  falsely failed/left: %s", top(falselyFailed, 10));
        }

        // 6. Heap and threads with the cluster up.
        long heapUp = usedHeapAfterGc();
        double heapPerNodeMb = (heapUp - heapBefore) / (double) n / (1024 * 1024);
        int platformUp = threads.getThreadCount();
        int virtualUp = virtualThreadCount();
        say("heap: %.1f MB before, %.1f MB with the cluster up -> %.3f MB per node", heapBefore / 1048576.0,
                heapUp / 1048576.0, heapPerNodeMb);
        say("threads: %d platform (%d before the nodes, peak %d), %s virtual", platformUp, threadsBefore,
                threads.getPeakThreadCount(), virtualUp < 0 ? "?" : Integer.toString(virtualUp));
        printStats();
        logs.print();

        // 7. Shutdown.
        long s0 = System.nanoTime();
        List<Thread> stoppers = new ArrayList<>();
        for (Serf s : nodes) {
            stoppers.add(Thread.ofVirtual().start(s::shutdown));
        }
        for (Thread t : stoppers) {
            t.join();
        }
        long cpuEnd = processCpuNanos();
        say("shutdown of %d nodes in %.1f s; platform threads after: %d", n, (System.nanoTime() - s0) / 1e9,
                threads.getThreadCount());

        String row = String.format("| %s | %d | %s | %s | %d%s | %.1f s | %s | %s / %s / %s | %d/%d | %s (%d/%d) | %d in %d s (%d before) | %.2f MB |"
                        + " %.0f s (join+view %.0f s, idle %.2f ms/s/node) | %d | %s |",
                STAMP.format(LocalDateTime.now()), n, mode.equals("waves") ? "waves of " + wave
                        + (settleSeconds > 0 ? ", each settled" : "") : "storm", profile + (compression ? "" : ", no compression"),
                joins.failed(), retryFailedJoins && joins.failed() > 0 ? " (" + retryFailed + " after a retry)" : "",
                joinNanos / 1e9, fullViewAt > 0 ? String.format("%.1f s", (fullViewAt - joinStart) / 1e9) : "none in " + viewTimeoutSeconds + " s",
                ms(ev.p50()), ms(ev.p999()), ms(ev.max()), ev.delivered(), n, ms(busy.p999()), busy.delivered(), n,
                falseFailures, steadySeconds, failedBefore, heapPerNodeMb, (cpuEnd - cpu0) / 1e9, (cpuJoined - cpuCreated + cpuView - cpuJoined) / 1e9,
                steadyCpu / 1e6 / steadySeconds / n, platformUp, jvm + (note.isEmpty() ? "" : "; " + note));
        System.out.println();
        System.out.println("| date | N | joins | profile | joins failed | join phase | full view | user event p50 / p99.9 / max"
                + " | delivered | right after the full view: p99.9 | member-failed events in the steady period (before it) | heap/node | CPU (process) | platform threads | JVM |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        System.out.println(row);
        System.out.flush();
        boolean ok = joins.failed() == 0 && fullViewAt > 0 && ev.delivered() == n && busy.delivered() == n && falseFailures == 0;
        return ok ? 0 : 1;
    }

    // ---------------------------------------------------------------------------------------------
    // Nodes
    // ---------------------------------------------------------------------------------------------

    private Config config(int i) {
        String name = "node-" + i;
        serf.memberlist.MemberlistConfig ml = (profile.equals("local") ? serf.memberlist.MemberlistConfig.local() : serf.memberlist.MemberlistConfig.lan())
                .name(name).bindAddr("127.0.0.1").bindPort(0).enableCompression(compression);
        return Config.defaults().nodeName(name).memberlistConfig(ml).eventSink(event -> onEvent(i, event));
    }

    private void onEvent(int node, Event event) {
        switch (event) {
            case Event.UserEvent ue -> {
                AtomicLongArray arrivals = eventArrival;
                if (arrivals != null && ue.name().equals(eventName) && arrivals.compareAndSet(node, 0, System.nanoTime())) {
                    eventArrivals.incrementAndGet();
                }
            }
            case Event.MemberEvent me -> {
                memberEvents.computeIfAbsent(me.type(), t -> new LongAdder()).add(me.members().size());
                if (me.type() == EventType.MEMBER_FAILED || me.type() == EventType.MEMBER_LEAVE) {
                    failedOrLeft.add(me.members().size());
                    for (Member m : me.members()) {
                        falselyFailed.computeIfAbsent(m.name(), k -> new LongAdder()).increment();
                    }
                }
            }
            default -> { }
        }
    }

    private static String name(int i) {
        return "node-" + i;
    }

    private String address(int i) {
        return "127.0.0.1:" + nodes.get(i).memberlist().advertiseAddress().getPort();
    }

    record JoinResult(int failed, Map<String, Integer> errors, List<Integer> failedNodes) {
    }

    /** Node 0 alone; then waves: every node of a wave joins a random node of the earlier waves, all at once. */
    private JoinResult joinInWaves() throws InterruptedException {
        Random random = new Random(seed);
        Map<String, Integer> errors = new TreeMap<>();
        List<Integer> failedNodes = new ArrayList<>();
        for (int start = 1; start < n; start += wave) {
            int end = Math.min(n, start + wave);
            int[] targets = new int[end - start];
            for (int i = start; i < end; i++) {
                targets[i - start] = random.nextInt(start);
            }
            long w0 = System.nanoTime();
            int first = start;
            String[] outcome = joinAll(start, end, i -> targets[i - first]);
            int failed = collect(outcome, start, errors, failedNodes);
            String firstError = Arrays.stream(outcome).filter(o -> o != null).findFirst().map(ScaleBench::normalize).orElse("");
            say("  wave %d-%d: %d failed, %.2f s%s", start, end - 1, failed, (System.nanoTime() - w0) / 1e9,
                    firstError.isEmpty() ? "" : " (" + firstError + ")");
            if (settleSeconds > 0) {
                long s0 = System.nanoTime();
                boolean settled = awaitViewsOf(end, s0 + Duration.ofSeconds(settleSeconds).toNanos());
                say("  wave %d-%d: %s after %.2f s", start, end - 1, settled ? "settled" : "NOT settled",
                        (System.nanoTime() - s0) / 1e9);
                if (!settled) {
                    describeIncompleteViews(end);
                }
            }
        }
        return new JoinResult(failedNodes.size(), errors, failedNodes);
    }

    /**
     * Waits until each of nodes [0, count) sees exactly the {@code count} nodes alive (a node whose join
     * failed holds the count down until the deadline), walking them in order and resuming at the first
     * that did not; false at the deadline.
     */
    private boolean awaitViewsOf(int count, long deadline) throws InterruptedException {
        int c = 0;
        while (System.nanoTime() < deadline) {
            while (c < count && aliveCount(nodes.get(c)) >= count) {
                c++;
            }
            if (c == count) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Every node but 0 joins node 0 at the same instant. */
    private JoinResult joinStorm() throws InterruptedException {
        Map<String, Integer> errors = new TreeMap<>();
        List<Integer> failedNodes = new ArrayList<>();
        String[] outcome = joinAll(1, n, i -> 0);
        collect(outcome, 1, errors, failedNodes);
        return new JoinResult(failedNodes.size(), errors, failedNodes);
    }

    /** Joins nodes [start, end) each to target(i), on a virtual thread each, released together; null = ok. */
    private String[] joinAll(int start, int end, java.util.function.IntUnaryOperator target) throws InterruptedException {
        String[] outcome = new String[end - start];
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> joiners = new ArrayList<>();
        for (int i = start; i < end; i++) {
            int node = i;
            String to = address(target.applyAsInt(i));
            joiners.add(Thread.ofVirtual().name("scale-join-" + i).start(() -> {
                try {
                    go.await();
                    nodes.get(node).join(List.of(to), false);
                } catch (Exception e) {
                    outcome[node - start] = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }));
        }
        go.countDown();
        for (Thread t : joiners) {
            t.join();
        }
        return outcome;
    }

    private static int collect(String[] outcome, int start, Map<String, Integer> errors, List<Integer> failedNodes) {
        int failed = 0;
        for (int k = 0; k < outcome.length; k++) {
            if (outcome[k] != null) {
                failed++;
                failedNodes.add(start + k);
                errors.merge(normalize(outcome[k]), 1, Integer::sum);
            }
        }
        return failed;
    }

    /** One more join for each node whose join failed, all at once, each to a random node whose join worked. */
    private int retryJoins(List<Integer> failedNodes) throws InterruptedException {
        java.util.Set<Integer> failed = new java.util.HashSet<>(failedNodes);
        List<Integer> joined = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!failed.contains(i)) {
                joined.add(i);
            }
        }
        Random random = new Random(seed + 1);
        int[] targets = new int[n];
        for (int i : failedNodes) {
            targets[i] = joined.get(random.nextInt(joined.size()));
        }
        String[] outcome = new String[failedNodes.size()];
        List<Thread> joiners = new ArrayList<>();
        for (int k = 0; k < failedNodes.size(); k++) {
            int node = failedNodes.get(k);
            int slot = k;
            String to = address(targets[node]);
            joiners.add(Thread.ofVirtual().name("scale-rejoin-" + node).start(() -> {
                try {
                    nodes.get(node).join(List.of(to), false);
                } catch (Exception e) {
                    outcome[slot] = e.getMessage();
                }
            }));
        }
        for (Thread t : joiners) {
            t.join();
        }
        int stillFailed = 0;
        for (String o : outcome) {
            stillFailed += o == null ? 0 : 1;
        }
        return stillFailed;
    }

    // ---------------------------------------------------------------------------------------------
    // Full view
    // ---------------------------------------------------------------------------------------------

    private int aliveCount(Serf s) {
        int alive = 0;
        for (Member m : s.members()) {
            if (m.status() == MemberStatus.ALIVE) {
                alive++;
            }
        }
        return alive;
    }

    /**
     * Samples every 100 ms, cheaply: walks the nodes in order and stops at the first whose view is
     * not full yet, resuming there next time; when the walk reaches the end, one full pass confirms
     * every view at once (a view may have lost a member meanwhile).
     */
    private final class ViewWatcher implements Runnable {
        private volatile long startNanos;
        private volatile long fullAt;
        private volatile int cursor;
        private volatile int lastMin = -1;
        private volatile int lastComplete = -1;
        private volatile boolean joinsDone;
        private boolean described;
        private final CountDownLatch done = new CountDownLatch(1);

        void start(long startNanos) {
            this.startNanos = startNanos;
        }

        @Override
        public void run() {
            long nextReport = System.nanoTime() + 10_000_000_000L;
            try {
                while (fullAt == 0) {
                    int c = cursor;
                    while (c < n && aliveCount(nodes.get(c)) == n) {
                        c++;
                    }
                    if (c == n) {
                        int firstIncomplete = firstIncomplete();
                        if (firstIncomplete < 0) {
                            fullAt = System.nanoTime();
                            done.countDown();
                            return;
                        }
                        c = firstIncomplete;
                    }
                    cursor = c;
                    if (System.nanoTime() > nextReport) {
                        nextReport = System.nanoTime() + 10_000_000_000L;
                        census();
                        say("  %4.0f s: %s; %s", (System.nanoTime() - startNanos) / 1e9, progress(), udp.delta());
                        if (!described && joinsDone && System.nanoTime() - startNanos > 30_000_000_000L) {
                            described = true;
                            describeIncompleteViews(n);
                        }
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                // the wait is over
            }
        }

        private int firstIncomplete() {
            for (int i = 0; i < n; i++) {
                if (aliveCount(nodes.get(i)) != n) {
                    return i;
                }
            }
            return -1;
        }

        private void census() {
            int min = Integer.MAX_VALUE;
            int complete = 0;
            for (Serf s : nodes) {
                int a = aliveCount(s);
                min = Math.min(min, a);
                if (a == n) {
                    complete++;
                }
            }
            lastMin = min;
            lastComplete = complete;
        }

        String progress() {
            if (lastComplete < 0) {
                census();
            }
            return lastComplete + "/" + n + " views full, smallest view " + lastMin + " alive";
        }

        /** The instant of the full view, or 0 if it did not come before the deadline. */
        long awaitFullView(long deadline) throws InterruptedException {
            long wait = deadline - System.nanoTime();
            if (wait > 0) {
                done.await(wait, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            if (fullAt == 0) {
                census();
            }
            return fullAt;
        }
    }

    private int countIncompleteViews() {
        int incomplete = 0;
        for (Serf s : nodes) {
            if (aliveCount(s) != n) {
                incomplete++;
            }
        }
        return incomplete;
    }

    /**
     * Which of nodes [0, count) lack whom of them, for the first few incomplete views, with what Serf and
     * memberlist each hold for a missing member: a gossip that never arrived shows "absent/absent".
     */
    private void describeIncompleteViews(int count) {
        int shown = 0;
        int incomplete = 0;
        Map<String, Integer> missingCounts = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            Map<String, MemberStatus> inSerf = new java.util.HashMap<>();
            Map<MemberStatus, Integer> byStatus = new TreeMap<>();
            for (Member m : nodes.get(i).members()) {
                inSerf.put(m.name(), m.status());
                byStatus.merge(m.status(), 1, Integer::sum);
            }
            Map<String, serf.memberlist.NodeState> inMemberlist = null;
            List<String> missing = new ArrayList<>();
            for (int j = 0; j < count; j++) {
                String missingName = name(j);
                if (inSerf.get(missingName) == MemberStatus.ALIVE) {
                    continue;
                }
                if (inMemberlist == null) {
                    inMemberlist = new java.util.HashMap<>();
                    for (serf.memberlist.Node node : nodes.get(i).memberlist().allNodes()) {
                        inMemberlist.put(node.name(), node.state());
                    }
                }
                missing.add(missingName + " (serf " + (inSerf.containsKey(missingName) ? inSerf.get(missingName) : "absent")
                        + ", memberlist " + (inMemberlist.containsKey(missingName) ? inMemberlist.get(missingName) : "absent") + ")");
                missingCounts.merge(missingName, 1, Integer::sum);
            }
            if (missing.isEmpty()) {
                continue;
            }
            incomplete++;
            if (shown++ < 5) {
                say("  node-%d: %s; not alive in it: %s", i, byStatus,
                        missing.size() > 8 ? missing.subList(0, 8) + "… (" + missing.size() + ")" : missing);
            }
        }
        say("  %d of %d views incomplete; nodes missing from most views: %s", incomplete, count, missingCounts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10).toList());
    }

    // ---------------------------------------------------------------------------------------------
    // User event
    // ---------------------------------------------------------------------------------------------

    record EventResult(int delivered, long p50, long p999, long max) {
    }

    /** How long until every node's serf intent and event queues were empty (-1: not within {@code max}). */
    private long awaitQueuesDrained(Duration max) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        while (System.nanoTime() < deadline) {
            long queued = 0;
            for (Serf s : nodes) {
                Map<String, String> st = s.stats();
                queued += Long.parseLong(st.get("intent_queue")) + Long.parseLong(st.get("event_queue"));
            }
            if (queued == 0) {
                return System.nanoTime() - start;
            }
            Thread.sleep(200);
        }
        return -1;
    }

    private EventResult userEvent(String name) throws Exception {
        AtomicLongArray arrivals = new AtomicLongArray(n);
        eventArrivals.set(0);
        eventName = name;
        eventArrival = arrivals;
        Serf sender = nodes.get(n - 1);
        long sent = System.nanoTime();
        sender.userEvent(name, "x".getBytes(StandardCharsets.UTF_8), false);
        long deadline = sent + Duration.ofSeconds(eventTimeoutSeconds).toNanos();
        while (eventArrivals.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long[] latencies = new long[n];
        int delivered = 0;
        for (int i = 0; i < n; i++) {
            long at = arrivals.get(i);
            latencies[i] = at == 0 ? Long.MAX_VALUE : at - sent;
            if (at != 0) {
                delivered++;
            }
        }
        Arrays.sort(latencies);
        // p99.9: the latency by which ceil(99.9 % of N) nodes had it (all of them below N = 1,000).
        int k999 = (int) Math.ceil(0.999 * n) - 1;
        return new EventResult(delivered, latencies[(n - 1) / 2], latencies[k999], latencies[n - 1]);
    }

    private static String ms(long nanos) {
        return nanos == Long.MAX_VALUE ? "never" : String.format("%.0f ms", nanos / 1e6);
    }

    // ---------------------------------------------------------------------------------------------
    // Process figures
    // ---------------------------------------------------------------------------------------------

    private long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** Virtual threads alive now (from a thread dump), or -1 when the JVM cannot say. */
    private static int virtualThreadCount() {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            Path dir = Files.createTempDirectory("scale-threads");
            Path file = dir.resolve("dump.txt");
            try {
                bean.dumpThreads(file.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
                int count = 0;
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("#") && line.contains("\" virtual")) {
                        count++;
                    }
                }
                return count;
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (Exception | Error e) {
            return -1;
        }
    }

    /** Every numeric stats() value summed over the nodes, the non-zero ones (maxima for peaks/limits). */
    private void printStats() {
        Map<String, Long> sums = new TreeMap<>();
        for (Serf s : nodes) {
            for (Map.Entry<String, String> e : s.stats().entrySet()) {
                try {
                    long v = Long.parseLong(e.getValue());
                    if (e.getKey().contains("budget") || e.getKey().endsWith("_time") || e.getKey().endsWith("_peak")) {
                        sums.merge(e.getKey() + " (max)", v, Math::max);
                    } else {
                        sums.merge(e.getKey(), v, Long::sum);
                    }
                } catch (NumberFormatException ignored) {
                    // not a number (encrypted=false)
                }
            }
        }
        StringBuilder sb = new StringBuilder("stats summed over the nodes (non-zero):");
        sums.forEach((k, v) -> {
            if (v != 0) {
                sb.append(' ').append(k).append('=').append(v);
            }
        });
        say("%s", sb);
        StringBuilder ev = new StringBuilder("member events delivered (members):");
        memberEvents.forEach((k, v) -> ev.append(' ').append(k).append('=').append(v.sum()));
        say("%s", ev);
    }

    /** The kernel's UDP counters (/proc/net/snmp; for the whole host, other processes included) since the start. */
    private static final class UdpCounters {
        private final long[] start = read();

        private static long[] read() {
            try {
                List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp")).stream().filter(l -> l.startsWith("Udp:")).toList();
                String[] names = lines.get(0).split("\\s+");
                String[] values = lines.get(1).split("\\s+");
                long[] out = new long[3];
                for (int i = 1; i < names.length; i++) {
                    switch (names[i]) {
                        case "InDatagrams" -> out[0] = Long.parseLong(values[i]);
                        case "RcvbufErrors" -> out[1] = Long.parseLong(values[i]);
                        case "InErrors" -> out[2] = Long.parseLong(values[i]);
                        default -> { }
                    }
                }
                return out;
            } catch (Exception e) {
                return null;
            }
        }

        String delta() {
            long[] now = read();
            if (start == null || now == null) {
                return "UDP counters unavailable";
            }
            return String.format("host UDP since start: %d datagrams in, %d receive-buffer drops", now[0] - start[0], now[1] - start[1]);
        }
    }

    private static String jvmSummary() {
        String gc = ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName())
                .reduce((a, b) -> a + "+" + b).orElse("?");
        gc = gc.contains("G1") ? "G1" : gc.contains("Copy") || gc.contains("MarkSweepCompact") ? "Serial"
                : gc.contains("ZGC") ? "ZGC" : gc.contains("PS ") ? "Parallel" : gc;
        long xmx = Runtime.getRuntime().maxMemory();
        return String.format("JDK %s, %s, Xmx %d MB, %d CPUs", Runtime.version().feature(), gc, xmx / 1048576,
                Runtime.getRuntime().availableProcessors());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private void say(String format, Object... args) {
        System.out.printf("[%7.1f s] %s%n", (System.nanoTime() - benchStart) / 1e9, String.format(format, args));
        System.out.flush();
    }

    /** Digits out, so that messages differing only by node, port or count group together. */
    static String normalize(String message) {
        StringBuilder sb = new StringBuilder(Math.min(message.length(), 200));
        boolean lastDigit = false;
        for (int i = 0; i < message.length() && sb.length() < 200; i++) {
            char c = message.charAt(i);
            if (Character.isDigit(c)) {
                if (!lastDigit) {
                    sb.append('#');
                }
                lastDigit = true;
            } else {
                sb.append(c == '\n' || c == '\t' ? ' ' : c);
                lastDigit = false;
            }
        }
        return sb.toString();
    }

    private static String top(Map<String, LongAdder> counts, int limit) {
        return counts.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<String, LongAdder> e) -> e.getValue().sum()).reversed())
                .limit(limit).map(e -> e.getKey() + " x" + e.getValue().sum()).toList().toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Logs: counted by message (digits out), not printed; the top groups are shown at the end.
    // ---------------------------------------------------------------------------------------------

    private void installLogCounter() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(logLevel);
        logs.setLevel(logLevel);
        root.addHandler(logs);
    }

    private static final class CountingLogHandler extends Handler {
        private final Map<String, LongAdder> groups = new ConcurrentHashMap<>();
        private final Map<String, String> examples = new ConcurrentHashMap<>();

        @Override
        public void publish(LogRecord r) {
            if (!isLoggable(r)) {
                return;
            }
            String msg = r.getMessage() == null ? "" : r.getMessage();
            if (r.getThrown() != null) {
                msg = msg + " [" + r.getThrown() + "]";
            }
            String key = r.getLevel() + " " + normalize(msg);
            LongAdder count = groups.get(key);
            if (count == null) {
                if (groups.size() >= 1000) {
                    key = r.getLevel() + " (other messages)";
                }
                count = groups.computeIfAbsent(key, k -> new LongAdder());
                examples.putIfAbsent(key, msg.length() > 300 ? msg.substring(0, 300) + "…" : msg);
            }
            count.increment();
        }

        void print() {
            System.out.printf("log records by message (top 15 of %d groups):%n", groups.size());
            groups.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<String, LongAdder> e) -> e.getValue().sum()).reversed())
                    .limit(15)
                    .forEach(e -> System.out.printf("  %8d x %s%n", e.getValue().sum(), examples.get(e.getKey())
                            .replace('\n', ' ').replace('\t', ' ')));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
