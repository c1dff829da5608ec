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
 * first, the delegate's in what is left), except that the delegate's urgent broadcasts lead every
 * packet, so that they do not wait behind a backlog of alive messages: in every other packet they may
 * fill it, in the others they get a quarter of it and memberlist the rest.
 */
class PacketTurnsTest {
    private static final int LIMIT = 1398;
    private static final int OVERHEAD = PacketSender.COMPOUND_OVERHEAD;

    /** A delegate with two lists of messages, urgent and not, each message sent once. */
    private static final class ListDelegate implements Delegate {
        final Deque<byte[]> queued = new ArrayDeque<>();
        final Deque<byte[]> urgent = new ArrayDeque<>();

        @Override
        public byte[] nodeMeta(int limit) {
            return null;
        }

        @Override
        public void notifyMsg(byte[] message) {
        }

        @Override
        public List<byte[]> getBroadcasts(int overhead, int limit) {
            return take(queued, overhead, limit);
        }

        @Override
        public List<byte[]> getUrgentBroadcasts(int overhead, int limit) {
            return take(urgent, overhead, limit);
        }

        private static List<byte[]> take(Deque<byte[]> from, int overhead, int limit) {
            List<byte[]> out = new ArrayList<>();
            int used = 0;
            while (!from.isEmpty() && used + from.peek().length + overhead <= limit) {
                byte[] b = from.poll();
                used += b.length + overhead;
                out.add(b);
            }
            return out;
        }

        @Override
        public boolean hasBroadcasts() {
            return !queued.isEmpty() || !urgent.isEmpty();
        }

        @Override
        public boolean hasUrgentBroadcasts() {
            return !urgent.isEmpty();
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

    /** Delegate messages are marked by their first byte, 0x55 or 0x66 (memberlist's start with a type byte 0–13). */
    private static byte[] userMessage(int size) {
        return marked(0x55, size);
    }

    private static byte[] urgentMessage(int size) {
        return marked(0x66, size);
    }

    private static byte[] marked(int mark, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) mark;
        return b;
    }

    private static boolean fromDelegate(byte[] framed) {
        return framed[0] == 8 && framed.length > 1 && (framed[1] == 0x55 || framed[1] == 0x66);
    }

    private static boolean urgent(byte[] framed) {
        return framed[0] == 8 && framed.length > 1 && framed[1] == 0x66;
    }

    private static int bytes(List<byte[]> packet) {
        return packet.stream().mapToInt(b -> b.length + OVERHEAD).sum();
    }

    /** The packet's parts as a string: u urgent, d the delegate's others, m memberlist's. */
    private static String kinds(List<byte[]> packet) {
        StringBuilder s = new StringBuilder();
        for (byte[] b : packet) {
            s.append(urgent(b) ? 'u' : fromDelegate(b) ? 'd' : 'm');
        }
        return s.toString();
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
    void urgentBroadcastsLeadEveryPacketAQuarterOfItInEveryOtherOne() {
        for (int i = 0; i < 20; i++) {
            delegate.urgent.add(urgentMessage(200));
            delegate.queued.add(userMessage(200));
        }
        List<String> packets = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            List<byte[]> packet = sender.getBroadcasts(OVERHEAD, LIMIT);
            assertThat(bytes(packet)).isLessThanOrEqualTo(LIMIT);
            packets.add(kinds(packet));
        }
        // A quarter (349 bytes) holds one 200-byte message and memberlist fills the rest; the next
        // packet may be filled with them (six fit), memberlist's in what is left; the delegate's
        // others wait behind memberlist's backlog, as in Go.
        assertThat(packets).allMatch(k -> k.matches("u+m+"), "urgent first, then memberlist's");
        assertThat(packets.stream().map(k -> k.replace("m", "")).toList())
                .containsExactly("u", "uuuuuu", "u", "uuuuuu", "u", "uuuuu");
        assertThat(delegate.urgent).isEmpty();
        assertThat(delegate.queued).hasSize(20);
    }

    @Test
    void aSmallUrgentBroadcastGoesInTheNextPacketALargeOneInTheOneAfterAtTheLatest() {
        delegate.urgent.add(urgentMessage(100));
        assertThat(kinds(sender.getBroadcasts(OVERHEAD, LIMIT))).matches("um+");
        delegate.urgent.add(urgentMessage(600));
        List<byte[]> first = sender.getBroadcasts(OVERHEAD, LIMIT);
        List<byte[]> second = sender.getBroadcasts(OVERHEAD, LIMIT);
        assertThat(kinds(first) + "|" + kinds(second)).matches("um+\\|m+|m+\\|um+");
        assertThat(delegate.urgent).isEmpty();
    }

    @Test
    void withNothingOfMemberlistsQueuedTheDelegatesFillThePacketUrgentOnesFirst() {
        while (f.state.broadcasts().numQueued() > 0) {
            sender.getBroadcasts(OVERHEAD, LIMIT);
        }
        for (int i = 0; i < 3; i++) {
            delegate.queued.add(userMessage(200));
            delegate.urgent.add(urgentMessage(300));
        }
        assertThat(kinds(sender.getBroadcasts(OVERHEAD, LIMIT))).isEqualTo("uuudd");
    }
}
