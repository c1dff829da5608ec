package serf.memberlist;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;
import serf.memberlist.internal.msg.PacketCodec;
import serf.memberlist.internal.msg.StreamCodec;
import serf.memberlist.internal.msg.StreamRejectedException;
import serf.memberlist.internal.msg.WireOptions;
import serf.memberlist.transport.StreamConnection;
import serf.wire.InputBudget;

/**
 * Failure detection (Go's probe, probeNode): each round pings the next node of the rotation,
 * then, without an ack in time, asks up to IndirectChecks peers to ping it and tries a TCP ping;
 * with no answer at all the node is suspected. Timeouts grow with Lifeguard's awareness, which
 * the round's outcome moves.
 */
final class Prober {
    /** TCP fallback pings in flight at once; a probe starts at most one, so this is never reached in health. */
    static final int MAX_TCP_PINGS = 32;

    private final NodeContext ctx;
    private final Config config;
    private final Clock clock;
    private final System.Logger log;
    private final PacketSender sender;
    private final AckWaiters acks;
    private final Semaphore tcpPingPermits = new Semaphore(MAX_TCP_PINGS);

    Prober(NodeContext ctx, PacketSender sender, AckWaiters acks) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.clock = ctx.clock();
        this.log = ctx.log();
        this.sender = sender;
        this.acks = acks;
    }

    /** Probes every ProbeInterval until shutdown; missed ticks are dropped, as a Go ticker does. */
    void probeLoop() {
        if (ctx.shutdown().sleepInterrupted(ctx.stagger(config.probeInterval()))) {
            return;
        }
        long next = clock.nanoTime();
        while (!ctx.shutdown().isDown()) {
            probe();
            next += config.probeInterval().toNanos();
            long now = clock.nanoTime();
            if (next < now) {
                next = now; // like a Go ticker: missed ticks are dropped, not bunched
            }
            if (ctx.shutdown().sleepInterrupted(Duration.ofNanos(next - now))) {
                return;
            }
        }
    }

    /** Picks the next node in the rotation and probes it (Go's probe). */
    void probe() {
        NodeTable.ProbeTarget target = ctx.state().table().nextProbeTarget();
        if (target != null) {
            probeNode(target.node(), target.incarnation(), target.state());
        }
    }

    /** The probe timeouts of one round: the direct ack's, and the whole round's (awareness-scaled). */
    record Timeouts(long directNanos, long roundNanos) {
        static Timeouts of(Duration probeTimeout, Duration probeInterval, Awareness awareness) {
            long round = awareness.scaleTimeout(probeInterval).toNanos();
            return new Timeouts(Math.min(probeTimeout.toNanos(), round), round);
        }
    }

    private void probeNode(Node node, long nodeInc, NodeState nodeState) {
        Awareness awareness = ctx.state().awareness();
        long seq = acks.nextSeqNo();
        Timeouts timeouts = Timeouts.of(config.probeTimeout(), config.probeInterval(), awareness);
        long start = clock.nanoTime();
        long deadline = start + timeouts.roundNanos();
        AckWaiter waiter = acks.register(seq);
        int awarenessDelta = 0;
        try {
            Message.Ping ping = new Message.Ping(seq, node.name(), ctx.advertiseAddr().getAddress(), ctx.advertisePort(), ctx.name());
            byte[] pingBytes = MessageCodec.encode(ping);
            // As Go: the sent time is taken before the send (it over-reports a little; taken after the
            // send it under-reports, and the Vivaldi coordinates of Go peers and ours disagree).
            long sent = clock.nanoTime();
            if (nodeState == NodeState.ALIVE) {
                sender.sendMsg(node.address(), pingBytes, false);
            } else {
                byte[] suspect = MessageCodec.encode(new Message.Suspect(nodeInc, node.name(), ctx.name()));
                sender.rawSendPacket(node.address(), PacketCodec.compound(List.of(pingBytes, suspect)), node.pMax() >= 5);
            }
            if (waiter.awaitAck(start + timeouts.directNanos() - clock.nanoTime())) {
                PingDelegate pd = config.ping();
                if (pd != null) {
                    pd.notifyPingComplete(node, Duration.ofNanos(Math.max(0, waiter.ackNanos() - sent)), waiter.payload());
                }
                awarenessDelta = -1;
                return;
            }
            log.log(System.Logger.Level.DEBUG, () -> "memberlist: Failed ping: " + node.name() + " (timeout reached)");
            int expectedNacks = indirectProbes(node, seq);
            TcpPing tcp = startTcpPing(node, ping, deadline);
            if (waiter.awaitAck(deadline - clock.nanoTime())) {
                awarenessDelta = -1;
                return;
            }
            if (tcp != null && tcp.await(deadline - clock.nanoTime())) {
                log.log(System.Logger.Level.WARNING, "memberlist: Was able to connect to " + node.name()
                        + " but other probes failed, network may be misconfigured");
                awarenessDelta = -1;
                return;
            }
            awarenessDelta = awarenessDelta(false, expectedNacks, waiter.nacks());
            log.log(System.Logger.Level.INFO, "memberlist: Suspect " + node.name() + " has failed, no acks received");
            ctx.state().suspectNode(new Message.Suspect(nodeInc, node.name(), ctx.name()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            acks.remove(seq);
            awareness.applyDelta(awarenessDelta);
        }
    }

    /**
     * Go's health accounting of a probe round: better (−1) on any contact; otherwise worse by each
     * nack that did not come back from peers that promised one, or by 1 when none could (their
     * protocol is too old), since then this node cannot tell its own trouble from the target's.
     */
    static int awarenessDelta(boolean contact, int expectedNacks, int nacks) {
        if (contact) {
            return -1;
        }
        if (expectedNacks > 0) {
            return nacks < expectedNacks ? expectedNacks - nacks : 0;
        }
        return 1;
    }

    /** Asks up to IndirectChecks random alive peers to ping {@code node}; returns the nacks to expect. */
    private int indirectProbes(Node node, long seq) {
        List<Node> peers = ctx.state().table().randomNodes(config.indirectChecks(), n ->
                n.name.equals(ctx.name()) || n.name.equals(node.name()) || n.state != NodeState.ALIVE);
        int expectedNacks = 0;
        for (Node peer : peers) {
            boolean nack = peer.pMax() >= 4;
            if (nack) {
                expectedNacks++;
            }
            Message.IndirectPing ind = new Message.IndirectPing(seq, node.addr().getAddress(), node.port(), node.name(), nack,
                    ctx.advertiseAddr().getAddress(), ctx.advertisePort(), ctx.name());
            sender.sendMsg(peer.address(), MessageCodec.encode(ind), false);
        }
        return expectedNacks;
    }

    private TcpPing startTcpPing(Node node, Message.Ping ping, long deadline) {
        boolean tcpDisabled = config.disableTcpPings()
                || (config.disableTcpPingsForNode() != null && config.disableTcpPingsForNode().test(node.name()));
        if (tcpDisabled || node.pMax() < 3) {
            return null;
        }
        if (!tcpPingPermits.tryAcquire()) {
            ctx.stats().tcpPingsDropped.incrementAndGet();
            ctx.limited().log(System.Logger.Level.WARNING, "tcpping-dropped", "memberlist: too many TCP pings in flight, not pinging " + node.name() + " over TCP");
            return null;
        }
        TcpPing tcp = new TcpPing(ctx, node, tcpPingPermits,
                () -> sendPingAndWaitForAck(node.address(), ping, deadline));
        tcp.start();
        return tcp;
    }

    /** Go's sendPingAndWaitForAck: a ping over a stream, true when the matching ack came back. */
    private boolean sendPingAndWaitForAck(InetSocketAddress to, Message.Ping ping, long deadline)
            throws IOException, StreamRejectedException {
        long timeout = deadline - clock.nanoTime();
        if (timeout <= 0) {
            return false;
        }
        try (StreamConnection c = ctx.transport().dialStream(to, Duration.ofNanos(timeout))) {
            c.setDeadline(NodeContext.socketDeadline(Duration.ofNanos(timeout)));
            WireOptions opts = ctx.wire();
            StreamCodec.write(c.output(), MessageCodec.encode(ping), opts);
            Message reply;
            try (InputBudget.Reservation r = ctx.budget().reserve(Memberlist.STREAM_OVERHEAD)) {
                reply = StreamCodec.read(new java.io.BufferedInputStream(c.input(), 512), opts, Memberlist.MAX_PUSH_STATE_BYTES,
                        PushPull.streamCap(ctx, false), r);
            }
            if (reply instanceof Message.Ack ack) {
                if (ack.seqNo() != ping.seqNo()) {
                    throw new IOException("Sequence number from ack (" + ack.seqNo() + ") doesn't match ping (" + ping.seqNo() + ")");
                }
                return true;
            }
            throw new IOException("Unexpected msgType (" + (reply == null ? "none" : reply.type()) + ") from ping");
        }
    }
}
