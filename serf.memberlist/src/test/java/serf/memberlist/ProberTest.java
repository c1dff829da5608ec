package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.PacketCodec;
import serf.memberlist.internal.msg.WireOptions;
import serf.memberlist.transport.StreamConnection;
import serf.memberlist.transport.Transport;
import serf.wire.InputBudget;

/**
 * One probe round at a time against a transport that only records what is sent (and answers as
 * told): the buddy system, and the health score's moves (Go's ProbeNode_Awareness_* cases). Rounds
 * wait in real time, kept short (10 ms probe timeout, 50 ms interval).
 */
class ProberTest {
    private static final byte[] NEW = {1, 5, 2, 0, 0, 0};
    private static final byte[] NO_NACKS = {1, 3, 2, 0, 0, 0};

    /** A transport that records every packet and lets the test react to each message sent. */
    private static final class RecordingTransport implements Transport {
        final List<Message> sentToTarget = new CopyOnWriteArrayList<>();
        final List<Message> sent = new CopyOnWriteArrayList<>();
        BiConsumer<Message, InetSocketAddress> reaction = (m, to) -> { };

        @Override
        public void start(PacketHandler packets, StreamHandler streams) {
        }

        @Override
        public InetSocketAddress advertiseAddress() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 7946);
        }

        @Override
        public void sendPacket(byte[] payload, InetSocketAddress to) {
            for (Message m : PacketCodec.decode(PacketCodec.open(payload, WireOptions.plain())).messages()) {
                sent.add(m);
                if (to.getAddress().getAddress()[3] == 2) {
                    sentToTarget.add(m);
                }
                reaction.accept(m, to);
            }
        }

        @Override
        public StreamConnection dialStream(InetSocketAddress to, Duration timeout) throws IOException {
            throw new IOException("no streams here");
        }

        @Override
        public void close() {
        }
    }

    private final RecordingTransport transport = new RecordingTransport();
    private final List<Duration> rtts = new ArrayList<>();
    private final CoreFixture f = new CoreFixture(c -> c.clock(Clock.system()).random(new Random(7))
            .probeTimeout(Duration.ofMillis(10)).probeInterval(Duration.ofMillis(50)).disableTcpPings(true)
            .ping(new PingDelegate() {
                @Override
                public byte[] ackPayload() {
                    return null;
                }

                @Override
                public void notifyPingComplete(Node other, Duration rtt, byte[] payload) {
                    rtts.add(rtt);
                }
            }));
    private final AckWaiters acks = new AckWaiters();
    private final Prober prober;

    ProberTest() {
        NodeContext ctx = new NodeContext(f.config, Clock.system(), f.config.random(), f.config.logger(),
                new LogLimiter(f.config.logger()), null, transport, WireOptions.plain(), InputBudget.ofBytes(1 << 20),
                f.state, new ShutdownSignal(), InetAddress.getLoopbackAddress(), 7946);
        prober = new Prober(ctx, new PacketSender(ctx, null), acks);
        f.bootstrapSelf();
    }

    private void add(String name, int lastOctet, byte[] vsn) {
        f.state.aliveNode(new Message.Alive(1, name, new byte[] {127, 0, 0, (byte) lastOctet}, 7946, null, vsn), null, false);
    }

    @Test
    void aSuspectIsPingedTogetherWithTheSuspicionSoItCanRefuteAtOnce() {
        add("target", 2, NEW);
        f.state.suspectNode(new Message.Suspect(1, "target", "other"));
        f.clearBroadcasts();

        prober.probe();
        assertThat(transport.sentToTarget).hasSizeGreaterThanOrEqualTo(2);
        assertThat(transport.sentToTarget.get(0)).isInstanceOfSatisfying(Message.Ping.class,
                p -> assertThat(p.node()).isEqualTo("target"));
        assertThat(transport.sentToTarget.get(1)).isInstanceOfSatisfying(Message.Suspect.class, s -> {
            assertThat(s.node()).isEqualTo("target");
            assertThat(s.from()).isEqualTo(CoreFixture.SELF);
        });
    }

    @Test
    void anAckImprovesHealthAndReportsTheRoundTrip() {
        add("target", 2, NEW);
        f.state.awareness().applyDelta(1);
        transport.reaction = (m, to) -> {
            if (m instanceof Message.Ping p) {
                acks.ack(p.seqNo(), null, System.nanoTime());
            }
        };
        prober.probe();
        assertThat(f.state.awareness().healthScore()).isZero();
        assertThat(f.stateOf("target")).isEqualTo(NodeState.ALIVE);
        assertThat(rtts).hasSize(1);
    }

    @Test
    void whenEveryPromisedNackComesBackTheFaultIsTheTargetsAndHealthHolds() {
        add("target", 2, NEW);
        add("peer1", 3, NEW);
        add("peer2", 4, NEW);
        f.state.awareness().applyDelta(1);
        transport.reaction = (m, to) -> {
            if (m instanceof Message.IndirectPing ind && ind.nack()) {
                acks.nack(ind.seqNo());
            }
        };
        long start = System.nanoTime();
        prober.probe();
        // With a health score of 1 the round lasts twice the probe interval.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(f.state.awareness().healthScore()).isEqualTo(1);
        assertThat(f.stateOf("target")).isEqualTo(NodeState.SUSPECT);
        assertThat(transport.sent).filteredOn(m -> m instanceof Message.IndirectPing).hasSize(2);
    }

    @Test
    void eachMissingNackCostsHealth() {
        add("target", 2, NEW);
        add("peer1", 3, NEW);
        add("peer2", 4, NEW);
        boolean[] answered = {false};
        transport.reaction = (m, to) -> {
            if (m instanceof Message.IndirectPing ind && !answered[0]) {
                answered[0] = true;
                acks.nack(ind.seqNo());
            }
        };
        prober.probe();
        assertThat(f.state.awareness().healthScore()).isEqualTo(1);
        assertThat(f.stateOf("target")).isEqualTo(NodeState.SUSPECT);
    }

    @Test
    void withPeersTooOldToNackAFailedRoundCostsOne() {
        add("target", 2, NEW);
        add("peer1", 3, NO_NACKS);
        add("peer2", 4, NO_NACKS);
        prober.probe();
        assertThat(transport.sent).filteredOn(m -> m instanceof Message.IndirectPing ind && !ind.nack()).hasSize(2);
        assertThat(f.state.awareness().healthScore()).isEqualTo(1);
        assertThat(f.stateOf("target")).isEqualTo(NodeState.SUSPECT);
    }

    @Test
    void theHealthAccountingRule() {
        assertThat(Prober.awarenessDelta(true, 3, 0)).isEqualTo(-1);
        assertThat(Prober.awarenessDelta(false, 0, 0)).isEqualTo(1);
        assertThat(Prober.awarenessDelta(false, 3, 3)).isZero();
        assertThat(Prober.awarenessDelta(false, 3, 1)).isEqualTo(2);
    }
}
