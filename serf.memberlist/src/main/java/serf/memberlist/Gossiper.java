package serf.memberlist;

import java.util.List;

/**
 * Gossip (Go's gossip): every GossipInterval, the queued broadcasts go to GossipNodes random
 * nodes that are alive, suspect, or dead for less than GossipToTheDeadTime. The node's
 * {@link Ticker} runs the rounds.
 */
final class Gossiper {
    private final NodeContext ctx;
    private final MemberlistConfig config;
    private final PacketSender sender;

    Gossiper(NodeContext ctx, PacketSender sender) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.sender = sender;
    }

    /**
     * One gossip round; false if nothing was queued (the round then only counts itself).
     *
     * @param slept rounds the ticker skipped because nothing was queued: each is recorded as a round
     *              of no duration, so that {@code memberlist.gossip} counts a round per interval, as Go's
     */
    boolean gossip(int slept) {
        NodeMetrics metrics = ctx.state().metrics();
        for (int i = 0; i < slept; i++) {
            metrics.gossip.record(0);
        }
        long start = ctx.clock().nanoTime();
        // Go picks the targets first and then finds nothing to send; an idle node skips the picking.
        boolean any = sender.hasBroadcasts();
        List<Node> targets = any ? ctx.state().table().gossipTargets() : List.of();
        try {
            send(targets);
        } finally {
            double millis = (ctx.clock().nanoTime() - start) / 1e6;
            metrics.gossip.record(millis);
            serf.memberlist.internal.jfr.Flight.gossip(targets.size(), millis);
        }
        return any;
    }

    /** One gossip round, as Go's (for tests). */
    void gossip() {
        gossip(0);
    }

    private void send(List<Node> targets) {
        int bytesAvail = config.udpBufferSize() - PacketSender.COMPOUND_HEADER_OVERHEAD - sender.encryptionOverhead();
        for (Node target : targets) {
            List<byte[]> msgs = sender.getBroadcasts(PacketSender.COMPOUND_OVERHEAD, bytesAvail);
            if (msgs.isEmpty()) {
                return;
            }
            boolean crc = target.pMax() >= 5;
            if (msgs.size() == 1) {
                sender.rawSendPacket(target.address(), msgs.get(0), crc);
            } else {
                sender.sendCompound(target.address(), msgs, crc);
            }
        }
    }
}
