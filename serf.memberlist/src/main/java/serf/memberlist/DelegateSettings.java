package serf.memberlist;

/**
 * The part of {@link MemberlistConfig} that holds the application's hooks (Go's delegates): node
 * metadata and user messages, membership events, name conflicts, merges, pings and the alive veto.
 * Its public setters and getters are {@link MemberlistConfig}'s (this class is not used on its own);
 * each setter returns the config it belongs to.
 */
abstract sealed class DelegateSettings extends RuntimeSettings permits SecuritySettings {
    private Delegate delegate;
    private EventDelegate events;
    private ConflictDelegate conflict;
    private MergeDelegate merge;
    private PingDelegate ping;
    private AliveDelegate alive;

    DelegateSettings() {
    }

    private MemberlistConfig self() {
        return (MemberlistConfig) this;
    }

    /**
     * The application's hooks for node metadata, user messages, broadcasts and push/pull state; called
     * outside the node's locks. Default null: none. Go: {@code Delegate}.
     *
     * @param v the delegate, or null
     * @return this config
     */
    public MemberlistConfig delegate(Delegate v) { delegate = v; return self(); }
    /** {@return the delegate, or null} See {@link MemberlistConfig#delegate(Delegate)}. */
    public Delegate delegate() { return delegate; }
    /**
     * Told when members join, leave (or fail) and update their metadata. Default null: none. Go: {@code
     * Events}.
     *
     * @param v the event delegate, or null
     * @return this config
     */
    public MemberlistConfig events(EventDelegate v) { events = v; return self(); }
    /** {@return the event delegate, or null} See {@link MemberlistConfig#events(EventDelegate)}. */
    public EventDelegate events() { return events; }
    /**
     * Told when another node claims this node's name or an existing member's name from another address.
     * Default null: conflicts are only logged. Go: {@code Conflict}.
     *
     * @param v the conflict delegate, or null
     * @return this config
     */
    public MemberlistConfig conflict(ConflictDelegate v) { conflict = v; return self(); }
    /** {@return the conflict delegate, or null} See {@link MemberlistConfig#conflict(ConflictDelegate)}. */
    public ConflictDelegate conflict() { return conflict; }
    /**
     * Asked before the members a joining push/pull brings are merged in (periodic push/pulls are not
     * checked); it may refuse the merge, e.g. to keep clusters apart. Default null: every merge is
     * accepted. Go: {@code Merge}.
     *
     * @param v the merge delegate, or null
     * @return this config
     */
    public MemberlistConfig merge(MergeDelegate v) { merge = v; return self(); }
    /** {@return the merge delegate, or null} See {@link MemberlistConfig#merge(MergeDelegate)}. */
    public MergeDelegate merge() { return merge; }
    /**
     * Supplies a payload for the acks this node sends and is given each ack's payload with its round-trip
     * time (Serf's network coordinates ride on it). Default null: empty payloads. Go: {@code Ping}.
     *
     * @param v the ping delegate, or null
     * @return this config
     */
    public MemberlistConfig ping(PingDelegate v) { ping = v; return self(); }
    /** {@return the ping delegate, or null} See {@link MemberlistConfig#ping(PingDelegate)}. */
    public PingDelegate ping() { return ping; }
    /**
     * Asked about every alive message for a node; it may refuse the node (e.g. a foreign cluster's). Default
     * null: all are accepted. Go: {@code Alive}.
     *
     * @param v the alive delegate, or null
     * @return this config
     */
    public MemberlistConfig alive(AliveDelegate v) { alive = v; return self(); }
    /** {@return the alive delegate, or null} See {@link MemberlistConfig#alive(AliveDelegate)}. */
    public AliveDelegate alive() { return alive; }
}
