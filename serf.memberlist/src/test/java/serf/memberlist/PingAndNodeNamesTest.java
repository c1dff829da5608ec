package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The embedder's additions to Memberlist: a direct ping with its round-trip time (Go's Ping),
 * RequireNodeNames on joins and pings, and closing with try-with-resources.
 */
class PingAndNodeNamesTest {

    @Test
    void aPingToALiveNodeReturnsItsRoundTripAndToNobodyFailsAfterTheProbeTimeout() throws Exception {
        try (Cluster c = new Cluster(11)) {
            Memberlist a = c.add("a");
            Memberlist b = c.add("b");
            Duration rtt = a.ping("b", b.advertiseAddress());
            assertThat(rtt).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofMillis(80));

            InetSocketAddress nobody = new InetSocketAddress(b.advertiseAddress().getAddress(), b.advertiseAddress().getPort() + 1000);
            long start = System.nanoTime();
            assertThatThrownBy(() -> a.ping("ghost", nobody))
                    .isInstanceOf(NoPingResponseException.class)
                    .hasMessage("No response from node ghost")
                    .satisfies(e -> assertThat(((NoPingResponseException) e).node()).isEqualTo("ghost"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waits the probe timeout (80 ms)")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(70));
        }
    }

    @Test
    void aPingAddressedToAnotherNameIsNotAnswered() throws Exception {
        try (Cluster c = new Cluster(12)) {
            Memberlist a = c.add("a");
            Memberlist b = c.add("b");
            assertThatThrownBy(() -> a.ping("not-b", b.advertiseAddress())).isInstanceOf(NoPingResponseException.class);
        }
    }

    @Test
    void requireNodeNamesRefusesJoinsAndPingsWithoutANameAndAcceptsNamedOnes() throws Exception {
        try (Cluster c = new Cluster(13)) {
            Memberlist a = c.add("a", m -> m.requireNodeNames(true));
            Memberlist b = c.add("b");
            String addr = c.addressOf(b);
            assertThatThrownBy(() -> a.join(List.of(addr)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("node names are required by configuration but one was not provided");
            assertThat(a.members()).hasSize(1);
            assertThatThrownBy(() -> a.ping("", b.advertiseAddress()))
                    .hasMessageContaining("node names are required");

            assertThat(a.join(List.of("b/" + addr))).isEqualTo(1);
            assertThat(a.members()).extracting(Node::name).containsExactlyInAnyOrder("a", "b");
            assertThat(a.ping("b", b.advertiseAddress())).isGreaterThanOrEqualTo(Duration.ZERO);
        }
    }

    @Test
    void closeShutsTheNodeDown() throws Exception {
        Memberlist kept;
        try (Memberlist m = Memberlist.create(Cluster.fastConfig("solo").bindAddr("127.0.0.1").bindPort(0))) {
            kept = m;
            assertThat(m.isShutdown()).isFalse();
        }
        assertThat(kept.isShutdown()).isTrue();
    }
}
