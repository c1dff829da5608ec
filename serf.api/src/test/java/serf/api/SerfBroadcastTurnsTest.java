package serf.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import serf.testkit.RecordingLogger;

/**
 * What Serf puts in its share of a packet: Go's order (intents, then queries, then events) unless
 * intents and user events or queries are queued together; then every other packet puts the queries
 * and events first, so that a user event does not wait behind a storm's join intents. And what it
 * tells memberlist: only user events and queries are urgent enough to take turns with memberlist's
 * own backlog.
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
    void aUserEventBehindABacklogOfIntentsLeadsTheSecondPacketAtTheLatest() {
        intents(200);
        broadcasts.event(message('e', 300));
        String first = kinds(broadcasts.getBroadcasts(OVERHEAD, LIMIT));
        String second = kinds(broadcasts.getBroadcasts(OVERHEAD, LIMIT));
        assertThat(first).as("Go's order first: the intents fill it").matches("i+");
        assertThat(second).as("then the event goes first, intents fill the rest").matches("ei+");
        assertThat(kinds(broadcasts.getBroadcasts(OVERHEAD, LIMIT))).as("and Go's order again").matches("i+e?");
    }

    @Test
    void queriesGoBeforeEventsWhenTheyLeadAsInGosOrder() {
        intents(200);
        broadcasts.event(message('e', 100));
        broadcasts.query(message('q', 100));
        broadcasts.getBroadcasts(OVERHEAD, LIMIT);
        assertThat(kinds(broadcasts.getBroadcasts(OVERHEAD, LIMIT))).matches("qei+");
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
