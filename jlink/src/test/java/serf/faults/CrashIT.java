package serf.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import serf.testkit.Poll;

/**
 * Crash at any moment: our agent (node 2, with -snapshot, -keyring-file and -tags-file) is killed
 * with kill -9 at random points while user events and queries flow, its tags change, the keyring
 * rotates ({@code serf keys -install/-use/-remove}) and another member leaves and joins. Each time
 * it restarts without -join and must rejoin from its snapshot, with its snapshot, keyring and tags
 * files usable as they are; it must never run the handler again for an event whose handler had
 * finished before the crash (at most the one in flight), and in the end every event reached every
 * node. {@code -Dfaults.crash.victim=go} runs the same against Go's agent, for comparison.
 */
class CrashIT {
    private static final Pattern ROUND = Pattern.compile("round=(\\d+)");

    @BeforeAll
    static void bed() {
        Bed.assumeAvailable();
    }

    /** What one crash did. */
    record Crash(int number, long atMillis, int handledBefore, int reRun, double rejoinSeconds, String tags, boolean tagsOk) {
    }

    @Test
    void killNineAtRandomPointsLosesNothingAndReRunsNothingHandled() throws Exception {
        int crashes = Knobs.integer("crash.count", 4);
        boolean goVictim = Knobs.string("crash.victim", "image").equals("go");
        long seed = Long.getLong("faults.seed", System.nanoTime());
        Random random = new Random(seed);
        Path dir = FaultCluster.workDir("crash");
        String k0 = Base64.getEncoder().encodeToString(new byte[16]);
        for (int i = 1; i <= 4; i++) {
            Files.writeString(dir.resolve("keyring-" + i + ".json"), "[\"" + k0 + "\"]\n");
        }
        try (FaultCluster c = FaultCluster.start("crash-cluster", 4, i -> i != 2 ? i % 2 == 1 : goVictim, i -> {
            List<String> args = new ArrayList<>(List.of("-keyring-file=" + dir.resolve("keyring-" + i + ".json")));
            if (i == 2) {
                args.addAll(List.of("-snapshot=" + dir.resolve("victim.snapshot"), "-tags-file=" + dir.resolve("victim-tags.json")));
            }
            return args;
        })) {
            FaultAgent source = c.agent(1);
            FaultAgent victim = c.agent(2);
            FaultAgent churner = c.agent(3);
            Ledger ledger = new Ledger();
            Load load = new Load(c, ledger, random.nextLong());
            List<Crash> results = new ArrayList<>();
            Map<String, Integer> countsBefore = Map.of();
            load.start();
            long t0 = System.nanoTime();
            try {
                for (int k = 1; k <= crashes; k++) {
                    Thread.sleep(1000 + random.nextInt(4000));
                    load.victimUp = false; // no new tag change or key step starts on it
                    int tagAcked = load.tagAcked.get();
                    int tagTrying = load.tagTrying.get();
                    victim.kill();
                    long at = (System.nanoTime() - t0) / 1_000_000;
                    Thread.sleep(500); // a handler in flight finishes (it outlives the agent)
                    Map<String, Integer> handled = victim.userEvents();
                    int reRun = reRuns(countsBefore, handled);
                    countsBefore = handled;

                    victim.start(List.of());
                    long r0 = System.nanoTime();
                    double rejoin;
                    try {
                        Poll.until("victim rejoined from its snapshot", Duration.ofSeconds(60),
                                () -> victim.sees(List.of(source.name()), "alive") && source.sees(List.of(victim.name()), "alive"));
                        rejoin = (System.nanoTime() - r0) / 1e9;
                    } catch (AssertionError e) {
                        rejoin = -1;
                    }
                    String tags = ownTags(victim);
                    Matcher m = ROUND.matcher(tags);
                    int round = m.find() ? Integer.parseInt(m.group(1)) : 0;
                    boolean tagsOk = round == tagAcked || round == tagTrying;
                    load.tagAcked.set(round); // what the restarted agent holds is what later changes build on
                    load.victimUp = true;
                    results.add(new Crash(k, at, handled.size(), reRun, rejoin, "round=" + round + " (acked " + tagAcked
                            + ", in flight " + tagTrying + ")", tagsOk));
                }
                Thread.sleep(3000);
            } finally {
                load.stop();
            }
            // The churning node misses what is sent while it is away (it joins without replay): it is checked for duplicates only.
            List<FaultAgent> steady = List.of(source, victim, c.agent(4));
            Ledger.awaitDelivered(steady, ledger.sent(), Duration.ofSeconds(20));
            Map<String, Integer> finalCounts = victim.userEvents();
            // Re-runs after the last crash (events it had handled before it, run again since).
            int lastReRun = reRuns(countsBefore, finalCounts);
            Map<String, Ledger.Delivery> deliveries = Ledger.deliveries(steady, ledger.sent());
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                Crash r = results.get(i);
                int reRunAfter = i + 1 < results.size() ? results.get(i + 1).reRun() : lastReRun;
                rows.add(List.of(String.valueOf(r.number()), String.format("%.1f", r.atMillis() / 1000.0),
                        String.valueOf(r.handledBefore()), String.valueOf(reRunAfter),
                        r.rejoinSeconds() < 0 ? "NO" : String.format("%.1f", r.rejoinSeconds()), r.tags()));
            }
            int totalReRuns = results.stream().skip(1).mapToInt(Crash::reRun).sum() + lastReRun;
            long rejoined = results.stream().filter(r -> r.rejoinSeconds() >= 0).count();
            Report.table("Crash (" + victim.kind() + " victim, seed " + seed + "): " + crashes + " kill -9, "
                    + ledger.sent().size() + " events, " + load.queries.get() + " queries, " + load.tagChanges.get()
                    + " tag changes, " + load.rotations.get() + " key rotation steps, " + load.joins.get()
                    + " leave+join of " + churner.name() + "; handled events run again: " + totalReRuns + "; rejoined "
                    + rejoined + "/" + crashes + "; lost at the victim: " + deliveries.get(victim.name()).missing().size()
                    + ", duplicated: " + deliveries.get(victim.name()).duplicated().size(),
                    List.of("crash", "at s", "events handled before", "of those run again", "rejoin s", "tags after restart"), rows);
            assertThat(results).allSatisfy(r -> assertThat(r.rejoinSeconds()).as("crash " + r.number() + " rejoin").isNotNegative());
            assertThat(results).allSatisfy(r -> assertThat(r.tagsOk()).as("crash " + r.number() + " tags " + r.tags()).isTrue());
            assertThat(totalReRuns).as("handled events run again (at most the one in flight per crash)").isLessThanOrEqualTo(crashes);
            // A restarted node ignores events at or below the clock of the last event it handled, so an event
            // sent concurrently with a handled one (same Lamport time) that had not arrived by the crash is
            // never run (docs/faults.md). At most one such event per crash is tolerated, and counted in the table.
            int lostAllowedPerCrash = Knobs.integer("crash.lost-allowed-per-crash", 1);
            assertThat(deliveries.get(victim.name()).missing().size()).as("events lost at the victim")
                    .isLessThanOrEqualTo(lostAllowedPerCrash * crashes);
            for (FaultAgent a : steady) {
                if (a != victim) {
                    assertThat(deliveries.get(a.name()).missing()).as(a.name() + " lost").isEmpty();
                }
            }
            for (FaultAgent a : c.agents()) {
                if (a != victim) {
                    assertThat(Ledger.delivery(a, ledger.sent()).duplicated()).as(a.name() + " duplicated").isEmpty();
                }
            }
            assertThat(load.errors).as("load errors").isEmpty();
        }
    }

    /** Events handled before (count) that ran again since. */
    private static int reRuns(Map<String, Integer> before, Map<String, Integer> now) {
        int n = 0;
        for (Map.Entry<String, Integer> e : before.entrySet()) {
            if (now.getOrDefault(e.getKey(), 0) > e.getValue()) {
                n++;
            }
        }
        return n;
    }

    private static String ownTags(FaultAgent a) {
        Sh.Result r = a.rpc("members", "-name=" + a.name());
        return r.ok() ? r.out() : "";
    }

    /** The work under way while the victim crashes: each a virtual thread looping until stopped. */
    static final class Load {
        private final FaultCluster c;
        private final Ledger ledger;
        private final Random random;
        final AtomicInteger tagAcked = new AtomicInteger();
        final AtomicInteger tagTrying = new AtomicInteger();
        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger tagChanges = new AtomicInteger();
        final AtomicInteger rotations = new AtomicInteger();
        final AtomicInteger joins = new AtomicInteger();
        final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean victimUp = true;
        private volatile boolean stopped;
        private final List<Thread> threads = new ArrayList<>();
        /** Key rotation and the churner's leave/join exclude each other (a member away misses a rotation). */
        private final ReentrantLock keysOrMembership = new ReentrantLock();
        private final AtomicLong eventSeq = new AtomicLong();

        Load(FaultCluster c, Ledger ledger, long seed) {
            this.c = c;
            this.ledger = ledger;
            this.random = new Random(seed);
        }

        void start() {
            loop("events", 250, () -> {
                String name = "c" + eventSeq.incrementAndGet();
                FaultAgent from = eventSeq.get() % 2 == 0 ? c.agent(1) : c.agent(4);
                if (from.event(name)) {
                    ledger.sent(name);
                }
            });
            loop("queries", 2000, () -> {
                c.agent(1).rpc("query", "-timeout=1s", "crash-q");
                queries.incrementAndGet();
            });
            loop("tags", 700, () -> {
                if (!victimUp) {
                    return;
                }
                int next = tagAcked.get() + 1;
                tagTrying.set(next);
                if (c.agent(2).rpc("tags", "-set", "round=" + next).ok() && victimUp) {
                    tagAcked.set(next);
                    tagChanges.incrementAndGet();
                }
            });
            loop("keys", 500, this::rotateOnce);
            loop("churn", 6000, () -> {
                keysOrMembership.lock();
                try {
                    FaultAgent a = c.agent(3);
                    a.rpc("leave");
                    a.awaitExit(Duration.ofSeconds(20)); // it ends by itself after a graceful leave
                    a.kill();
                    a.start(List.of(c.agent(1).joinAddress()));
                    // Until the others count it again, a key step could succeed with its answer standing in
                    // for the victim's (Go counts answers, not who answered): the lock is held until then.
                    Poll.until("churner back", Duration.ofSeconds(60), () -> c.agent(1).sees(List.of(a.name()), "alive")
                            && c.agent(4).sees(List.of(a.name()), "alive") && a.sees(List.of("g1", c.agent(4).name()), "alive"));
                    joins.incrementAndGet();
                } catch (Exception | AssertionError e) {
                    errors.add("churn: " + e);
                } finally {
                    keysOrMembership.unlock();
                }
            });
        }

        private int keyNumber = 0;

        /** One rotation: install a new key, make it primary, remove the old one; each step retried until every member took it. */
        private void rotateOnce() {
            String old = key(keyNumber);
            String next = key(keyNumber + 1);
            for (String[] step : List.of(new String[] {"-install", next}, new String[] {"-use", next}, new String[] {"-remove", old})) {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (!stopped) {
                    if (victimUp) {
                        keysOrMembership.lock();
                        try {
                            if (c.agent(1).rpc("keys", step[0], step[1]).ok()) {
                                rotations.incrementAndGet();
                                break;
                            }
                        } finally {
                            keysOrMembership.unlock();
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        errors.add("key step " + step[0] + " never succeeded on every member");
                        return;
                    }
                    sleep(300);
                }
            }
            keyNumber++;
        }

        private static String key(int n) {
            byte[] k = new byte[16];
            k[0] = (byte) n;
            k[1] = (byte) (n >> 8);
            return Base64.getEncoder().encodeToString(k);
        }

        private void loop(String name, long periodMillis, Runnable body) {
            threads.add(Thread.ofVirtual().name("crash-load-" + name).start(() -> {
                while (!stopped) {
                    try {
                        body.run();
                    } catch (RuntimeException e) {
                        errors.add(name + ": " + e);
                    }
                    sleep(periodMillis / 2 + random.nextLong(periodMillis));
                }
            }));
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(150));
            }
        }
    }
}
