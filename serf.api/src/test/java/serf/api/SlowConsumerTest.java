package serf.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import serf.testkit.Poll;

/**
 * The protocol never waits on the application: one node's event sink sleeps 30 s on its first
 * event, in a 5-node cluster with fast failure detection (a node held up for one second would be
 * suspected). User events keep flowing to everyone else, nobody is ever suspected or failed, and
 * the slow node's dropped events are counted; once its sink wakes up, it receives events again.
 */
class SlowConsumerTest {

    @Test
    void aSinkThatSleeps30SecondsDelaysOnlyItsOwnEventsAndNoNodeIsSuspected() throws Exception {
        List<Event> slowGot = new CopyOnWriteArrayList<>();
        AtomicBoolean slept = new AtomicBoolean();
        try (SerfCluster c = new SerfCluster(51)) {
            for (String n : List.of("a", "b", "c", "d")) {
                c.add(n);
            }
            Serf slow = c.add("slow", cfg -> cfg.eventSinkBuffer(16).eventSink(e -> {
                if (slept.compareAndSet(false, true)) {
                    try {
                        Thread.sleep(30_000);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                slowGot.add(e);
            }));
            c.joinAll();
            c.awaitAllAlive(5, Duration.ofSeconds(15));
            assertThat(slept).as("the slow sink got its first event (a join) and sleeps").isTrue();

            Serf sender = c.nodes.get(1);
            List<String> notAlive = new ArrayList<>();
            List<String> sent = new ArrayList<>();
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(35).toNanos();
            int i = 0;
            while (System.nanoTime() < end) {
                if (i % 5 == 0) {
                    String name = "ev-" + (i / 5);
                    sender.userEvent(name, name.getBytes(StandardCharsets.UTF_8), false);
                    sent.add(name);
                }
                i++;
                for (Serf viewer : c.nodes) {
                    for (Member m : viewer.members()) {
                        if (m.status() != MemberStatus.ALIVE) {
                            notAlive.add(String.format("%.1fs: %s sees %s %s", (System.nanoTime() - start) / 1e9,
                                    viewer.config().nodeName(), m.name(), m.status()));
                        }
                    }
                    if (viewer.members().size() != 5) {
                        notAlive.add(viewer.config().nodeName() + " sees " + viewer.members().size() + " members");
                    }
                }
                assertThat(notAlive).as("every member alive on every node, throughout").isEmpty();
                Thread.sleep(100);
            }
            for (Serf s : c.nodes) {
                assertThat(s.memberlist().healthScore()).as("health of " + s.config().nodeName()).isLessThanOrEqualTo(1);
            }
            // Everyone but the slow node got every event while it slept.
            for (String n : List.of("a", "b", "c", "d")) {
                Poll.until("all events on " + n, Duration.ofSeconds(5), () -> c.userEvents(n).size() >= sent.size());
            }
            // The slow node's sink was stuck: its queue filled and the rest was dropped, counted and visible.
            assertThat(Long.parseLong(slow.stats().get("events_dropped"))).isPositive();
            for (String n : List.of("a", "b", "c", "d")) {
                assertThat(c.nodes.get(List.of("a", "b", "c", "d").indexOf(n)).dropCounts().events()).isZero();
            }
            // Its sink is awake again: a new event reaches it.
            sender.userEvent("after-the-nap", null, false);
            Poll.until("the slow node to deliver a new event", Duration.ofSeconds(10), () -> slowGot.stream()
                    .anyMatch(e -> e instanceof Event.UserEvent ue && ue.name().equals("after-the-nap")));
        }
    }
}
