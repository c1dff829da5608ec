package serf.memberlist;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;
import serf.memberlist.internal.msg.PacketCodec;

/**
 * One probe round (Go's probeNode) as steps on the node's scheduler, none of which waits:
 * <ol>
 * <li>{@link #start}: the ping goes out (with a suspect message for a node not alive);</li>
 * <li>at the direct timeout, without an ack: indirect pings through random peers and the TCP
 *     fallback ping (on the scheduler's blocking side);</li>
 * <li>at the round's deadline (the awareness-scaled probe interval), without an ack: the TCP
 *     ping's result, waited for a short grace if it is still running, then the verdict: the node is
 *     suspected, and this node's health is charged for the nacks that did not come. What the
 *     handoff queue still holds about the node is handled first: an alive message with a newer
 *     incarnation, received but not yet handled, makes the suspicion moot.</li>
 * </ol>
 * An ack ends the round as soon as it is handled, as in Go; any contact improves health by one.
 */
final class ProbeRound {
    /** How long past the deadline a TCP ping still running is waited for (Go: its channel read). */
    static final long TCP_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private enum Phase { DIRECT, INDIRECT, FALLBACK, DONE }

    private final NodeContext ctx;
    private final Prober prober;
    private final PacketSender sender;
    private final AckWaiters acks;
    private final Clock clock;
    private final Node node;
    private final long nodeInc;
    private final NodeState nodeState;
    private final Prober.Timeouts timeouts;
    private final Runnable done;
    private final long seq;
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock:
    private Phase phase = Phase.DIRECT;
    private AckWaiter waiter;
    private Message.Ping ping;
    private long sentNanos;
    private long deadlineNanos;
    private int expectedNacks;
    private TcpPing tcp;
    private Scheduler.Timer timer;
    private Integer outcome; // the awareness delta once decided; applied after the lock is released
    private boolean reported;
    private boolean directlyAcked; // the round trip is already counted
    private final long startedNanos; // for memberlist.probeNode

    ProbeRound(NodeContext ctx, Prober prober, PacketSender sender, AckWaiters acks, Node node, long nodeInc,
            NodeState nodeState, Prober.Timeouts timeouts, Runnable done) {
        this.ctx = ctx;
        this.prober = prober;
        this.sender = sender;
        this.acks = acks;
        this.clock = ctx.clock();
        this.node = node;
        this.nodeInc = nodeInc;
        this.nodeState = nodeState;
        this.timeouts = timeouts;
        this.done = done;
        this.seq = acks.nextSeqNo();
        this.startedNanos = clock.nanoTime();
    }

    /** Sends the ping and arms the direct timeout. */
    void start() {
        step(() -> {
            long start = clock.nanoTime();
            deadlineNanos = start + timeouts.roundNanos();
            waiter = acks.register(seq);
            ping = new Message.Ping(seq, node.name(), ctx.advertiseAddr().getAddress(), ctx.advertisePort(), ctx.name());
            byte[] pingBytes = MessageCodec.encode(ping);
            // As Go: the sent time is taken before the send (it over-reports a little; taken after the
            // send it under-reports, and the Vivaldi coordinates of Go peers and ours disagree).
            sentNanos = clock.nanoTime();
            if (nodeState == NodeState.ALIVE) {
                sender.sendMsg(node.address(), pingBytes, false);
            } else {
                byte[] suspect = MessageCodec.encode(new Message.Suspect(nodeInc, node.name(), ctx.name()));
                sender.rawSendPacket(node.address(), PacketCodec.compound(List.of(pingBytes, suspect)), node.pMax() >= 5);
            }
            timer = ctx.tasks().schedule(Duration.ofNanos(start + timeouts.directNanos() - clock.nanoTime()), "probe",
                    this::directTimeout);
        });
        // Outside the lock: the listener runs at once if the ack is already there; it only schedules.
        AckWaiter w = waiter;
        if (w != null) {
            w.onAck(() -> ctx.tasks().schedule(Duration.ZERO, "probe", this::acked));
        }
    }

    /** The ack has arrived (its step runs on the scheduler, after the receiver recorded it). */
    private void acked() {
        step(() -> {
            if (phase == Phase.DIRECT || phase == Phase.INDIRECT) {
                contact();
            }
            // In the fallback phase Go no longer listens for acks: the round's verdict stands.
        });
    }

    /** The ack came in time: the round ends well. Called under the lock. */
    private void contact() {
        if (node.address().equals(waiter.from())) { // not a relay's: a round trip to the node itself
            prober.recordRoundTrip(waiter.ackNanos() - sentNanos);
            directlyAcked = true;
        }
        if (phase == Phase.DIRECT) {
            phase = Phase.DONE;
            outcome = 0; // stays 0 if the delegate throws, as before
            PingDelegate pd = ctx.config().ping();
            if (pd != null) {
                pd.notifyPingComplete(node, Duration.ofNanos(Math.max(0, waiter.ackNanos() - sentNanos)), waiter.payload());
            }
            outcome = -1;
        } else {
            phase = Phase.DONE;
            outcome = -1;
        }
    }

    private void directTimeout() {
        step(() -> {
            if (phase != Phase.DIRECT) {
                return;
            }
            if (waiter.isAcked()) { // recorded, its step not run yet: the ack was in time
                contact();
                return;
            }
            ctx.log().log(System.Logger.Level.DEBUG, () -> "memberlist: Failed ping: " + node.name() + " (timeout reached)");
            phase = Phase.INDIRECT;
            expectedNacks = prober.indirectProbes(node, seq);
            tcp = prober.startTcpPing(node, ping, deadlineNanos);
            timer = ctx.tasks().schedule(Duration.ofNanos(deadlineNanos - clock.nanoTime()), "probe", this::deadline);
        });
    }

    private void deadline() {
        prober.handleQueued(node.name());
        step(() -> {
            if (phase != Phase.INDIRECT) {
                return;
            }
            if (waiter.isAcked()) {
                contact();
                return;
            }
            if (tcp != null && !tcp.isDone()) {
                phase = Phase.FALLBACK;
                timer = ctx.tasks().schedule(Duration.ofNanos(TCP_GRACE_NANOS), "probe", this::verdict);
                // The listener only schedules, so registering it under the lock is safe.
                tcp.onDone(() -> ctx.tasks().schedule(Duration.ZERO, "probe", this::verdict));
                return;
            }
            decide();
        });
    }

    private void verdict() {
        prober.handleQueued(node.name());
        step(() -> {
            if (phase == Phase.FALLBACK) {
                decide();
            }
        });
    }

    /** No ack in the round: a TCP answer still counts as contact; otherwise the node is suspected. Under the lock. */
    private void decide() {
        phase = Phase.DONE;
        if (tcp != null && tcp.contact()) {
            ctx.log().log(System.Logger.Level.WARNING, "memberlist: Was able to connect to " + node.name()
                    + " but other probes failed, network may be misconfigured");
            outcome = -1;
            return;
        }
        outcome = Prober.awarenessDelta(false, expectedNacks, waiter.nacks());
        ctx.log().log(System.Logger.Level.INFO, "memberlist: Suspect " + node.name() + " has failed, no acks received");
        ctx.state().suspectNode(new Message.Suspect(nodeInc, node.name(), ctx.name()));
    }

    /** Ends the round without an outcome (the node shuts down). */
    void cancel() {
        lock.lock();
        try {
            if (phase != Phase.DONE) {
                phase = Phase.DONE;
                if (timer != null) {
                    timer.cancel();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs one step under the round's lock. A step that throws ends the round (health unchanged
     * unless already decided); the exception goes on to the scheduler's accounting. Once the round
     * has ended, the health delta is applied and the ticker told, exactly once, outside the lock.
     */
    private void step(Runnable body) {
        boolean report = false;
        int delta = 0;
        lock.lock();
        try {
            body.run();
        } catch (RuntimeException e) {
            if (phase != Phase.DONE) {
                phase = Phase.DONE;
                outcome = 0;
            }
            throw e;
        } finally {
            if (phase == Phase.DONE && outcome != null && !reported) {
                reported = true;
                report = true;
                delta = outcome;
                if (timer != null) {
                    timer.cancel();
                }
            }
            lock.unlock();
            if (report) {
                acks.remove(seq);
                if (!directlyAcked && ping != null) {
                    prober.unanswered(seq, sentNanos, node.address());
                }
                ctx.state().awareness().applyDelta(delta);
                double millis = (clock.nanoTime() - startedNanos) / 1e6;
                ctx.state().metrics().probeNode.record(millis);
                serf.memberlist.internal.jfr.Flight.probe(node.name(), delta < 0, millis);
                done.run();
            }
        }
    }
}
