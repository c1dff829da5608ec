package serf.memberlist;

import java.time.Duration;

/**
 * What a node does by itself, as Go's schedule() sets it up: a probe ticker, a gossip ticker and
 * the push/pull trigger, each only if its interval is set (gossip also needs GossipNodes), each
 * starting after a random stagger so that nodes started together do not tick together.
 */
final class NodeRounds {
    private final NodeContext ctx;
    private final Ticker probe;
    private final Ticker gossip;
    private final PushPullTrigger pushPull;

    NodeRounds(NodeContext ctx, Prober prober, Gossiper gossiper, PushPull pushPull) {
        this.ctx = ctx;
        MemberlistConfig c = ctx.config();
        this.probe = positive(c.probeInterval())
                ? new Ticker(ctx.tasks(), ctx.clock(), "probe", c.probeInterval(), prober::probe) : null;
        this.gossip = positive(c.gossipInterval()) && c.gossipNodes() > 0
                ? Ticker.idling(ctx.tasks(), ctx.clock(), "gossip", c.gossipInterval(), idleStride(c.gossipInterval()), gossiper::gossip)
                : null;
        this.pushPull = positive(c.pushPullInterval()) ? new PushPullTrigger(ctx, pushPull) : null;
    }

    /**
     * Gossip rounds an idle node sleeps through at a time: about a second's worth. Nothing queued
     * means nothing to send, and whatever is queued later wakes the ticker (see {@link Ticker#idling}).
     */
    static int idleStride(Duration gossipInterval) {
        return (int) Math.max(1, Math.min(10, Duration.ofSeconds(1).toNanos() / gossipInterval.toNanos()));
    }

    /** Something was queued for gossip: a sleeping ticker runs a round now (see {@link Ticker#idling}). */
    void broadcastQueued() {
        if (gossip != null) {
            gossip.wake();
        }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    void start() {
        if (probe != null) {
            probe.start(ctx.stagger(ctx.config().probeInterval()));
        }
        if (gossip != null) {
            gossip.start(ctx.stagger(ctx.config().gossipInterval()));
        }
        if (pushPull != null) {
            pushPull.start();
        }
    }

    /** No more rounds (one in progress still ends, or is cancelled by its owner). */
    void stop() {
        if (probe != null) {
            probe.stop();
        }
        if (gossip != null) {
            gossip.stop();
        }
        if (pushPull != null) {
            pushPull.stop();
        }
    }
}
