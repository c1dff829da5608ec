package serf.api;

import java.time.Duration;

/**
 * The part of {@link Config} that bounds Serf's gossip queues and buffers: how often the queues are
 * checked and how long they may grow, how many recent Lamport times are remembered for
 * deduplication, the query timeout multiplier, and the largest user event, query and response this
 * node sends. Its public setters and getters are {@link Config}'s (this class is not exported on its
 * own); each setter returns the config it belongs to.
 */
abstract sealed class QueueSettings permits Config {
    private Duration queueCheckInterval = Duration.ofSeconds(30);
    private int queueDepthWarning = 128;
    private int maxQueueDepth = 4096;
    private int minQueueDepth;
    private Duration recentIntentTimeout = Duration.ofMinutes(5);
    private int eventBuffer = 512;
    private int queryBuffer = 512;
    private int queryTimeoutMult = 16;
    private int queryResponseSizeLimit = 1024;
    private int querySizeLimit = 1024;
    private int userEventSizeLimit = 512;

    QueueSettings() {
    }

    private Config self() {
        return (Config) this;
    }

    /**
     * How often the lengths of the gossip queues (intents, events, queries) are checked against {@link
     * Config#queueDepthWarning(int)} and {@link Config#maxQueueDepth(int)}. Positive.
     * Default: 30 seconds. Go: {@code QueueCheckInterval}.
     *
     * @param v the new value
     * @return this config
     */
    public Config queueCheckInterval(Duration v) { queueCheckInterval = v; return self(); }

    /** {@return the value of {@link #queueCheckInterval(Duration)}} */
    public Duration queueCheckInterval() { return queueCheckInterval; }

    /**
     * A gossip queue this long or longer is logged as a warning at each check (messages are produced
     * faster than they spread).
     * Default: 128 messages. Go: {@code QueueDepthWarning}.
     *
     * @param v the new value
     * @return this config
     */
    public Config queueDepthWarning(int v) { queueDepthWarning = v; return self(); }

    /** {@return the value of {@link #queueDepthWarning(int)}} */
    public int queueDepthWarning() { return queueDepthWarning; }

    /**
     * The most messages a gossip queue keeps; the oldest beyond it are dropped at each check. Ignored when
     * {@link Config#minQueueDepth(int)} is set. Positive.
     * Default: 4096 messages. Go: {@code MaxQueueDepth}.
     *
     * @param v the new value
     * @return this config
     */
    public Config maxQueueDepth(int v) { maxQueueDepth = v; return self(); }

    /** {@return the value of {@link #maxQueueDepth(int)}} */
    public int maxQueueDepth() { return maxQueueDepth; }

    /**
     * When positive, the queue bound scales with the cluster instead: the larger of this and twice the
     * number of members ({@link Config#maxQueueDepth(int)} is then ignored); 0 keeps the fixed bound.
     * Default: 0 (fixed bound). Go: {@code MinQueueDepth}.
     *
     * @param v the new value
     * @return this config
     */
    public Config minQueueDepth(int v) { minQueueDepth = v; return self(); }

    /** {@return the value of {@link #minQueueDepth(int)}} */
    public int minQueueDepth() { return minQueueDepth; }

    /**
     * How long a join or leave intent about a node memberlist does not know yet is kept, for when the node
     * shows up after the intent.
     * Default: 5 minutes. Go: {@code RecentIntentTimeout}.
     *
     * @param v the new value
     * @return this config
     */
    public Config recentIntentTimeout(Duration v) { recentIntentTimeout = v; return self(); }

    /** {@return the value of {@link #recentIntentTimeout(Duration)}} */
    public Duration recentIntentTimeout() { return recentIntentTimeout; }

    /**
     * How many recent user-event Lamport times are remembered to recognise duplicates; events older than
     * the oldest one remembered are ignored. At least 1.
     * Default: 512. Go: {@code EventBuffer}.
     *
     * @param v the new value
     * @return this config
     */
    public Config eventBuffer(int v) { eventBuffer = v; return self(); }

    /** {@return the value of {@link #eventBuffer(int)}} */
    public int eventBuffer() { return eventBuffer; }

    /**
     * Like {@link Config#eventBuffer(int)} for queries. At least 1.
     * Default: 512. Go: {@code QueryBuffer}.
     *
     * @param v the new value
     * @return this config
     */
    public Config queryBuffer(int v) { queryBuffer = v; return self(); }

    /** {@return the value of {@link #queryBuffer(int)}} */
    public int queryBuffer() { return queryBuffer; }

    /**
     * The default query timeout is the gossip interval × this × ceil(log10(N + 1)) for N live members
     * ({@link Serf#defaultQueryTimeout()}).
     * Default: 16. Go: {@code QueryTimeoutMult}.
     *
     * @param v the new value
     * @return this config
     */
    public Config queryTimeoutMult(int v) { queryTimeoutMult = v; return self(); }

    /** {@return the value of {@link #queryTimeoutMult(int)}} */
    public int queryTimeoutMult() { return queryTimeoutMult; }

    /**
     * The largest encoded query response (or ack, or relayed answer) this node sends, in bytes.
     * Default: 1024 bytes. Go: {@code QueryResponseSizeLimit}.
     *
     * @param v the new value
     * @return this config
     */
    public Config queryResponseSizeLimit(int v) { queryResponseSizeLimit = v; return self(); }

    /** {@return the value of {@link #queryResponseSizeLimit(int)}} */
    public int queryResponseSizeLimit() { return queryResponseSizeLimit; }

    /**
     * The largest encoded query this node sends, in bytes.
     * Default: 1024 bytes. Go: {@code QuerySizeLimit}.
     *
     * @param v the new value
     * @return this config
     */
    public Config querySizeLimit(int v) { querySizeLimit = v; return self(); }

    /** {@return the value of {@link #querySizeLimit(int)}} */
    public int querySizeLimit() { return querySizeLimit; }

    /**
     * The largest user event (name plus payload, before and after encoding) this node sends, in bytes; at
     * most {@link Config#USER_EVENT_SIZE_HARD_LIMIT}.
     * Default: 512 bytes. Go: {@code UserEventSizeLimit}.
     *
     * @param v the new value
     * @return this config
     */
    public Config userEventSizeLimit(int v) { userEventSizeLimit = v; return self(); }

    /** {@return the value of {@link #userEventSizeLimit(int)}} */
    public int userEventSizeLimit() { return userEventSizeLimit; }
}
