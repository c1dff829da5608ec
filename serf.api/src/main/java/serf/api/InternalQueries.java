package serf.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import serf.api.internal.msg.SerfCodec;
import serf.api.internal.msg.SerfMessage;
import serf.memberlist.Scheduler;

/**
 * Serf's own queries ({@code _serf_*}, Go's internal_query.go): they never reach the application;
 * a bounded queue hands them, one at a time, to a drain task on the node's scheduler (answering a
 * key query rewrites the keyring file, so it may block). What does not fit is dropped and counted
 * ({@code internal_queries_dropped}): they are rare (key changes, name conflicts), a flood is not.
 */
final class InternalQueries {
    static final String PREFIX = "_serf_";
    static final String PING = "_serf_ping";
    static final String CONFLICT = "_serf_conflict";
    static final String INSTALL_KEY = "_serf_install-key";
    static final String USE_KEY = "_serf_use-key";
    static final String REMOVE_KEY = "_serf_remove-key";
    static final String LIST_KEYS = "_serf_list-keys";
    /** Internal queries waiting for the worker; more are dropped. */
    static final int QUEUE = 64;
    /** How long shutdown waits for the query being answered. */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final String localName;
    private final MemberTracker members;
    private final KeyManager keys;
    private final System.Logger log;
    private final DrainQueue<Query> queue;

    InternalQueries(String localName, MemberTracker members, KeyManager keys, Scheduler scheduler, DropCounter drops,
                    System.Logger log) {
        this.localName = localName;
        this.members = members;
        this.keys = keys;
        this.log = log;
        this.queue = new DrainQueue<>("internal query", scheduler, QUEUE, Long.MAX_VALUE, q -> 0, this::answer, drops, log);
    }

    static boolean isInternal(Event e) {
        return e instanceof Query q && q.name().startsWith(PREFIX);
    }

    /** Takes an internal query without waiting; false (and counted) when the queue is full. */
    boolean offer(Query q) {
        if (q.name().equals(PING)) {
            return true; // the ack already answered it
        }
        return queue.offer(q);
    }

    int queued() {
        return queue.queued();
    }

    boolean draining() {
        return queue.draining();
    }

    private void answer(Query q) {
        switch (q.name()) {
            case PING -> { }
            case CONFLICT -> answerConflict(q);
            case INSTALL_KEY, USE_KEY, REMOVE_KEY, LIST_KEYS -> keys.answer(q);
            default -> log.log(System.Logger.Level.WARNING, "serf: Unhandled internal query '" + q.name() + "'");
        }
    }

    /** Tells the asker what we know about the node whose name is in conflict. */
    private void answerConflict(Query q) {
        String node = q.payload() == null ? "" : new String(q.payload(), StandardCharsets.UTF_8);
        if (node.equals(localName)) {
            return;
        }
        Member m = members.member(node);
        SerfMessage.MemberRecord rec = m == null ? null
                : new SerfMessage.MemberRecord(m.name(), m.addr().getAddress(), m.port(), m.tags(), m.status().code(),
                        m.protocolMin(), m.protocolMax(), m.protocolCur(), m.delegateMin(), m.delegateMax(), m.delegateCur());
        try {
            q.respond(SerfCodec.encode(new SerfMessage.ConflictResponse(rec)));
        } catch (QueryException e) {
            log.log(System.Logger.Level.ERROR, "serf: Failed to respond to conflict query: " + e.getMessage());
        }
    }

    /** Forgets what is queued and waits (boundedly) for the query being answered. */
    void shutdown() {
        queue.shutdown(false, SHUTDOWN_WAIT);
    }
}
