package serf.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Serf's configuration with the Go library's defaults ({@code serf.DefaultConfig()}), fluent setters,
 * and the memberlist configuration underneath ({@link #memberlistConfig()}, LAN profile by default).
 * {@link Serf#create(Config)} validates it and takes a copy.
 */
public final class Config extends QueueSettings implements Cloneable {
    /** Go's hard limit on user events, before and after encoding. */
    public static final int USER_EVENT_SIZE_HARD_LIMIT = 9216;

    private String nodeName;
    private Map<String, String> tags = new LinkedHashMap<>();
    private Consumer<Event> eventSink;
    private int eventSinkBuffer = 2048;
    private Duration eventSinkBlockTimeout = Duration.ofSeconds(5);
    private int protocolVersion = 4;
    private Duration broadcastTimeout = Duration.ofSeconds(5);
    private Duration leavePropagateDelay = Duration.ofSeconds(1);
    private Duration coalescePeriod = Duration.ZERO;
    private Duration quiescentPeriod = Duration.ZERO;
    private Duration userCoalescePeriod = Duration.ZERO;
    private Duration userQuiescentPeriod = Duration.ZERO;
    private Duration reapInterval = Duration.ofSeconds(15);
    private Duration reconnectInterval = Duration.ofSeconds(30);
    private Duration reconnectTimeout = Duration.ofHours(24);
    private Duration tombstoneTimeout = Duration.ofHours(24);
    private Duration flapTimeout = Duration.ofSeconds(60);
    private serf.memberlist.MemberlistConfig memberlistConfig = serf.memberlist.MemberlistConfig.lan();
    private System.Logger logger = System.getLogger("serf");
    private String snapshotPath = "";
    private boolean rejoinAfterLeave;
    private boolean enableNameConflictResolution = true;
    private boolean disableCoordinates;
    private String keyringFile = "";
    private MergeDelegate merge;

    private Config() {
        nodeName = memberlistConfig.name();
    }

    /**
     * Go's {@code serf.DefaultConfig()}: protocol 4, the LAN memberlist profile, no coalescing, the
     * host name as node name; each setting's default is in its setter's description.
     *
     * @return a new config
     */
    public static Config defaults() {
        return new Config();
    }

    /** {@return an independent copy (the memberlist config and tags are copied too)} */
    public Config copy() {
        try {
            Config c = (Config) super.clone();
            c.tags = new LinkedHashMap<>(tags);
            c.memberlistConfig = memberlistConfig.copy();
            return c;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Vetoes joins (Go's {@code serf.MergeDelegate}); optional, see {@link Config#merge}. It is asked
     * about a whole cluster when this node joins one or is joined (the other side's members, by a
     * push/pull: split-brain protection), and about each single node that an alive message
     * announces (Go's {@code NotifyAlive}; then the list holds that one member, and a refusal
     * means the node is ignored, so a refused node cannot get in by gossip either). This node's own
     * alive message is asked about too, at start. The members it is shown have status
     * {@link MemberStatus#NONE} (or {@link MemberStatus#LEFT}).
     *
     * <p>Its verdict is needed before the change goes on, so it is called synchronously: on the
     * thread of the push/pull exchange, or on the protocol thread handling the alive message, with
     * memberlist's state lock held. It must return promptly and must not call back into Serf or
     * memberlist.
     */
    @FunctionalInterface
    public interface MergeDelegate {
        /**
         * Decides on a merge.
         *
         * @param members the members that would join
         * @return null to allow them, or why they are refused (logged by memberlist)
         */
        String notifyMerge(java.util.List<Member> members);
    }

    /**
     * This node's name, unique in the cluster. Memberlist's name is always set to it.
     * Default: the memberlist config's name, i.e. the host name. Go: {@code NodeName}.
     *
     * @param v the new value
     * @return this config
     */
    public Config nodeName(String v) { nodeName = v; return this; }

    /** {@return the value of {@link #nodeName(String)}} */
    public String nodeName() { return nodeName; }

    /**
     * Tags: free-form key/value metadata gossiped with this node (e.g. {@code role=web}), which queries
     * can filter on. Encoded, they must fit memberlist's 512-byte node metadata.
     * Default: none. Go: {@code Tags}.
     *
     * @param v the new value
     * @return this config
     */
    public Config tags(Map<String, String> v) { tags = new LinkedHashMap<>(v); return this; }

    /** {@return the value of {@link #tags(Map)}} */
    public Map<String, String> tags() { return Map.copyOf(tags); }

    /**
     * Receives every event (member changes, user events, queries), in order, on Serf's delivery thread. A
     * slow sink delays only the events behind it; events that find its buffer full are dropped and counted
     * ({@link DropCounts#events()}); null discards them (members can still be read with {@link
     * Serf#members()}).
     * Default: null. Go: {@code EventCh}.
     *
     * @param v the new value
     * @return this config
     */
    public Config eventSink(Consumer<Event> v) { eventSink = v; return this; }

    /** {@return the value of {@link #eventSink(Consumer)}} */
    public Consumer<Event> eventSink() { return eventSink; }

    /**
     * Events buffered for a slow sink, as the capacity of Go's EventCh; also the size of each coalescer's
     * input queue. When a buffer is full Serf drops the event and counts it ({@code events_dropped} in
     * {@link Serf#stats()}) rather than make the protocol wait. At least 1.
     * Default: 2048 events. Go: (the capacity of EventCh).
     *
     * @param v the new value
     * @return this config
     */
    public Config eventSinkBuffer(int v) { eventSinkBuffer = v; return this; }

    /** {@return the value of {@link #eventSinkBuffer(int)}} */
    public int eventSinkBuffer() { return eventSinkBuffer; }

    /**
     * Inert, kept so that existing configurations compile: Serf no longer waits for room in a full
     * sink buffer (the wait held up probes and gossip); an event that finds the buffer full is
     * dropped at once and counted ({@link DropCounts#events()}). Go has no such setting.
     *
     * @param v ignored
     * @return this config
     * @deprecated has no effect; size {@link #eventSinkBuffer(int)} instead
     */
    @Deprecated
    public Config eventSinkBlockTimeout(Duration v) { eventSinkBlockTimeout = v; return this; }

    /**
     * The value given to {@link #eventSinkBlockTimeout(Duration)}, which has no effect.
     *
     * @return the value set (default 5 seconds)
     * @deprecated has no effect
     */
    @Deprecated
    public Duration eventSinkBlockTimeout() { return eventSinkBlockTimeout; }

    /**
     * The Serf protocol version to speak, {@link Serf#PROTOCOL_VERSION_MIN} to {@link
     * Serf#PROTOCOL_VERSION_MAX}; queries need 4, relayed answers 5.
     * Default: 4. Go: {@code ProtocolVersion}.
     *
     * @param v the new value
     * @return this config
     */
    public Config protocolVersion(int v) { protocolVersion = v; return this; }

    /** {@return the value of {@link #protocolVersion(int)}} */
    public int protocolVersion() { return protocolVersion; }

    /**
     * How long a leave, a force-leave or a tag change waits for its message to be gossiped before it gives
     * up with an error. Positive.
     * Default: 5 seconds. Go: {@code BroadcastTimeout}.
     *
     * @param v the new value
     * @return this config
     */
    public Config broadcastTimeout(Duration v) { broadcastTimeout = v; return this; }

    /** {@return the value of {@link #broadcastTimeout(Duration)}} */
    public Duration broadcastTimeout() { return broadcastTimeout; }

    /**
     * How long {@link Serf#leave()} stays up after its leave message went out, so the cluster learns of
     * the leave before the node stops answering probes.
     * Default: 1 second. Go: {@code LeavePropagateDelay}.
     *
     * @param v the new value
     * @return this config
     */
    public Config leavePropagateDelay(Duration v) { leavePropagateDelay = v; return this; }

    /** {@return the value of {@link #leavePropagateDelay(Duration)}} */
    public Duration leavePropagateDelay() { return leavePropagateDelay; }

    /**
     * Member events (join, leave, failed, update, reap) arriving within this period are delivered together
     * as one event per type; zero disables member-event coalescing. Needs {@link #quiescentPeriod} too.
     * Default: zero (off). Go: {@code CoalescePeriod}.
     *
     * @param v the new value
     * @return this config
     */
    public Config coalescePeriod(Duration v) { coalescePeriod = v; return this; }

    /** {@return the value of {@link #coalescePeriod(Duration)}} */
    public Duration coalescePeriod() { return coalescePeriod; }

    /**
     * Coalesced member events are delivered early when no new one came for this long.
     * Default: zero (off). Go: {@code QuiescentPeriod}.
     *
     * @param v the new value
     * @return this config
     */
    public Config quiescentPeriod(Duration v) { quiescentPeriod = v; return this; }

    /** {@return the value of {@link #quiescentPeriod(Duration)}} */
    public Duration quiescentPeriod() { return quiescentPeriod; }

    /**
     * Like {@link #coalescePeriod} for user events sent with {@code coalesce}: only the newest of each
     * name in the period is delivered; zero disables it.
     * Default: zero (off). Go: {@code UserCoalescePeriod}.
     *
     * @param v the new value
     * @return this config
     */
    public Config userCoalescePeriod(Duration v) { userCoalescePeriod = v; return this; }

    /** {@return the value of {@link #userCoalescePeriod(Duration)}} */
    public Duration userCoalescePeriod() { return userCoalescePeriod; }

    /**
     * Like {@link #quiescentPeriod} for user events.
     * Default: zero (off). Go: {@code UserQuiescentPeriod}.
     *
     * @param v the new value
     * @return this config
     */
    public Config userQuiescentPeriod(Duration v) { userQuiescentPeriod = v; return this; }

    /** {@return the value of {@link #userQuiescentPeriod(Duration)}} */
    public Duration userQuiescentPeriod() { return userQuiescentPeriod; }

    /**
     * How often failed and left members past their timeouts ({@link #reconnectTimeout}, {@link
     * #tombstoneTimeout}) and old intents are removed. Positive.
     * Default: 15 seconds. Go: {@code ReapInterval}.
     *
     * @param v the new value
     * @return this config
     */
    public Config reapInterval(Duration v) { reapInterval = v; return this; }

    /** {@return the value of {@link #reapInterval(Duration)}} */
    public Duration reapInterval() { return reapInterval; }

    /**
     * How often this node tries to reconnect to one of the failed members. Positive.
     * Default: 30 seconds. Go: {@code ReconnectInterval}.
     *
     * @param v the new value
     * @return this config
     */
    public Config reconnectInterval(Duration v) { reconnectInterval = v; return this; }

    /** {@return the value of {@link #reconnectInterval(Duration)}} */
    public Duration reconnectInterval() { return reconnectInterval; }

    /**
     * How long a failed member is kept (and reconnected to) before it is reaped and forgotten.
     * Default: 24 hours. Go: {@code ReconnectTimeout}.
     *
     * @param v the new value
     * @return this config
     */
    public Config reconnectTimeout(Duration v) { reconnectTimeout = v; return this; }

    /** {@return the value of {@link #reconnectTimeout(Duration)}} */
    public Duration reconnectTimeout() { return reconnectTimeout; }

    /**
     * How long a member that left is kept as a tombstone (so late gossip does not revive it) before it is
     * reaped.
     * Default: 24 hours. Go: {@code TombstoneTimeout}.
     *
     * @param v the new value
     * @return this config
     */
    public Config tombstoneTimeout(Duration v) { tombstoneTimeout = v; return this; }

    /** {@return the value of {@link #tombstoneTimeout(Duration)}} */
    public Duration tombstoneTimeout() { return tombstoneTimeout; }

    /**
     * A failed member that comes back alive within this time of its failure counts as a flap: {@code
     * member_flaps} in {@link Serf#stats()}. Like Go, which counts it only in a metric, it changes nothing
     * else.
     * Default: 60 seconds. Go: {@code FlapTimeout}.
     *
     * @param v the new value
     * @return this config
     */
    public Config flapTimeout(Duration v) { flapTimeout = v; return this; }

    /** {@return the value of {@link #flapTimeout(Duration)}} */
    public Duration flapTimeout() { return flapTimeout; }

    /**
     * The memberlist configuration Serf runs on. Serf overrides its name (with {@link #nodeName}),
     * protocol versions and delegates (delegate, events, conflict, ping, and merge and alive when {@link
     * #merge} is set).
     * Default: {@link serf.memberlist.MemberlistConfig#lan()}. Go: {@code MemberlistConfig}.
     *
     * @param v the new value
     * @return this config
     */
    public Config memberlistConfig(serf.memberlist.MemberlistConfig v) { memberlistConfig = v; return this; }

    /** {@return the value of {@link #memberlistConfig(serf.memberlist.MemberlistConfig)}} */
    public serf.memberlist.MemberlistConfig memberlistConfig() { return memberlistConfig; }

    /**
     * Where Serf logs (and memberlist, unless its config has a logger of its own). Nothing JVM-wide is
     * installed: plug a backend in through {@code System.LoggerFinder} as usual.
     * Default: {@code System.getLogger("serf")}. Go: {@code Logger}.
     *
     * @param v the new value
     * @return this config
     */
    public Config logger(System.Logger v) { logger = v; return this; }

    /** {@return the value of {@link #logger(System.Logger)}} */
    public System.Logger logger() { return logger; }

    /**
     * A file where this node records the members it saw and its Lamport clocks, so that a restart rejoins
     * them and does not replay old events; empty for none.
     * Default: empty (no snapshot). Go: {@code SnapshotPath}.
     *
     * @param v the new value
     * @return this config
     */
    public Config snapshotPath(String v) { snapshotPath = v == null ? "" : v; return this; }

    /** {@return the value of {@link #snapshotPath(String)}} */
    public String snapshotPath() { return snapshotPath; }

    /**
     * With a snapshot: whether a node that left gracefully still rejoins the recorded members on its next
     * start (false: a leave empties the snapshot's rejoin list).
     * Default: false. Go: {@code RejoinAfterLeave}.
     *
     * @param v the new value
     * @return this config
     */
    public Config rejoinAfterLeave(boolean v) { rejoinAfterLeave = v; return this; }

    /** {@return the value of {@link #rejoinAfterLeave(boolean)}} */
    public boolean rejoinAfterLeave() { return rejoinAfterLeave; }

    /**
     * When another node claims this node's name, ask the cluster who holds it and shut down if the
     * majority says the other; false only logs the conflict.
     * Default: true. Go: {@code EnableNameConflictResolution}.
     *
     * @param v the new value
     * @return this config
     */
    public Config enableNameConflictResolution(boolean v) { enableNameConflictResolution = v; return this; }

    /** {@return the value of {@link #enableNameConflictResolution(boolean)}} */
    public boolean enableNameConflictResolution() { return enableNameConflictResolution; }

    /**
     * Turns off the Vivaldi network coordinates (and the extra bytes they add to ping acks).
     * Default: false. Go: {@code DisableCoordinates}.
     *
     * @param v the new value
     * @return this config
     */
    public Config disableCoordinates(boolean v) { disableCoordinates = v; return this; }

    /** {@return the value of {@link #disableCoordinates(boolean)}} */
    public boolean disableCoordinates() { return disableCoordinates; }

    /**
     * Where key changes made through the {@link KeyManager} are written (a JSON list of base64 keys, the
     * primary first); empty for nowhere.
     * Default: empty. Go: {@code KeyringFile}.
     *
     * @param v the new value
     * @return this config
     */
    public Config keyringFile(String v) { keyringFile = v == null ? "" : v; return this; }

    /** {@return the value of {@link #keyringFile(String)}} */
    public String keyringFile() { return keyringFile; }

    /**
     * Vetoes joins, of whole clusters (a push/pull) and of single nodes (each alive message); see {@link
     * MergeDelegate}. Null allows everything.
     * Default: null. Go: {@code Merge}.
     *
     * @param v the new value
     * @return this config
     */
    public Config merge(MergeDelegate v) { merge = v; return this; }

    /** {@return the value of {@link #merge(MergeDelegate)}} */
    public MergeDelegate merge() { return merge; }

    /** Checks the settings, with errors that say what to fix. */
    void validate() {
        if (nodeName == null || nodeName.isEmpty()) {
            throw new IllegalArgumentException("a node name is required");
        }
        if (protocolVersion < Serf.PROTOCOL_VERSION_MIN || protocolVersion > Serf.PROTOCOL_VERSION_MAX) {
            throw new IllegalArgumentException("Protocol version '" + protocolVersion + "' too "
                    + (protocolVersion < Serf.PROTOCOL_VERSION_MIN ? "low" : "high") + ". Must be in range: ["
                    + Serf.PROTOCOL_VERSION_MIN + ", " + Serf.PROTOCOL_VERSION_MAX + "]");
        }
        if (userEventSizeLimit() > USER_EVENT_SIZE_HARD_LIMIT) {
            throw new IllegalArgumentException("user event size limit exceeds limit of " + USER_EVENT_SIZE_HARD_LIMIT + " bytes");
        }
        if (eventBuffer() < 1 || queryBuffer() < 1 || eventSinkBuffer < 1) {
            throw new IllegalArgumentException("event, query and sink buffers must be at least 1");
        }
        for (Duration d : new Duration[] {broadcastTimeout, reapInterval, reconnectInterval, queueCheckInterval()}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("intervals and timeouts must be positive");
            }
        }
        if (maxQueueDepth() < 1) {
            throw new IllegalArgumentException("maxQueueDepth must be positive");
        }
    }
}
