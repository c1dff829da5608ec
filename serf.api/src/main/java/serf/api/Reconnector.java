package serf.api;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import serf.memberlist.Scheduler;
import serf.snapshot.KnownNode;

/**
 * Tries to reach failed members again (Go's reconnect) and, after a restart from a snapshot, the
 * nodes recorded there (Go's handleRejoin). The choice is made on the timer; the join itself (a
 * TCP push/pull that may block) runs as work on the scheduler, at most one reconnect at a time.
 */
final class Reconnector {
    /** What joins memberlist to the given addresses ({@code name/host:port}). */
    interface Joiner {
        int join(List<String> addresses) throws IOException;
    }

    private final MemberTracker members;
    private final RandomGenerator random;
    private final Scheduler scheduler;
    private final Joiner joiner;
    private final String localName;
    private final BooleanSupplier shutDown;
    private final System.Logger log;
    private final AtomicBoolean reconnecting = new AtomicBoolean();

    Reconnector(MemberTracker members, RandomGenerator random, Scheduler scheduler, Joiner joiner, String localName,
                BooleanSupplier shutDown, System.Logger log) {
        this.members = members;
        this.random = random;
        this.scheduler = scheduler;
        this.joiner = joiner;
        this.localName = localName;
        this.shutDown = shutDown;
        this.log = log;
    }

    /**
     * Go's reconnect probability: failed / alive (alive counted as at least 1), so a cluster with
     * few failures among many live members rarely spends a round on them.
     */
    static double probability(int failed, int alive) {
        return (double) failed / Math.max(1, alive);
    }

    /** One reconnect round: maybe pick a failed member and try to join it. */
    void round() {
        if (reconnecting.get()) {
            return; // the previous attempt is still joining
        }
        Member target = members.reconnectTarget(random);
        if (target == null || !reconnecting.compareAndSet(false, true)) {
            return;
        }
        String addr = target.name() + "/" + hostPort(target.addr(), target.port());
        scheduler.execute(() -> {
            try {
                if (shutDown.getAsBoolean()) {
                    return;
                }
                log.log(System.Logger.Level.INFO, "serf: attempting reconnect to " + addr);
                joiner.join(List.of(addr));
            } catch (IOException e) {
                log.log(System.Logger.Level.DEBUG, "serf: reconnect to " + target.name() + " failed: " + e.getMessage());
            } finally {
                reconnecting.set(false);
            }
        });
    }

    /** Joins the first reachable node of a snapshot's (shuffled) alive nodes, as work on the scheduler. */
    void rejoin(List<KnownNode> previous) {
        scheduler.execute(() -> {
            for (KnownNode n : previous) {
                if (shutDown.getAsBoolean()) {
                    return;
                }
                if (n.name().equals(localName)) {
                    continue;
                }
                try {
                    joiner.join(List.of(n.joinAddress()));
                    log.log(System.Logger.Level.INFO, "serf: Re-joined to previously known node: " + n);
                    return;
                } catch (IOException e) {
                    log.log(System.Logger.Level.WARNING, "serf: Failed to join " + n + ": " + e.getMessage());
                }
            }
            log.log(System.Logger.Level.WARNING, "serf: Failed to re-join any previously known node");
        });
    }

    static String hostPort(InetAddress a, int port) {
        return serf.wire.HostPort.of(a, port);
    }
}
