package serf.memberlist;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;

/**
 * A {@link MembershipState} with no network and no threads: a manual clock, a seeded random source,
 * suspicion timeouts recorded instead of armed, and delegate calls recorded as text.
 */
final class CoreFixture {
    static final String SELF = "self";
    static final byte[] VSN = {1, 5, 2, 0, 0, 0};

    final ManualClock clock = new ManualClock();
    final Map<String, Long> armed = new HashMap<>();
    final List<String> events = new ArrayList<>();
    final MemberlistConfig config;
    final MembershipState state;

    CoreFixture() {
        this(UnaryOperator.identity());
    }

    CoreFixture(UnaryOperator<MemberlistConfig> tweak) {
        MemberlistConfig c = MemberlistConfig.lan().name(SELF).clock(clock).random(new Random(42))
                .events(new EventDelegate() {
                    @Override
                    public void notifyJoin(Node node) {
                        events.add("join " + node.name());
                    }

                    @Override
                    public void notifyLeave(Node node) {
                        events.add("leave " + node.name());
                    }

                    @Override
                    public void notifyUpdate(Node node) {
                        events.add("update " + node.name());
                    }
                })
                .conflict((existing, other) -> events.add("conflict " + existing.name() + " " + other.addr().getHostAddress()));
        this.config = tweak.apply(c);
        SuspicionScheduler timers = new SuspicionScheduler() {
            @Override
            public void arm(String node, long deadlineNanos) {
                armed.put(node, deadlineNanos);
            }

            @Override
            public void cancel(String node) {
                armed.remove(node);
            }
        };
        this.state = new MembershipState(config, new LogLimiter(config.logger(), clock), timers, () -> { });
    }

    static Message.Alive alive(String node, int lastOctet, long incarnation) {
        return alive(node, lastOctet, 7946, incarnation, new byte[0]);
    }

    static Message.Alive alive(String node, int lastOctet, int port, long incarnation, byte[] meta) {
        return new Message.Alive(incarnation, node, new byte[] {127, 0, 0, (byte) lastOctet}, port, meta, VSN.clone());
    }

    /** This node itself, as it announces itself at start. */
    void bootstrapSelf() {
        state.aliveNode(alive(SELF, 1, 1), null, true);
    }

    NodeRecord record(String name) {
        return state.table().get(name);
    }

    NodeState stateOf(String name) {
        Node n = state.table().node(name);
        return n == null ? null : n.state();
    }

    long changeOf(String name) {
        return record(name).stateChangeNanos;
    }

    /** Decodes every queued broadcast and empties the queue. */
    List<Message> drainBroadcasts() {
        List<Message> out = new ArrayList<>();
        for (byte[] b : state.broadcasts().getBroadcasts(0, 1 << 20)) {
            out.add(MessageCodec.decode(b, 0, b.length));
        }
        state.broadcasts().reset();
        return out;
    }

    int queued() {
        return state.broadcasts().numQueued();
    }

    void clearBroadcasts() {
        state.broadcasts().reset();
    }

    /** Fires the suspicion timeout of {@code node} the way the timer would: at its deadline. */
    void fireSuspicionAtDeadline(String node) {
        long deadline = armed.remove(node); // a firing entry is spent, as on the node timer
        clock.advance(Duration.ofNanos(deadline - clock.nanoTime()));
        state.suspicionTimerFired(node);
    }
}
