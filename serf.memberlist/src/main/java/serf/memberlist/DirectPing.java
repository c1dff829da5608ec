package serf.memberlist;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;

/**
 * A single UDP ping the application asks for (Go's Memberlist.Ping): no indirect probes, no TCP
 * fallback, no effect on the node's health or on anyone's state; the round-trip time, or an
 * exception when no ack arrives within the probe timeout.
 */
final class DirectPing {
    private final NodeContext ctx;
    private final PacketSender sender;
    private final AckWaiters acks;

    DirectPing(NodeContext ctx, PacketSender sender, AckWaiters acks) {
        this.ctx = ctx;
        this.sender = sender;
        this.acks = acks;
    }

    Duration ping(String node, InetSocketAddress to) throws IOException {
        if ((node == null || node.isEmpty()) && ctx.config().requireNodeNames()) {
            throw new IOException(Memberlist.NODE_NAMES_REQUIRED);
        }
        if (ctx.shutdown().isDown()) {
            throw new IOException("memberlist is shut down");
        }
        Clock clock = ctx.clock();
        long seq = acks.nextSeqNo();
        AckWaiter waiter = acks.register(seq);
        try {
            CountDownLatch acked = new CountDownLatch(1);
            waiter.onAck(acked::countDown);
            Message.Ping ping = new Message.Ping(seq, node == null ? "" : node, ctx.advertiseAddr().getAddress(),
                    ctx.advertisePort(), ctx.name());
            sender.sendMsg(to, MessageCodec.encode(ping), false);
            long sent = clock.nanoTime(); // after the send, as Go's Ping measures
            boolean got;
            try {
                got = ctx.tasks().await(acked, ctx.config().probeTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for a ping ack from " + node, e);
            }
            if (!got) {
                ctx.log().log(System.Logger.Level.DEBUG, () -> "memberlist: Failed UDP ping: " + node + " (timeout reached)");
                throw new NoPingResponseException(node);
            }
            return Duration.ofNanos(Math.max(0, waiter.ackNanos() - sent));
        } finally {
            acks.remove(seq);
        }
    }
}
