package serf.memberlist;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;
import serf.memberlist.internal.msg.StreamCodec;
import serf.memberlist.internal.msg.StreamRejectedException;
import serf.memberlist.internal.msg.WireOptions;
import serf.memberlist.transport.StreamConnection;
import serf.wire.InputBudget;

/**
 * Failure detection (Go's probe, probeNode): each round pings the next node of the rotation,
 * then, without an ack in time, asks up to IndirectChecks peers to ping it and tries a TCP ping;
 * with no answer at all the node is suspected. Timeouts grow with Lifeguard's awareness, which
 * the round's outcome moves. A round is a {@link ProbeRound}: steps on the node's scheduler, so
 * nothing waits in a thread; the TCP ping runs on the scheduler's blocking side.
 */
final class Prober {
    /** TCP fallback pings in flight at once; a probe starts at most one, so this is never reached in health. */
    static final int MAX_TCP_PINGS = 32;

    private final NodeContext ctx;
    private final MemberlistConfig config;
    private final Clock clock;
    private final PacketSender sender;
    private final AckWaiters acks;
    private final Semaphore tcpPingPermits = new Semaphore(MAX_TCP_PINGS);
    private final RoundTripEstimate roundTrips = new RoundTripEstimate();
    private final LateAcks lateAcks = new LateAcks(roundTrips);
    private volatile ProbeRound current;
    private volatile java.util.function.Consumer<String> beforeVerdict = node -> { };

    Prober(NodeContext ctx, PacketSender sender, AckWaiters acks) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.clock = ctx.clock();
        this.sender = sender;
        this.acks = acks;
        acks.lateAcks(lateAcks);
    }

    /**
     * Starts a round with the next node in the rotation (Go's probe); {@code done} runs once when
     * it has ended, at once when there is nobody to probe.
     */
    void probe(Runnable done) {
        NodeTable.ProbeTarget target = ctx.state().table().nextProbeTarget();
        if (target == null) {
            done.run();
            return;
        }
        Timeouts timeouts = Timeouts.of(config.probeTimeout(), config.probeInterval(), ctx.state().awareness(),
                roundTrips.timeoutNanos(), config.awarenessMaxMultiplier());
        if (timeouts.roundNanos() > config.probeInterval().toNanos()) {
            ctx.state().metrics().degradedProbe.increment();
        }
        if (timeouts.stretched()) {
            ctx.stats().probeRoundsStretched.incrementAndGet();
        }
        ProbeRound round = new ProbeRound(ctx, this, sender, acks, target.node(), target.incarnation(), target.state(),
                timeouts, done);
        current = round;
        round.start();
    }

    /**
     * Sets what runs (outside any lock) before a round decides that its node failed: the node
     * hands it the messages about that node still waiting in its handoff queue, so that an alive
     * message received in time counts before the verdict.
     */
    void beforeVerdict(java.util.function.Consumer<String> handleQueued) {
        beforeVerdict = handleQueued;
    }

    /** Handles what waits in the handoff queue about {@code node} (see {@link #beforeVerdict}). */
    void handleQueued(String node) {
        beforeVerdict.accept(node);
    }

    /** Adds the round trip of a ping that the probed node answered itself. */
    void recordRoundTrip(long nanos) {
        roundTrips.record(nanos);
    }

    /** Remembers a ping whose round ended without the target's own ack, in case the ack comes later. */
    void unanswered(long seq, long sentNanos, InetSocketAddress target) {
        lateAcks.unanswered(seq, sentNanos, target);
    }

    /** {@return this node's smoothed round trip of direct pings, 0 before the first} */
    long smoothedRoundTripNanos() {
        return roundTrips.smoothedNanos();
    }

    /** Stops the round in progress, if any, without an outcome (shutdown). */
    void stop() {
        ProbeRound r = current;
        if (r != null) {
            r.cancel();
        }
    }

    /**
     * The probe timeouts of one round: how long the direct ack is waited for, and the whole round.
     * Go's: the probe timeout, and the probe interval scaled by Lifeguard's awareness. Ours also
     * allows for the round trips this node has measured ({@link RoundTripEstimate}): when they
     * exceed the probe timeout, both grow by their ratio, at most to the awareness's largest
     * factor, so the direct wait covers them and the round keeps Go's proportion to it. On a
     * network that answers well within the timeout they are Go's exactly.
     *
     * @param stretched whether the measured round trips made either longer than awareness alone
     */
    record Timeouts(long directNanos, long roundNanos, boolean stretched) {
        static Timeouts of(Duration probeTimeout, Duration probeInterval, Awareness awareness) {
            return of(probeTimeout, probeInterval, awareness, 0, 1);
        }

        static Timeouts of(Duration probeTimeout, Duration probeInterval, Awareness awareness,
                long roundTripTimeoutNanos, int maxMultiplier) {
            long timeout = probeTimeout.toNanos();
            long interval = probeInterval.toNanos();
            long round = awareness.scaleTimeout(probeInterval).toNanos();
            long direct = Math.min(timeout, round);
            if (timeout <= 0 || roundTripTimeoutNanos <= timeout) {
                return new Timeouts(direct, round, false);
            }
            double factor = Math.min((double) roundTripTimeoutNanos / timeout, Math.max(1, maxMultiplier));
            long stretchedRound = Math.max(round, (long) (interval * factor));
            long stretchedDirect = Math.min(Math.max(direct, (long) (timeout * factor)), stretchedRound);
            return new Timeouts(stretchedDirect, stretchedRound, stretchedDirect > direct || stretchedRound > round);
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
    int indirectProbes(Node node, long seq) {
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

    /** Starts the TCP fallback ping, unless disabled, too old a peer or too many in flight (then null). */
    TcpPing startTcpPing(Node node, Message.Ping ping, long deadline) {
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
            ctx.state().metrics().tcpSent.add(StreamCodec.write(c.output(), MessageCodec.encode(ping), opts));
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
