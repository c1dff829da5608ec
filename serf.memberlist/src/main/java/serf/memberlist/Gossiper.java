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

    /** One gossip round. */
    void gossip() {
        long start = ctx.clock().nanoTime();
        List<Node> targets = ctx.state().table().gossipTargets();
        try {
            send(targets);
        } finally {
            double millis = (ctx.clock().nanoTime() - start) / 1e6;
            ctx.state().metrics().gossip.record(millis);
            serf.memberlist.internal.jfr.Flight.gossip(targets.size(), millis);
        }
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
