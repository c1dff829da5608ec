package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import serf.memberlist.internal.msg.WireOptions;
import serf.wire.InputBudget;

/**
 * How a packet is shared between memberlist's broadcasts and the delegate's: Go's order (memberlist's
 * first, the delegate's in what is left) unless the delegate says it holds urgent broadcasts; then
 * every other packet leads with the delegate's, so that they do not wait behind a backlog of alive
 * messages, and memberlist still has every other packet to itself.
 */
class PacketTurnsTest {
    private static final int LIMIT = 1398;
    private static final int OVERHEAD = PacketSender.COMPOUND_OVERHEAD;

    /** A delegate with a list of messages, each sent once, urgent or not. */
    private static final class ListDelegate implements Delegate {
        final Deque<byte[]> queued = new ArrayDeque<>();
        boolean urgent;

        @Override
        public byte[] nodeMeta(int limit) {
            return null;
        }

        @Override
        public void notifyMsg(byte[] message) {
        }

        @Override
        public List<byte[]> getBroadcasts(int overhead, int limit) {
            List<byte[]> out = new ArrayList<>();
            int used = 0;
            while (!queued.isEmpty() && used + queued.peek().length + overhead <= limit) {
                byte[] b = queued.poll();
                used += b.length + overhead;
                out.add(b);
            }
            return out;
        }

        @Override
        public boolean hasBroadcasts() {
            return !queued.isEmpty();
        }

        @Override
        public boolean hasUrgentBroadcasts() {
            return urgent && !queued.isEmpty();
        }

        @Override
        public byte[] localState(boolean join) {
            return null;
        }

        @Override
        public void mergeRemoteState(byte[] state, boolean join) {
        }
    }

    private final ListDelegate delegate = new ListDelegate();
    private final CoreFixture f = new CoreFixture(c -> c.delegate(delegate));
    private final PacketSender sender;

    PacketTurnsTest() {
        ManualScheduler scheduler = new ManualScheduler();
        ShutdownSignal shutdown = new ShutdownSignal();
        LogLimiter limited = new LogLimiter(f.config.logger(), scheduler.clock());
        NodeScheduler tasks = new NodeScheduler(scheduler, shutdown, limited, () -> { });
        NodeContext ctx = new NodeContext(f.config, scheduler.clock(), f.config.random(), f.config.logger(),
                limited, null, new RecordingTransport(scheduler.clock()), WireOptions.plain(),
                InputBudget.ofBytes(1 << 20), f.state, shutdown, tasks, InetAddress.getLoopbackAddress(), 7946);
        sender = new PacketSender(ctx, null);
        f.bootstrapSelf();
        // A backlog of alive messages, as after many joins: far more than one packet holds.
        for (int i = 0; i < 200; i++) {
            f.state.aliveNode(CoreFixture.alive("member-with-a-longish-name-" + i, 2 + i % 250, 1), null, false);
        }
        assertThat(f.state.broadcasts().numQueued()).isGreaterThan(100);
    }

    /** Delegate messages are marked by their first byte, 0x55 (memberlist's start with a type byte 0–13). */
    private static byte[] userMessage(int size) {
        byte[] b = new byte[size];
        b[0] = 0x55;
        return b;
    }

    private static boolean fromDelegate(byte[] framed) {
        return framed[0] == 8 && framed.length > 1 && framed[1] == 0x55;
    }

    private static int bytes(List<byte[]> packet) {
        return packet.stream().mapToInt(b -> b.length + OVERHEAD).sum();
    }

    @Test
    void withoutUrgentBroadcastsMemberlistFillsEveryPacketFirstAsGosDoes() {
        for (int i = 0; i < 20; i++) {
            delegate.queued.add(userMessage(200));
        }
        for (int p = 0; p < 6; p++) {
            List<byte[]> packet = sender.getBroadcasts(OVERHEAD, LIMIT);
            assertThat(packet).as("packet %d", p).isNotEmpty();
            assertThat(packet.stream().noneMatch(PacketTurnsTest::fromDelegate))
                    .as("packet %d: memberlist's backlog leaves no room for the delegate", p).isTrue();
        }
        assertThat(delegate.queued).hasSize(20);
    }

    @Test
    void urgentBroadcastsLeadEveryOtherPacketAndMemberlistKeepsTheOthers() {
        delegate.urgent = true;
        for (int i = 0; i < 20; i++) {
            delegate.queued.add(userMessage(200));
        }
        int led = 0;
        for (int p = 0; p < 6; p++) {
            List<byte[]> packet = sender.getBroadcasts(OVERHEAD, LIMIT);
            assertThat(bytes(packet)).isLessThanOrEqualTo(LIMIT);
            if (fromDelegate(packet.get(0))) {
                led++;
                // the delegate's go first, memberlist's fill what they leave
                assertThat(packet.stream().filter(PacketTurnsTest::fromDelegate)).hasSize(6);
                assertThat(packet.stream().anyMatch(b -> !fromDelegate(b))).isTrue();
            } else {
                assertThat(packet.stream().noneMatch(PacketTurnsTest::fromDelegate))
                        .as("packet %d: memberlist's own", p).isTrue();
            }
        }
        assertThat(led).as("the delegate led every other packet").isEqualTo(3);
        assertThat(delegate.queued).hasSize(20 - 3 * 6);
    }

    @Test
    void anUrgentBroadcastGoesOutWithinTwoPackets() {
        delegate.urgent = true;
        delegate.queued.add(userMessage(600));
        List<byte[]> first = sender.getBroadcasts(OVERHEAD, LIMIT);
        List<byte[]> second = sender.getBroadcasts(OVERHEAD, LIMIT);
        assertThat(first.stream().filter(PacketTurnsTest::fromDelegate).count()
                + second.stream().filter(PacketTurnsTest::fromDelegate).count()).isEqualTo(1);
        assertThat(delegate.queued).isEmpty();
    }

    @Test
    void withNothingOfMemberlistsQueuedTheDelegateGetsTheWholePacket() {
        while (f.state.broadcasts().numQueued() > 0) {
            sender.getBroadcasts(OVERHEAD, LIMIT);
        }
        delegate.urgent = true;
        for (int i = 0; i < 3; i++) {
            delegate.queued.add(userMessage(400));
        }
        List<byte[]> packet = sender.getBroadcasts(OVERHEAD, LIMIT);
        assertThat(packet).hasSize(3).allMatch(PacketTurnsTest::fromDelegate);
    }
}
