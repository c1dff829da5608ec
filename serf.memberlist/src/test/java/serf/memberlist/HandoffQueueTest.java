package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import serf.memberlist.HandoffQueue.Outcome;
import serf.memberlist.internal.msg.Message;

/** The handoff queue alone: one entry per node, SWIM precedence, bounds, counts, the local node's entry. */
class HandoffQueueTest {
    private static final String SELF = "me";

    private static Message.Alive alive(String node, long inc) {
        return new Message.Alive(inc, node, new byte[] {127, 0, 0, 1}, 7946, new byte[0], new byte[] {1, 5, 5, 2, 5, 5});
    }

    private static Message.Suspect suspect(String node, long inc, String from) {
        return new Message.Suspect(inc, node, from);
    }

    private static Message.Dead dead(String node, long inc, String from) {
        return new Message.Dead(inc, node, from);
    }

    private static Message.User user(int b) {
        return new Message.User(new byte[] {(byte) b});
    }

    private static List<Message> batch(Message... ms) {
        return List.of(ms);
    }

    /** Every batch until the queue is empty. */
    private static List<List<Message>> drain(HandoffQueue q) {
        List<List<Message>> out = new ArrayList<>();
        for (List<Message> b = q.poll(); !b.isEmpty(); b = q.poll()) {
            out.add(b);
        }
        return out;
    }

    @Test
    void aliveMessagesAboutOneNodeBecomeOneEntryWithTheHighestIncarnation() {
        HandoffQueue q = new HandoffQueue(1024, SELF, 4);
        Message.Alive newest = alive("a", 5);
        assertThat(q.offer(alive("a", 3))).isEqualTo(Outcome.QUEUED);
        assertThat(q.offer(alive("a", 5))).isEqualTo(Outcome.MERGED); // replaces 3
        assertThat(q.offer(alive("a", 4))).isEqualTo(Outcome.MERGED); // older than 5: redundant
        assertThat(q.offer(newest)).isEqualTo(Outcome.MERGED); // the same again: the newest is kept
        assertThat(q.subjects()).isEqualTo(1);
        assertThat(q.coalesced()).isEqualTo(3);
        assertThat(drain(q)).containsExactly(batch(newest));
        assertThat(q.droppedState()).isZero();
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void atAnEqualIncarnationDeadOutranksSuspectAndSuspectOutranksAlive() {
        HandoffQueue q = new HandoffQueue(1024, SELF, 4);
        q.offer(suspect("a", 7, "x"));
        q.offer(dead("a", 7, "y"));      // dead over suspect: replaces it
        q.offer(suspect("a", 7, "z"));   // weaker than the waiting dead one
        Message.Alive a6 = alive("a", 6);
        q.offer(a6);
        List<List<Message>> batches = drain(q);
        assertThat(batches).hasSize(1);
        // The alive message (6) is kept although the dead one (7) outranks it: handled first, as Go
        // handles alive messages first, it may bring back a node this one thinks dead, and the dead
        // message then applies to it.
        assertThat(batches.get(0)).containsExactly(a6, dead("a", 7, "y"));
        assertThat(q.coalesced()).isEqualTo(2);
    }

    @Test
    void anAliveMessageWithAHigherIncarnationMakesAWaitingSuspicionRedundant() {
        HandoffQueue q = new HandoffQueue(1024, SELF, 4);
        q.offer(suspect("a", 4, "x"));
        q.offer(suspect("a", 4, "y"));
        Message.Alive refutation = alive("a", 5);
        assertThat(q.offer(refutation)).isEqualTo(Outcome.MERGED);
        assertThat(q.offer(suspect("a", 4, "z"))).isEqualTo(Outcome.MERGED); // older than the refutation
        assertThat(q.offer(dead("a", 4, "z"))).isEqualTo(Outcome.MERGED);
        assertThat(drain(q)).containsExactly(batch(refutation));
        assertThat(q.coalesced()).isEqualTo(4); // two suspects (x, y), then z's suspect and dead
    }

    @Test
    void anAliveAndASuspicionAtTheSameIncarnationAreBothKeptAliveFirst() {
        HandoffQueue q = new HandoffQueue(1024, SELF, 4);
        Message.Alive a5 = alive("a", 5);
        q.offer(suspect("a", 5, "x"));
        q.offer(a5);
        assertThat(drain(q)).containsExactly(batch(a5, suspect("a", 5, "x")));
        assertThat(q.coalesced()).isZero();
    }

    @Test
    void distinctAccusersOfOneSuspicionAreKeptUpToTheBound() {
        HandoffQueue q = new HandoffQueue(1024, SELF, 3);
        q.offer(suspect("a", 2, "x"));
        q.offer(suspect("a", 2, "x")); // the same accuser again
        q.offer(suspect("a", 2, "y"));
        q.offer(suspect("a", 2, "z"));
        q.offer(suspect("a", 2, "w")); // a fourth accuser: past the bound of 3
        q.offer(suspect("a", 1, "v")); // an older incarnation
        assertThat(drain(q)).containsExactly(batch(suspect("a", 2, "x"), suspect("a", 2, "y"), suspect("a", 2, "z")));
        assertThat(q.coalesced()).isEqualTo(3);
    }

    @Test
    void aNewerIncarnationOrADeathReplacesTheAccusersToo() {
        HandoffQueue q = new HandoffQueue(1024, SELF, 4);
        q.offer(suspect("a", 2, "x"));
        q.offer(suspect("a", 2, "y"));
        q.offer(suspect("a", 3, "z"));
        assertThat(q.coalesced()).isEqualTo(2);
        q.offer(dead("a", 3, "z"));
        q.offer(dead("a", 3, "q")); // equal: the newest, as Go would handle it first
        assertThat(drain(q)).containsExactly(batch((Message) dead("a", 3, "q")));
        assertThat(q.coalesced()).isEqualTo(4);
    }

    @Test
    void entriesWithAnAliveMessageComeFirstThenTheOthersThenUserMessagesEachNewestFirst() {
        HandoffQueue q = new HandoffQueue(1024, SELF, 4);
        Message.User u1 = user(1);
        Message.User u2 = user(2);
        Message.Alive a1 = alive("a", 1);
        Message.Alive d1 = alive("d", 1);
        Message.Alive c2 = alive("c", 2);
        q.offer(u1);
        q.offer(suspect("b", 1, "x"));
        q.offer(a1);
        q.offer(dead("c", 1, "x"));
        q.offer(d1);
        q.offer(u2);
        q.offer(c2); // c's entry gains an alive message: it moves among the alive entries, as the newest
        assertThat(drain(q)).containsExactly(
                batch(c2), // the dead message (1) is older than it
                batch(d1),
                batch(a1),
                batch(suspect("b", 1, "x")),
                batch(u2),
                batch(u1));
    }

    @Test
    void boundsAreKeptAndEveryDropIsCounted() {
        HandoffQueue q = new HandoffQueue(3, SELF, 4);
        assertThat(q.offer(alive("a", 1))).isEqualTo(Outcome.QUEUED);
        assertThat(q.offer(suspect("b", 1, "x"))).isEqualTo(Outcome.QUEUED);
        assertThat(q.offer(dead("c", 1, "x"))).isEqualTo(Outcome.QUEUED);
        assertThat(q.offer(alive("d", 1))).isEqualTo(Outcome.DROPPED);
        assertThat(q.offer(suspect("e", 1, "x"))).isEqualTo(Outcome.DROPPED);
        // A node already waiting still takes news: the bound is on nodes, not messages.
        assertThat(q.offer(alive("a", 9))).isEqualTo(Outcome.MERGED);
        assertThat(q.offer(suspect("b", 1, "y"))).isEqualTo(Outcome.MERGED);
        for (int i = 0; i < 5; i++) {
            q.offer(user(i));
        }
        assertThat(q.subjects()).isEqualTo(3);
        assertThat(q.userMessages()).isEqualTo(3);
        assertThat(q.droppedState()).isEqualTo(2);
        assertThat(q.droppedUser()).isEqualTo(2);
        assertThat(q.coalesced()).isEqualTo(1);
        assertThat(q.peakSubjects()).isEqualTo(3);
        assertThat(drain(q)).hasSize(6);
        assertThat(q.offer(alive("d", 1))).isEqualTo(Outcome.QUEUED); // room again
    }

    @Test
    void userMessagesAreNeverCoalesced() {
        HandoffQueue q = new HandoffQueue(8, SELF, 4);
        q.offer(user(1));
        q.offer(user(1));
        assertThat(q.userMessages()).isEqualTo(2);
        assertThat(q.coalesced()).isZero();
    }

    @Test
    void aSuspicionOrDeathOfTheLocalNodeIsNeverDroppedEvenWhenTheQueueIsFull() {
        HandoffQueue q = new HandoffQueue(2, SELF, 4);
        q.offer(alive("a", 1));
        q.offer(alive("b", 1));
        assertThat(q.offer(alive("c", 1))).isEqualTo(Outcome.DROPPED);
        assertThat(q.offer(suspect(SELF, 3, "a"))).isEqualTo(Outcome.QUEUED);
        assertThat(q.offer(dead(SELF, 3, "b"))).isEqualTo(Outcome.MERGED);
        assertThat(q.offer(suspect(SELF, 2, "b"))).isEqualTo(Outcome.MERGED); // older: the dead one covers it
        assertThat(q.subjects()).isEqualTo(3);
        assertThat(q.take(SELF)).containsExactly(dead(SELF, 3, "b"));
        assertThat(q.droppedState()).isEqualTo(1);
    }

    @Test
    void takeRemovesOneNodesEntryOutOfTurn() {
        HandoffQueue q = new HandoffQueue(8, SELF, 4);
        Message.Alive a1 = alive("a", 1);
        Message.Alive b2 = alive("b", 2);
        q.offer(a1);
        q.offer(b2);
        q.offer(suspect("b", 2, "x"));
        assertThat(q.take("b")).containsExactly(b2, suspect("b", 2, "x"));
        assertThat(q.take("b")).isEmpty();
        assertThat(q.offer(b2)).isEqualTo(Outcome.QUEUED); // a new entry
        assertThat(drain(q)).containsExactly(batch(b2), batch(a1));
    }

    @Test
    void aClosedQueueKeepsNothing() {
        HandoffQueue q = new HandoffQueue(8, SELF, 4);
        q.offer(alive("a", 1));
        q.offer(user(1));
        q.close();
        assertThat(q.poll()).isEmpty();
        assertThat(q.isEmpty()).isTrue();
        q.offer(alive("b", 1));
        assertThat(q.subjects()).isZero();
    }

    /** What the drain hands the state machine gives the state the messages one by one would. */
    @Test
    void aDeadNodeRevivedAndSuspectedAtOneIncarnationEndsSuspectAsWithEveryMessage() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(CoreFixture.alive("a", 2, 1), null, false);
        f.state.deadNode(dead("a", 1, "x"));
        assertThat(f.stateOf("a")).isEqualTo(NodeState.DEAD);
        HandoffQueue q = new HandoffQueue(8, CoreFixture.SELF, 4);
        q.offer(CoreFixture.alive("a", 2, 2));
        q.offer(CoreFixture.alive("a", 2, 2));
        q.offer(suspect("a", 2, "y"));
        for (List<Message> b : drain(q)) {
            for (Message m : b) {
                switch (m) {
                    case Message.Alive a -> f.state.aliveNode(a, null, false);
                    case Message.Suspect s -> f.state.suspectNode(s);
                    default -> throw new AssertionError(m);
                }
            }
        }
        assertThat(f.stateOf("a")).isEqualTo(NodeState.SUSPECT);
        assertThat(f.record("a").incarnation).isEqualTo(2);
    }
}
