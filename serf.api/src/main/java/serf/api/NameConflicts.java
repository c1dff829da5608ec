package serf.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import serf.api.internal.msg.SerfCodec;
import serf.api.internal.msg.SerfMessage;
import serf.memberlist.Clock;
import serf.memberlist.ConflictDelegate;
import serf.memberlist.Node;
import serf.memberlist.Scheduler;
import serf.wire.DecodeException;

/**
 * memberlist's conflict delegate and Serf's name-conflict resolution (Go's conflict_delegate.go
 * and resolveNodeConflict): when another node claims our name, ask the cluster who it knows under
 * it, and leave if a majority answers with the other node. Anyone can trigger this with a forged
 * alive message, so resolutions and the log are rate-limited. The resolution waits for its query's
 * answers as a continuation when the query closes, not by blocking.
 */
final class NameConflicts implements ConflictDelegate {
    /** At most one name-conflict resolution starts per this interval. */
    static final Duration RESOLUTION_INTERVAL = Duration.ofSeconds(10);

    /** What sends the resolution query. */
    interface QuerySender {
        QueryResponse send(String name, byte[] payload) throws SerfException;
    }

    private final Config config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final System.Logger log;
    private final QuerySender queries;
    private final Supplier<InetSocketAddress> localAddress;
    private final Runnable quit;
    private final ConflictResolver resolver;
    private final AtomicLong lastLogNanos;

    NameConflicts(Config config, Clock clock, Scheduler scheduler, DropCounter drops, System.Logger log,
                  QuerySender queries, Supplier<InetSocketAddress> localAddress, Runnable quit) {
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.log = log;
        this.queries = queries;
        this.localAddress = localAddress;
        this.quit = quit;
        this.resolver = new ConflictResolver(scheduler, clock, RESOLUTION_INTERVAL, this::resolve, drops);
        this.lastLogNanos = new AtomicLong(clock.nanoTime() - RESOLUTION_INTERVAL.toNanos());
    }

    @Override
    public void notifyConflict(Node existing, Node other) {
        long now = clock.nanoTime();
        long last = lastLogNanos.get();
        boolean logIt = now - last >= RESOLUTION_INTERVAL.toNanos() && lastLogNanos.compareAndSet(last, now);
        boolean ours = existing.name().equals(config.nodeName());
        if (!logIt) {
            if (ours && config.enableNameConflictResolution()) {
                resolver.request();
            }
            return;
        }
        if (!ours) {
            log.log(System.Logger.Level.WARNING, "serf: Name conflict for '" + existing.name() + "' both "
                    + Reconnector.hostPort(existing.addr(), existing.port()) + " and "
                    + Reconnector.hostPort(other.addr(), other.port()) + " are claiming");
            return;
        }
        log.log(System.Logger.Level.ERROR, "serf: Node name conflicts with another node at "
                + Reconnector.hostPort(other.addr(), other.port())
                + ". Names must be unique! (Resolution enabled: " + config.enableNameConflictResolution() + ")");
        if (config.enableNameConflictResolution()) {
            resolver.request();
        }
    }

    boolean resolving() {
        return resolver.inFlight();
    }

    void shutdown() {
        resolver.shutdown();
    }

    private void resolve(Runnable finished) {
        QueryResponse resp;
        try {
            resp = queries.send(InternalQueries.CONFLICT, config.nodeName().getBytes(StandardCharsets.UTF_8));
        } catch (SerfException e) {
            log.log(System.Logger.Level.ERROR, "serf: Failed to start name resolution query: " + e.getMessage());
            finished.run();
            return;
        }
        resp.onClose(() -> scheduler.execute(() -> {
            try {
                decide(resp);
            } finally {
                finished.run();
            }
        }));
    }

    /** The query has closed: count who knows our name at our address. */
    private void decide(QueryResponse resp) {
        List<NodeResponse> answers;
        try {
            answers = resp.awaitResponses(); // closed: returns at once
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        int responses = 0;
        int matching = 0;
        InetSocketAddress local = localAddress.get();
        for (NodeResponse r : answers) {
            byte[] p = r.payload();
            if (p == null || p.length == 0 || p[0] != 6) {
                log.log(System.Logger.Level.ERROR, "serf: Invalid conflict query response type");
                continue;
            }
            SerfMessage decoded;
            try {
                decoded = SerfCodec.decode(p, 0, p.length);
            } catch (DecodeException e) {
                log.log(System.Logger.Level.ERROR, "serf: Failed to decode conflict query response: " + e.getMessage());
                continue;
            }
            responses++;
            if (decoded instanceof SerfMessage.ConflictResponse cr && cr.member() != null) {
                try {
                    InetAddress a = InetAddress.getByAddress(cr.member().addr());
                    if (a.equals(local.getAddress()) && cr.member().port() == local.getPort()) {
                        matching++;
                    }
                } catch (UnknownHostException | NullPointerException e) {
                    // a bad address does not match
                }
            }
        }
        int majority = responses / 2 + 1;
        if (matching >= majority) {
            log.log(System.Logger.Level.INFO, "serf: majority in name conflict resolution [" + matching + " / " + responses + "]");
            return;
        }
        log.log(System.Logger.Level.WARNING, "serf: minority in name conflict resolution, quitting [" + matching + " / " + responses + "]");
        quit.run();
    }
}
