package serf.memberlist;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import serf.memberlist.internal.msg.Message;

/**
 * The bounded queue between the packet receiver and the state machine. Go keeps two queues of raw
 * messages (alive ones first, each served newest first) and drops what arrives when one is full,
 * which under load drops refutations behind thousands of copies of the same alive message. Here
 * the state messages are coalesced per subject (the node they are about): a subject has one entry,
 * which holds at most
 * <ul>
 * <li>one alive message: the one with the highest incarnation (at an equal one, the newest: Go
 *     would handle it first, and the older one after it would change nothing), and</li>
 * <li>one suspect or dead message: the highest incarnation, and at an equal one dead before
 *     suspect, as the SWIM rules rank them; at an equal incarnation and kind the newest, except that
 *     the distinct accusers of a suspicion are kept (up to a bound), since each one confirms it;</li>
 * </ul>
 * and a suspect or dead message older than the entry's alive one is dropped (the alive one is
 * handled first and makes it moot). A drain takes an entry whole: its alive message, then the
 * other one, then one suspect per further accuser; the result is what handling every message in
 * Go's order would give when none is refused by the state machine. What is made redundant so is
 * counted as coalesced, never as dropped.
 *
 * <p>Bounds: at most {@code depth} subjects waiting (entries with an alive message are served
 * first, each group newest first, as in Go), and at most {@code depth} user messages, which are
 * not coalesced. A message that finds its bound full is dropped and counted, except one about the
 * local node: a suspicion or death of this node is what makes it refute, so its entry is always
 * taken (one entry, so the bound grows by one at most). Nothing waits here: the receiver that
 * queues a message starts a drain on the node's scheduler when none is running.
 */
final class HandoffQueue {
    /** What {@link #offer} did with a message. */
    enum Outcome {
        /** Queued as a new entry (a drain must be started if none is running). */
        QUEUED,
        /** Merged into the subject's waiting entry; this or an older message was made redundant. */
        MERGED,
        /** Dropped: its bound was full. */
        DROPPED
    }

    /** A subject's waiting state messages; linked into one of the two subject lists. */
    private static final class Entry {
        final String subject;
        Message.Alive alive;
        Message other; // Suspect or Dead
        List<String> accusers; // further accusers of a suspect held in other, distinct, bounded
        boolean high;
        Entry prev;
        Entry next;

        Entry(String subject) {
            this.subject = subject;
        }

        int size() {
            return (alive != null ? 1 : 0) + (other != null ? 1 : 0) + (accusers != null ? accusers.size() : 0);
        }
    }

    /** A doubly linked list of entries; the tail is the newest. */
    private static final class Entries {
        Entry head;
        Entry tail;
        int size;

        void addLast(Entry e) {
            e.prev = tail;
            e.next = null;
            if (tail != null) {
                tail.next = e;
            } else {
                head = e;
            }
            tail = e;
            size++;
        }

        void remove(Entry e) {
            if (e.prev != null) {
                e.prev.next = e.next;
            } else {
                head = e.next;
            }
            if (e.next != null) {
                e.next.prev = e.prev;
            } else {
                tail = e.prev;
            }
            e.prev = null;
            e.next = null;
            size--;
        }

        void clear() {
            head = null;
            tail = null;
            size = 0;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Entry> bySubject = new HashMap<>();
    private final Entries high = new Entries(); // entries holding an alive message
    private final Entries low = new Entries();
    private final ArrayDeque<Message.User> users = new ArrayDeque<>();
    private final int depth;
    private final String self;
    private final int maxAccusers;
    private boolean closed;
    // Guarded by lock; read without it for stats (a stale value is fine).
    private volatile long coalesced;
    private volatile long droppedState;
    private volatile long droppedUser;
    private volatile int peakSubjects;

    /**
     * @param depth the bound of waiting subjects and of waiting user messages
     * @param self the local node's name, whose entry is never refused
     * @param maxAccusers how many distinct accusers of one suspicion are kept (at least one)
     */
    HandoffQueue(int depth, String self, int maxAccusers) {
        this.depth = Math.max(1, depth);
        this.self = self;
        this.maxAccusers = Math.max(1, maxAccusers);
    }

    /** Queues, merges or drops a state or user message. */
    Outcome offer(Message m) {
        lock.lock();
        try {
            if (closed) {
                return Outcome.MERGED; // shut down: nothing is handled any more, and nothing is kept
            }
            return switch (m) {
                case Message.User u -> offerUser(u);
                case Message.Alive a -> offerState(a.node(), m);
                case Message.Suspect s -> offerState(s.node(), m);
                case Message.Dead d -> offerState(d.node(), m);
                default -> throw new IllegalArgumentException("not a handoff message: " + m.type());
            };
        } finally {
            lock.unlock();
        }
    }

    private Outcome offerUser(Message.User u) {
        if (users.size() >= depth) {
            droppedUser++;
            return Outcome.DROPPED;
        }
        users.addLast(u);
        return Outcome.QUEUED;
    }

    private Outcome offerState(String subject, Message m) {
        Entry e = bySubject.get(subject);
        if (e != null) {
            merge(e, m);
            return Outcome.MERGED;
        }
        if (high.size + low.size >= depth && !subject.equals(self)) {
            droppedState++;
            return Outcome.DROPPED;
        }
        e = new Entry(subject);
        if (m instanceof Message.Alive a) {
            e.alive = a;
        } else {
            e.other = m;
        }
        bySubject.put(subject, e);
        link(e);
        peakSubjects = Math.max(peakSubjects, high.size + low.size);
        return Outcome.QUEUED;
    }

    /** Folds {@code m} into the subject's entry; counts every message it makes redundant. */
    private void merge(Entry e, Message m) {
        if (m instanceof Message.Alive a) {
            if (e.alive != null && e.alive.incarnation() > a.incarnation()) {
                coalesced++; // an alive message with a higher incarnation is waiting
                return;
            }
            if (e.alive != null) {
                coalesced++; // the older one, at a lower or equal incarnation
            }
            e.alive = a;
            if (e.other != null && incarnation(e.other) < a.incarnation()) {
                coalesced += 1 + (e.accusers != null ? e.accusers.size() : 0);
                e.other = null;
                e.accusers = null;
            }
            if (!e.high) {
                low.remove(e);
                link(e);
            }
            return;
        }
        long inc = incarnation(m);
        if (e.alive != null && e.alive.incarnation() > inc) {
            coalesced++; // handled after a newer alive message, it would change nothing
            return;
        }
        if (e.other == null) {
            e.other = m;
            return;
        }
        int c = compare(m, e.other);
        if (c < 0) {
            coalesced++;
        } else if (c > 0 || m instanceof Message.Dead) {
            coalesced += 1 + (e.accusers != null ? e.accusers.size() : 0);
            e.other = m;
            e.accusers = null;
        } else {
            addAccuser(e, ((Message.Suspect) m).from());
        }
    }

    /** A suspect of the same incarnation: kept only for an accuser not yet in the entry. */
    private void addAccuser(Entry e, String from) {
        if (((Message.Suspect) e.other).from().equals(from) || (e.accusers != null && e.accusers.contains(from))) {
            coalesced++;
            return;
        }
        if (e.accusers == null) {
            e.accusers = new ArrayList<>(2);
        }
        if (e.accusers.size() + 1 >= maxAccusers) {
            coalesced++; // enough accusers to confirm the suspicion as far as it can be
            return;
        }
        e.accusers.add(from);
    }

    /** The SWIM order of two suspect/dead messages about one node: incarnation, then dead above suspect. */
    private static int compare(Message a, Message b) {
        int c = Long.compare(incarnation(a), incarnation(b));
        if (c != 0) {
            return c;
        }
        return Integer.compare(a instanceof Message.Dead ? 1 : 0, b instanceof Message.Dead ? 1 : 0);
    }

    private static long incarnation(Message m) {
        return switch (m) {
            case Message.Alive a -> a.incarnation();
            case Message.Suspect s -> s.incarnation();
            case Message.Dead d -> d.incarnation();
            default -> throw new IllegalArgumentException(m.type().toString());
        };
    }

    private void link(Entry e) {
        e.high = e.alive != null;
        (e.high ? high : low).addLast(e);
    }

    /**
     * The next messages to handle, in order: a subject's entry (entries with an alive message
     * first, newest first), else one user message (newest first); empty when there is none or the
     * queue is closed.
     */
    List<Message> poll() {
        lock.lock();
        try {
            if (closed) {
                return List.of();
            }
            Entry e = high.tail != null ? high.tail : low.tail;
            if (e != null) {
                return unlinkAndList(e);
            }
            Message.User u = users.pollLast();
            return u == null ? List.of() : List.of(u);
        } finally {
            lock.unlock();
        }
    }

    /** Takes the waiting entry of {@code subject} out of turn (empty when there is none). */
    List<Message> take(String subject) {
        lock.lock();
        try {
            Entry e = closed ? null : bySubject.get(subject);
            return e == null ? List.of() : unlinkAndList(e);
        } finally {
            lock.unlock();
        }
    }

    private List<Message> unlinkAndList(Entry e) {
        (e.high ? high : low).remove(e);
        bySubject.remove(e.subject);
        List<Message> out = new ArrayList<>(e.size());
        if (e.alive != null) {
            out.add(e.alive);
        }
        if (e.other != null) {
            out.add(e.other);
        }
        if (e.accusers != null) {
            Message.Suspect s = (Message.Suspect) e.other;
            for (String from : e.accusers) {
                out.add(new Message.Suspect(s.incarnation(), s.node(), from));
            }
        }
        return out;
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return closed || (high.size == 0 && low.size == 0 && users.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /** {@return subjects waiting now} */
    int subjects() {
        lock.lock();
        try {
            return high.size + low.size;
        } finally {
            lock.unlock();
        }
    }

    /** {@return user messages waiting now} */
    int userMessages() {
        lock.lock();
        try {
            return users.size();
        } finally {
            lock.unlock();
        }
    }

    /** {@return state messages made redundant by another one about the same node, so far} */
    long coalesced() {
        return coalesced;
    }

    /** {@return state messages dropped because {@code depth} subjects were waiting, so far} */
    long droppedState() {
        return droppedState;
    }

    /** {@return user messages dropped because {@code depth} of them were waiting, so far} */
    long droppedUser() {
        return droppedUser;
    }

    /** {@return the most subjects ever waiting at once} */
    int peakSubjects() {
        return peakSubjects;
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            bySubject.clear();
            high.clear();
            low.clear();
            users.clear();
        } finally {
            lock.unlock();
        }
    }
}
