package serf.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import serf.testkit.RecordingLogger;

/**
 * What Serf gives memberlist for a packet: its queries and user events as urgent broadcasts, which
 * lead the packet (queries before events, Go's order between them), and its join and leave intents
 * as the others, which follow memberlist's own in Go's order; so a user event waits neither behind a
 * storm's join intents nor behind memberlist's alive messages.
 */
class SerfBroadcastTurnsTest {
    private static final int OVERHEAD = 3;
    private static final int LIMIT = 1395;

    private final RecordingLogger log = new RecordingLogger();
    private final Config config = Config.defaults().nodeName("local");
    private final SerfBroadcasts broadcasts = new SerfBroadcasts(config, () -> 500, log);

    /** A message of {@code size} bytes whose first byte says which queue it came from. */
    private static byte[] message(char kind, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) kind;
        return b;
    }

    private void intents(int n) {
        for (int i = 0; i < n; i++) {
            broadcasts.intent(message('i', 40), null);
        }
    }

    private static String kinds(List<byte[]> packet) {
        StringBuilder s = new StringBuilder();
        for (byte[] b : packet) {
            s.append((char) b[0]);
        }
        return s.toString();
    }

    @Test
    void intentsAloneFillPacketsAsGosDo() {
        intents(200);
        for (int p = 0; p < 4; p++) {
            assertThat(kinds(broadcasts.getBroadcasts(OVERHEAD, LIMIT))).matches("i{20,}");
        }
    }

    @Test
    void aUserEventBehindABacklogOfIntentsIsUrgentAndTheIntentsAreNot() {
        intents(200);
        broadcasts.event(message('e', 300));
        assertThat(kinds(broadcasts.getUrgentBroadcasts(OVERHEAD, LIMIT))).isEqualTo("e");
        assertThat(kinds(broadcasts.getBroadcasts(OVERHEAD, LIMIT))).as("the intents fill the rest, Go's order").matches("i{20,}");
    }

    @Test
    void queriesGoBeforeEventsAsInGosOrderAndNothingUrgentLeavesTwiceInAPacket() {
        intents(200);
        broadcasts.event(message('e', 100));
        broadcasts.query(message('q', 100));
        assertThat(kinds(broadcasts.getUrgentBroadcasts(OVERHEAD, LIMIT))).isEqualTo("qe");
        assertThat(kinds(broadcasts.getBroadcasts(OVERHEAD, LIMIT))).matches("i+");
    }

    @Test
    void urgentBroadcastsStayWithinTheirLimit() {
        broadcasts.query(message('q', 100));
        broadcasts.event(message('e', 100));
        assertThat(kinds(broadcasts.getUrgentBroadcasts(OVERHEAD, 110))).isEqualTo("q");
        assertThat(kinds(broadcasts.getUrgentBroadcasts(OVERHEAD, 50))).isEmpty();
    }

    @Test
    void onlyUserEventsAndQueriesAreUrgentForMemberlist() {
        // Only the broadcast queues are asked: the tracker, events and queries are not needed here.
        SerfDelegate delegate = new SerfDelegate(5, Map::of, null, null, null, broadcasts, log);
        assertThat(delegate.hasBroadcasts()).isFalse();
        intents(5);
        assertThat(delegate.hasBroadcasts()).isTrue();
        assertThat(delegate.hasUrgentBroadcasts()).as("intents keep Go's order").isFalse();
        broadcasts.event(message('e', 10));
        assertThat(delegate.hasUrgentBroadcasts()).isTrue();
    }
}
