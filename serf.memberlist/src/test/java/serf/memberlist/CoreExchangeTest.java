package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import serf.memberlist.internal.msg.Message;

/**
 * Several cores that hand each other their queued broadcasts by hand, in virtual time: the rules
 * compose into SWIM's exchanges without a network or a thread.
 */
class CoreExchangeTest {

    /** A core named {@code name} that knows the others as alive; node "a" is at 127.0.0.1, "b" at .2, … */
    private static CoreFixture node(String name, String... others) {
        CoreFixture f = new CoreFixture(c -> c.name(name).suspicionMult(4).probeInterval(Duration.ofSeconds(1)));
        f.state.aliveNode(CoreFixture.alive(name, octet(name), 1), null, true);
        for (String other : others) {
            f.state.aliveNode(CoreFixture.alive(other, octet(other), 1), null, false);
        }
        f.clearBroadcasts();
        f.events.clear();
        return f;
    }

    private static int octet(String name) {
        return name.charAt(0) - 'a' + 1;
    }

    /** Delivers {@code from}'s queued broadcasts to {@code to}, as the handoff queue would. */
    private static void deliver(CoreFixture from, CoreFixture to) {
        for (Message m : from.drainBroadcasts()) {
            switch (m) {
                case Message.Alive a -> to.state.aliveNode(a, null, false);
                case Message.Suspect s -> to.state.suspectNode(s);
                case Message.Dead d -> to.state.deadNode(d);
                default -> throw new AssertionError("unexpected " + m);
            }
        }
    }

    @Test
    void aSuspectThatHearsTheSuspicionRefutesItAndTheAccuserBelievesTheRefutation() {
        CoreFixture a = node("a", "b");
        CoreFixture b = node("b", "a");

        a.state.suspectNode(new Message.Suspect(1, "b", "a"));
        assertThat(a.stateOf("b")).isEqualTo(NodeState.SUSPECT);
        deliver(a, b);
        assertThat(b.state.awareness().healthScore()).isEqualTo(1);
        deliver(b, a);

        assertThat(a.stateOf("b")).isEqualTo(NodeState.ALIVE);
        assertThat(a.record("b").incarnation).isEqualTo(b.record("b").incarnation).isGreaterThan(1);
        assertThat(a.armed).isEmpty();
        assertThat(a.events).isEmpty(); // suspect and back is no membership change
    }

    @Test
    void independentSuspicionsFromPeersHastenTheVerdictAndTheDeadMessageSpreads() {
        List<String> all = List.of("a", "b", "c", "d", "e");
        CoreFixture a = node("a", "b", "c", "d", "e");
        CoreFixture c = node("c", "a", "b", "d", "e");
        CoreFixture d = node("d", "a", "b", "c", "e");
        assertThat(a.state.table().estimatedNumNodes()).isEqualTo(all.size());

        long start = a.clock.nanoTime();
        a.state.suspectNode(new Message.Suspect(1, "e", "a"));
        long alone = a.armed.get("e") - start;
        c.state.suspectNode(new Message.Suspect(1, "e", "c"));
        d.state.suspectNode(new Message.Suspect(1, "e", "d"));
        deliver(c, a);
        deliver(d, a);
        // Two confirmations (k = SuspicionMult − 2) bring it down to the minimum, 4 s × log10(5) scale 1.
        assertThat(a.armed.get("e") - start).isLessThan(alone).isEqualTo(Duration.ofSeconds(4).toNanos());

        a.fireSuspicionAtDeadline("e");
        assertThat(a.stateOf("e")).isEqualTo(NodeState.DEAD);
        assertThat(a.events).containsExactly("leave e");
        deliver(a, c);
        assertThat(c.stateOf("e")).isEqualTo(NodeState.DEAD);
        assertThat(c.armed).doesNotContainKey("e");
    }
}
