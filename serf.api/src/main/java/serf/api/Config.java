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
public final class Config implements Cloneable {
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

    /** Go's serf.DefaultConfig(): protocol 4, LAN memberlist, no coalescing. */
    public static Config defaults() {
        return new Config();
    }

    /** An independent copy (the memberlist config and tags are copied too). */
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
     * Vetoes joins of whole clusters (split-brain protection); optional. Its verdict is needed
     * before the join goes on, so it is called synchronously on the thread of the push/pull
     * exchange (that join waits for it; probes and gossip do not): it must return promptly.
     */
    @FunctionalInterface
    public interface MergeDelegate {
        /** Returns null to allow the merge, or why it is refused. */
        String notifyMerge(java.util.List<Member> members);
    }

    public Config nodeName(String v) { nodeName = v; return this; }
    public String nodeName() { return nodeName; }
    public Config tags(Map<String, String> v) { tags = new LinkedHashMap<>(v); return this; }
    public Map<String, String> tags() { return Map.copyOf(tags); }
    /**
     * Receives every event, in order, on Serf's delivery thread. A slow sink delays only the events
     * behind it; events that find its buffer full are dropped and counted.
     */
    public Config eventSink(Consumer<Event> v) { eventSink = v; return this; }
    public Consumer<Event> eventSink() { return eventSink; }
    /**
     * Events buffered for a slow sink (Go: the EventCh capacity); also the size of each coalescer's
     * input queue. When a buffer is full, Serf drops the event and counts it ({@code events_dropped}
     * in {@link Serf#stats()}) rather than make the protocol wait.
     */
    public Config eventSinkBuffer(int v) { eventSinkBuffer = v; return this; }
    public int eventSinkBuffer() { return eventSinkBuffer; }
    /**
     * Ignored: Serf no longer waits for room in a full sink buffer (the wait held up probes and
     * gossip); a full buffer drops the event at once. Kept so existing configurations compile.
     */
    @Deprecated
    public Config eventSinkBlockTimeout(Duration v) { eventSinkBlockTimeout = v; return this; }
    @Deprecated
    public Duration eventSinkBlockTimeout() { return eventSinkBlockTimeout; }
    public Config protocolVersion(int v) { protocolVersion = v; return this; }
    public int protocolVersion() { return protocolVersion; }
    public Config broadcastTimeout(Duration v) { broadcastTimeout = v; return this; }
    public Duration broadcastTimeout() { return broadcastTimeout; }
    public Config leavePropagateDelay(Duration v) { leavePropagateDelay = v; return this; }
    public Duration leavePropagateDelay() { return leavePropagateDelay; }
    public Config coalescePeriod(Duration v) { coalescePeriod = v; return this; }
    public Duration coalescePeriod() { return coalescePeriod; }
    public Config quiescentPeriod(Duration v) { quiescentPeriod = v; return this; }
    public Duration quiescentPeriod() { return quiescentPeriod; }
    public Config userCoalescePeriod(Duration v) { userCoalescePeriod = v; return this; }
    public Duration userCoalescePeriod() { return userCoalescePeriod; }
    public Config userQuiescentPeriod(Duration v) { userQuiescentPeriod = v; return this; }
    public Duration userQuiescentPeriod() { return userQuiescentPeriod; }
    public Config reapInterval(Duration v) { reapInterval = v; return this; }
    public Duration reapInterval() { return reapInterval; }
    public Config reconnectInterval(Duration v) { reconnectInterval = v; return this; }
    public Duration reconnectInterval() { return reconnectInterval; }
    public Config reconnectTimeout(Duration v) { reconnectTimeout = v; return this; }
    public Duration reconnectTimeout() { return reconnectTimeout; }
    public Config tombstoneTimeout(Duration v) { tombstoneTimeout = v; return this; }
    public Duration tombstoneTimeout() { return tombstoneTimeout; }
    public Config flapTimeout(Duration v) { flapTimeout = v; return this; }
    public Duration flapTimeout() { return flapTimeout; }
    public Config queueCheckInterval(Duration v) { queueCheckInterval = v; return this; }
    public Duration queueCheckInterval() { return queueCheckInterval; }
    public Config queueDepthWarning(int v) { queueDepthWarning = v; return this; }
    public int queueDepthWarning() { return queueDepthWarning; }
    public Config maxQueueDepth(int v) { maxQueueDepth = v; return this; }
    public int maxQueueDepth() { return maxQueueDepth; }
    public Config minQueueDepth(int v) { minQueueDepth = v; return this; }
    public int minQueueDepth() { return minQueueDepth; }
    public Config recentIntentTimeout(Duration v) { recentIntentTimeout = v; return this; }
    public Duration recentIntentTimeout() { return recentIntentTimeout; }
    public Config eventBuffer(int v) { eventBuffer = v; return this; }
    public int eventBuffer() { return eventBuffer; }
    public Config queryBuffer(int v) { queryBuffer = v; return this; }
    public int queryBuffer() { return queryBuffer; }
    public Config queryTimeoutMult(int v) { queryTimeoutMult = v; return this; }
    public int queryTimeoutMult() { return queryTimeoutMult; }
    public Config queryResponseSizeLimit(int v) { queryResponseSizeLimit = v; return this; }
    public int queryResponseSizeLimit() { return queryResponseSizeLimit; }
    public Config querySizeLimit(int v) { querySizeLimit = v; return this; }
    public int querySizeLimit() { return querySizeLimit; }
    public Config userEventSizeLimit(int v) { userEventSizeLimit = v; return this; }
    public int userEventSizeLimit() { return userEventSizeLimit; }
    /** The memberlist configuration Serf runs on (its name, delegates and versions are set by Serf). */
    public Config memberlistConfig(serf.memberlist.MemberlistConfig v) { memberlistConfig = v; return this; }
    public serf.memberlist.MemberlistConfig memberlistConfig() { return memberlistConfig; }
    public Config logger(System.Logger v) { logger = v; return this; }
    public System.Logger logger() { return logger; }
    public Config snapshotPath(String v) { snapshotPath = v == null ? "" : v; return this; }
    public String snapshotPath() { return snapshotPath; }
    public Config rejoinAfterLeave(boolean v) { rejoinAfterLeave = v; return this; }
    public boolean rejoinAfterLeave() { return rejoinAfterLeave; }
    public Config enableNameConflictResolution(boolean v) { enableNameConflictResolution = v; return this; }
    public boolean enableNameConflictResolution() { return enableNameConflictResolution; }
    public Config disableCoordinates(boolean v) { disableCoordinates = v; return this; }
    public boolean disableCoordinates() { return disableCoordinates; }
    /** Where key changes made through the key manager are persisted; "" for nowhere. */
    public Config keyringFile(String v) { keyringFile = v == null ? "" : v; return this; }
    public String keyringFile() { return keyringFile; }
    public Config merge(MergeDelegate v) { merge = v; return this; }
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
        if (userEventSizeLimit > USER_EVENT_SIZE_HARD_LIMIT) {
            throw new IllegalArgumentException("user event size limit exceeds limit of " + USER_EVENT_SIZE_HARD_LIMIT + " bytes");
        }
        if (eventBuffer < 1 || queryBuffer < 1 || eventSinkBuffer < 1) {
            throw new IllegalArgumentException("event, query and sink buffers must be at least 1");
        }
        for (Duration d : new Duration[] {broadcastTimeout, reapInterval, reconnectInterval, queueCheckInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("intervals and timeouts must be positive");
            }
        }
        if (maxQueueDepth < 1) {
            throw new IllegalArgumentException("maxQueueDepth must be positive");
        }
    }

}
