package serf.memberlist;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import serf.wire.InputBudget;

/**
 * Counters for what the node dropped or refused, so hostile input is visible without log floods.
 * The input budget's figures are the whole budget's, which nodes of one process normally share.
 */
public final class MemberlistStats {
    // What the counters below read from, attached by the node while it is built (before it starts).
    private HandoffQueue handoff;
    private IndirectPingRelays relays;
    private PushPullAdmission pushPullAdmission;
    private MembershipState state;
    private InputBudget budget;
    private Prober prober;

    MemberlistStats() {
        // only the node makes one: read it through Memberlist.stats()
    }

    void attachProber(Prober p) {
        this.prober = p;
    }

    void attach(HandoffQueue handoff, IndirectPingRelays relays, PushPullAdmission pushPullAdmission,
            MembershipState state, InputBudget budget) {
        this.handoff = handoff;
        this.relays = relays;
        this.pushPullAdmission = pushPullAdmission;
        this.state = state;
        this.budget = budget;
    }

    final AtomicLong packetsReceived = new AtomicLong();
    final AtomicLong packetsDropped = new AtomicLong();
    final AtomicLong messagesMalformed = new AtomicLong();
    final AtomicLong handoffInline = new AtomicLong();
    final AtomicLong streamsFailed = new AtomicLong();
    final AtomicLong streamsRefusedBudget = new AtomicLong();
    final AtomicLong streamsRefusedCap = new AtomicLong();
    final AtomicLong tcpPingsDropped = new AtomicLong();
    final AtomicLong decompressionRefused = new AtomicLong();
    final AtomicLong loopExceptions = new AtomicLong();
    final AtomicLong probeRoundsStretched = new AtomicLong();

    /** {@return packets received (before decryption and decoding)} */
    public long packetsReceived() { return packetsReceived.get(); }
    /** {@return packets dropped because they could not be opened or decoded} */
    public long packetsDropped() { return packetsDropped.get(); }
    /** {@return messages inside packets that were malformed and skipped} */
    public long messagesMalformed() { return messagesMalformed.get(); }
    /**
     * Gossip messages (state and user messages) dropped because their bound in the handoff
     * queue was full: {@link MemberlistConfig#handoffQueueDepth} nodes with changes waiting, or
     * as many user messages.
     *
     * @return the count so far
     */
    public long handoffDropped() { return handoff.droppedState() + handoff.droppedUser(); }
    /**
     * The user messages among {@link #handoffDropped()}.
     *
     * @return the count so far
     */
    public long handoffDroppedUser() { return handoff.droppedUser(); }
    /**
     * State messages (alive, suspect, dead) not handled because a message about the same node
     * already waiting in the handoff queue made them redundant (or they made it so): a higher
     * incarnation, or at the same one a stronger state. Not drops: nothing they carried is lost.
     *
     * @return the count so far
     */
    public long handoffCoalesced() { return handoff.coalesced(); }
    /**
     * Suspicions and deaths of this node handled at once by the thread that received them,
     * without waiting in the handoff queue.
     *
     * @return the count so far
     */
    public long handoffInline() { return handoffInline.get(); }
    /**
     * The most nodes with state messages waiting in the handoff queue at once.
     *
     * @return the peak so far
     */
    public long handoffPeak() { return handoff.peakSubjects(); }
    /** {@return inbound streams that failed (read errors, timeouts, malformed content)} */
    public long streamsFailed() { return streamsFailed.get(); }
    /**
     * Streams dropped because the input budget could not cover them.
     *
     * @return the count so far
     */
    public long streamsRefusedBudget() { return streamsRefusedBudget.get(); }
    /**
     * Streams refused because they declared more than the cluster's state could be (see {@link MemberlistConfig#streamCapBase}).
     *
     * @return the count so far
     */
    public long streamsRefusedCap() { return streamsRefusedCap.get(); }
    /**
     * Indirect-ping requests dropped because too many relays were in flight.
     *
     * @return the count so far
     */
    public long relaysDropped() { return relays.dropped(); }
    /**
     * Indirect pings being relayed now.
     *
     * @return the number now
     */
    public long relaysInFlight() { return relays.inFlight(); }
    /**
     * TCP fallback pings not made because too many were in flight.
     *
     * @return the count so far
     */
    public long tcpPingsDropped() { return tcpPingsDropped.get(); }
    /**
     * Inbound push/pulls refused after waiting for a free slot.
     *
     * @return the count so far
     */
    public long pushPullRefused() { return pushPullAdmission.refused(); }
    /**
     * Packets dropped because the budget refused their decompression.
     *
     * @return the count so far
     */
    public long decompressionRefused() { return decompressionRefused.get(); }
    /**
     * Exceptions caught by the loops and delegate calls that serve the network (which went on).
     *
     * @return the count so far
     */
    public long loopExceptions() { return loopExceptions.get(); }
    /**
     * Alive messages for new nodes ignored because {@link MemberlistConfig#maxNodes()} nodes were known.
     *
     * @return the count so far
     */
    public long nodesRefused() { return state.nodesRefused.get(); }
    /**
     * Probe rounds whose timeouts this node lengthened because its pings' measured round trips
     * exceeded the probe timeout (a departure from Go, which waits the probe timeout whatever the
     * round trips: see {@link MemberlistConfig#probeTimeout(java.time.Duration)}).
     *
     * @return the count so far
     */
    public long probeRoundsStretched() { return probeRoundsStretched.get(); }
    /** {@return the smoothed round trip of this node's direct pings in microseconds, 0 before the first} */
    public long probeRoundTripMicros() { return prober == null ? 0 : prober.smoothedRoundTripNanos() / 1_000; }
    /** {@return the input budget's size in bytes} */
    public long inputBudgetLimit() { return budget.limit(); }
    /** {@return bytes of the input budget reserved now} */
    public long inputBudgetInUse() { return budget.inUse(); }
    /** {@return the most bytes of the input budget ever reserved at once} */
    public long inputBudgetPeak() { return budget.peak(); }
    /** {@return how often the input budget refused a reservation} */
    public long inputBudgetRefusals() { return budget.refusals(); }

    /** {@return broadcasts dropped because the queue was full (its oldest, least-sent entries went)} */
    public long broadcastsDropped() { return state.broadcasts().dropped(); }
    /** {@return broadcasts pruned by the queue's prune} */
    public long broadcastsPruned() { return state.broadcasts().pruned(); }

    /** {@return every counter under a stable snake_case key, in a fixed order (for stats displays)} */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        suppliers().forEach((k, v) -> m.put(k, v.getAsLong()));
        return Collections.unmodifiableMap(m);
    }

    /** The counters of {@link #asMap()}, each read when called (the metrics registry polls them). */
    Map<String, java.util.function.LongSupplier> suppliers() {
        Map<String, java.util.function.LongSupplier> m = new java.util.LinkedHashMap<>();
        m.put("packets_received", this::packetsReceived);
        m.put("packets_dropped", this::packetsDropped);
        m.put("messages_malformed", this::messagesMalformed);
        m.put("handoff_dropped", this::handoffDropped);
        m.put("handoff_dropped_user", this::handoffDroppedUser);
        m.put("handoff_coalesced", this::handoffCoalesced);
        m.put("handoff_inline", this::handoffInline);
        m.put("handoff_peak", this::handoffPeak);
        m.put("streams_failed", this::streamsFailed);
        m.put("streams_refused_budget", this::streamsRefusedBudget);
        m.put("streams_refused_cap", this::streamsRefusedCap);
        m.put("relays_dropped", this::relaysDropped);
        m.put("relays_in_flight", this::relaysInFlight);
        m.put("tcp_pings_dropped", this::tcpPingsDropped);
        m.put("push_pull_refused", this::pushPullRefused);
        m.put("decompression_refused", this::decompressionRefused);
        m.put("loop_exceptions", this::loopExceptions);
        m.put("nodes_refused", this::nodesRefused);
        m.put("probe_rounds_stretched", this::probeRoundsStretched);
        m.put("probe_round_trip_us", this::probeRoundTripMicros);
        m.put("broadcasts_dropped", this::broadcastsDropped);
        m.put("broadcasts_pruned", this::broadcastsPruned);
        m.put("input_budget_limit", this::inputBudgetLimit);
        m.put("input_budget_in_use", this::inputBudgetInUse);
        m.put("input_budget_peak", this::inputBudgetPeak);
        m.put("input_budget_refusals", this::inputBudgetRefusals);
        return m;
    }
}
