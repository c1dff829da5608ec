package serf.api;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import serf.api.coordinate.Coordinate;
import serf.memberlist.Clock;
import serf.memberlist.Memberlist;
import serf.memberlist.Scheduler;
import serf.snapshot.RecoveredState;
import serf.snapshot.SnapshotConfig;
import serf.snapshot.Snapshotter;

/**
 * One Serf node: cluster membership with tags, failure detection, user events, queries, key
 * management and network coordinates, on a {@link Memberlist}. The Java form of Go's
 * {@code serf.Serf}, speaking its wire protocol (Serf protocol 2 to 5). This class is the facade
 * and the lifecycle; the mechanisms live in their own classes (members and intents, user events,
 * queries, internal queries, name conflicts, the event pipeline, the gossip queues, reconnection).
 *
 * <p>Runtime: Serf starts no thread of its own. Its timers (reaper, reconnector, queue monitor,
 * coalescer flushes, query timeouts) and its work (internal queries, delivery to the
 * {@link Config#eventSink}, reconnects and rejoin) run on one {@link Scheduler}: the memberlist
 * config's {@link serf.memberlist.MemberlistConfig#scheduler()} if one is given (then never closed here),
 * else one Serf makes ({@code Scheduler.ofThreads("serf-" + name)}, its timer thread of the kind
 * {@link serf.memberlist.MemberlistConfig#loopThreads()} says), gives to memberlist as well
 * and closes at shutdown. Time is the memberlist config's clock, randomness its random source.
 * The one exception is the snapshot's file writer ({@link Snapshotter}), a thread of its own.
 * Events reach the sink in order; the protocol never waits for the sink: what a full queue cannot
 * take is dropped and counted ({@link #dropCounts()}).
 */
public final class Serf implements AutoCloseable {
    /** The oldest Serf protocol version this implementation speaks (Go's {@code ProtocolVersionMin}). */
    public static final int PROTOCOL_VERSION_MIN = 2;
    /** The newest Serf protocol version this implementation speaks (Go's {@code ProtocolVersionMax}). */
    public static final int PROTOCOL_VERSION_MAX = 5;

    private final Config config;
    private final System.Logger log;
    private final Scheduler scheduler;
    private final boolean ownsScheduler;
    private final Clock clock;
    private final DropCounters drops;
    private final MemberTracker members;
    private final UserEvents userEvents;
    private final SerfBroadcasts broadcasts;
    private final Queries queries;
    private final Coordinates coordinates;
    private final KeyManager keyManager;
    private final InternalQueries internalQueries;
    private final NameConflicts conflicts;
    private final PeriodicTasks periodic;
    private final Reconnector reconnector;
    private final SerfDelegate delegate;
    private Memberlist memberlist;
    private Snapshotter snapshotter;
    private EventPipeline pipeline;
    private final SerfMetrics metrics;

    private final SerfLifecycle lifecycle;
    private final MemberIntents intents;

    private final LocalTags tags;

    private Serf(Config config) {
        this.config = config;
        this.log = config.logger();
        this.tags = new LocalTags(config.tags(), config.protocolVersion());
        this.drops = new DropCounters(log);
        this.lifecycle = new SerfLifecycle(log);
        String name = config.nodeName();
        serf.memberlist.MemberlistConfig mc = config.memberlistConfig();
        this.ownsScheduler = mc.scheduler() == null;
        this.scheduler = ownsScheduler ? Scheduler.ofThreads("serf-" + name, mc.loopThreads(), log) : mc.scheduler();
        this.clock = mc.clock();
        RandomGenerator random = mc.random();
        this.coordinates = config.disableCoordinates() ? null : new Coordinates(name, log, random);
        this.members = new MemberTracker(config, clock, mc.maxNodes(), drops, log, this::emit,
                n -> {
                    if (coordinates != null) {
                        coordinates.forget(n);
                    }
                },
                lifecycle::alive, this::refuteLeave);
        this.userEvents = new UserEvents(config.eventBuffer(), UserEvents.DEFAULT_MAX_BYTES, drops.eventBuffer, log, this::emit);
        this.broadcasts = new SerfBroadcasts(config, members::size, log);
        this.queries = new Queries(config, clock, scheduler, random, drops, log, new MemberlistNetwork(() -> memberlist), members, broadcasts,
                tags::get, this::emit, lifecycle::shutDown);
        this.keyManager = new KeyManager(this);
        this.internalQueries = new InternalQueries(name, members, keyManager, scheduler, drops.internalQueries, log);
        this.conflicts = new NameConflicts(config, clock, scheduler, drops.conflicts, log,
                (q, payload) -> queries.send(q, payload, defaultQueryParams()), () -> memberlist.advertiseAddress(), this::shutdown);
        this.periodic = new PeriodicTasks(scheduler, log);
        this.reconnector = new Reconnector(members, random, scheduler, addrs -> memberlist.join(addrs), name,
                lifecycle::shutDown, log);
        this.intents = new MemberIntents(config, members, userEvents, broadcasts, scheduler, () -> memberlist);
        this.delegate = new SerfDelegate(config.protocolVersion(), tags::get, members, userEvents, queries, broadcasts, log);
        // One registry for the node: Serf's metrics and its memberlist's (Go's names, see serf.memberlist.metrics).
        this.metrics = new SerfMetrics(mc.metrics() != null ? mc.metrics() : new serf.memberlist.metrics.Metrics());
        members.metrics(metrics);
        userEvents.metrics(metrics);
        queries.metrics(metrics);
        delegate.metrics(metrics);
        broadcasts.metrics(metrics);
        if (coordinates != null) {
            coordinates.metrics(metrics);
        }
    }

    /**
     * Starts a node (Go's {@code serf.Create}): recovers the snapshot if configured, starts
     * memberlist with Serf's delegates and, with a snapshot, rejoins the nodes it recorded (in the
     * background). The node is alone until it {@link #join}s a cluster (or is joined).
     *
     * @param config the configuration; a copy is taken, so later changes to it have no effect
     * @return the running node; shut it down with {@link #shutdown()} or {@link #close()}
     * @throws IOException when memberlist cannot bind its address or the snapshot cannot be opened
     * @throws IllegalArgumentException when the configuration is invalid (the message says why)
     */
    public static Serf create(Config config) throws IOException {
        Config c = config.copy();
        c.validate();
        String tagsError = LocalTags.oversized(c.tags(), c.protocolVersion());
        if (tagsError != null) {
            throw new IllegalArgumentException(tagsError);
        }
        Serf s = new Serf(c);
        try {
            s.start();
        } catch (IOException | RuntimeException e) {
            s.shutdown();
            throw e;
        }
        return s;
    }

    private void start() throws IOException {
        // Clocks start at 1, then move past what a snapshot saw (so old events are not replayed).
        members.clock().increment();
        userEvents.clock().increment();
        queries.clock().increment();
        RecoveredState recovered = RecoveredState.EMPTY;
        if (!config.snapshotPath().isEmpty()) {
            SnapshotConfig sc = SnapshotConfig.defaults(Path.of(config.snapshotPath()), members.clock()::time)
                    .withRejoinAfterLeave(config.rejoinAfterLeave()).withLogger(log);
            snapshotter = Snapshotter.open(sc);
            recovered = snapshotter.recovered();
            members.clock().witness(recovered.lastClock());
            userEvents.clock().witness(recovered.lastEventClock());
            queries.clock().witness(recovered.lastQueryClock());
            userEvents.setMinTime(recovered.lastEventClock() + 1);
            queries.setMinTime(recovered.lastQueryClock() + 1);
        }
        pipeline = new EventPipeline(config, scheduler, clock, drops, log, snapshotter, internalQueries);

        serf.memberlist.MemberlistConfig mc = SerfMemberlistConfig.derive(config, delegate, members, conflicts, metrics,
                coordinates, ownsScheduler ? scheduler : null, clock, log);
        memberlist = Memberlist.create(mc);
        broadcasts.onQueued(memberlist::broadcastQueued); // wakes memberlist's idle gossip for Serf's messages

        periodic.every("reaper", config.reapInterval(), members::reap);
        periodic.every("reconnect", config.reconnectInterval(), reconnector::round);
        periodic.every("queue-check", config.queueCheckInterval(), broadcasts::checkDepths);
        if (!recovered.aliveNodes().isEmpty()) {
            reconnector.rejoin(recovered.shuffledAliveNodes(mc.random()));
        }
    }

    /** Someone force-left us while we are alive: answer with a fresh join intent. */
    private void refuteLeave() {
        intents.refuteLeave();
    }

    private void emit(Event e) {
        EventPipeline p = pipeline;
        if (p != null) {
            p.emit(e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Public API
    // ------------------------------------------------------------------------------------------

    /** {@return a copy of the configuration the node runs with} */
    public Config config() {
        return config.copy();
    }

    /** {@return the node's lifecycle state (Go's {@code State})} */
    public SerfState state() {
        return lifecycle.state();
    }

    /** {@return the memberlist underneath (Go's {@code Memberlist}), for its lower-level API} */
    public Memberlist memberlist() {
        return memberlist;
    }

    /**
     * {@return this node's metrics} Go serf's ({@code serf.member.join}, {@code serf.events.<name>}, ...)
     * and its memberlist's, in one registry (see {@link serf.memberlist.metrics}).
     */
    public serf.memberlist.metrics.Metrics metrics() {
        return metrics.registry;
    }

    /** {@return the Serf protocol version this node speaks (Go's {@code ProtocolVersion})} */
    public int protocolVersion() {
        return config.protocolVersion();
    }

    /** {@return whether gossip is encrypted: memberlist has a keyring with a key (Go's {@code EncryptionEnabled})} */
    public boolean encryptionEnabled() {
        return memberlist != null && memberlist.encryptionEnabled();
    }

    /** {@return the cluster-wide key rotation API (Go's {@code KeyManager})} */
    public KeyManager keyManager() {
        return keyManager;
    }

    /** {@return every member Serf knows, failed and left ones included until reaped (Go's {@code Members})} */
    public List<Member> members() {
        return members.members();
    }

    /**
     * How many members this node knows (Go's {@code NumMembers}): alive, leaving, failed and left
     * ones until they are reaped, this node included. The same number as {@code members} in
     * {@link #stats()}; memberlist's {@link Memberlist#numMembers()} counts only live nodes.
     *
     * @return the number of entries {@link #members()} would return
     */
    public int numMembers() {
        return members.size();
    }

    /** {@return this node as a member (Go's {@code LocalMember})} */
    public Member localMember() {
        Member m = members.member(config.nodeName());
        return m != null ? m : new Member(config.nodeName(), memberlist.advertiseAddress().getAddress(),
                memberlist.advertiseAddress().getPort(), tags.get(), MemberStatus.ALIVE, 1, 5, 2,
                PROTOCOL_VERSION_MIN, PROTOCOL_VERSION_MAX, config.protocolVersion());
    }

    /** {@return the local node's tags} */
    public Map<String, String> tags() {
        return tags.get();
    }

    /**
     * Joins a cluster through one or more of its members (Go's {@code Join}): a push/pull with each
     * address, then a join message gossiped to the cluster.
     *
     * @param existing  addresses of members, each {@code [name/]host[:port]} (port 7946 when none);
     *                  the name is needed when the memberlist config requires node names
     * @param ignoreOld whether to skip the user events the cluster sent before this join
     * @return how many addresses were contacted successfully
     * @throws SerfException when none could be contacted (the message lists why), or the node left or shut down
     */
    public int join(List<String> existing, boolean ignoreOld) throws SerfException {
        if (!lifecycle.alive()) {
            throw new SerfException("Serf can't Join after Leave or Shutdown");
        }
        return intents.join(existing, ignoreOld);
    }

    /**
     * Changes the local node's tags and gossips them (Go's {@code SetTags}), waiting up to the
     * broadcast timeout for the update to go out.
     *
     * @param newTags the complete new set of tags
     * @throws SerfException when the encoded tags exceed 512 bytes or the broadcast timed out
     */
    public void setTags(Map<String, String> newTags) throws SerfException {
        tags.set(newTags, memberlist, config.broadcastTimeout());
    }

    /**
     * Sends a user event to the cluster (Go's {@code UserEvent}); it is delivered to this node too.
     *
     * @param name     the event's name
     * @param payload  its payload, or null
     * @param coalesce whether receivers that coalesce user events may deliver only the newest of this name
     * @throws SerfException when name plus payload exceed {@link Config#userEventSizeLimit()} (or
     *                       Go's hard limit of {@value Config#USER_EVENT_SIZE_HARD_LIMIT} bytes)
     */
    public void userEvent(String name, byte[] payload, boolean coalesce) throws SerfException {
        broadcasts.event(userEvents.originate(name, payload, coalesce, config.userEventSizeLimit()));
    }

    /** {@return default query parameters: no filters, no acks, the {@link #defaultQueryTimeout()}} */
    public QueryParam defaultQueryParams() {
        return QueryParam.defaults().withTimeout(defaultQueryTimeout());
    }

    /**
     * The timeout of a query that sets none (Go's {@code DefaultQueryTimeout}).
     *
     * @return GossipInterval × QueryTimeoutMult × ceil(log10(N + 1)), N being memberlist's live members
     */
    public Duration defaultQueryTimeout() {
        return queries.defaultTimeout();
    }

    /**
     * Sends a query to the cluster (Go's {@code Query}); acks and responses arrive on the returned
     * {@link QueryResponse}, which also says which nodes the filters matched and can return as soon
     * as they answered. This node processes the query too, if its filters match it.
     *
     * @param name    the query's name
     * @param payload its payload, or null
     * @param params  filters, acks, relays, timeout and early close; null for {@link #defaultQueryParams()}
     * @return the collector of answers; close it when no more are wanted
     * @throws SerfException when the protocol version is below 4, the query exceeds
     *                       {@link Config#querySizeLimit()}, or too many queries are open
     */
    public QueryResponse query(String name, byte[] payload, QueryParam params) throws SerfException {
        if (config.protocolVersion() < 4) {
            throw new SerfException("Feature not supported");
        }
        return queries.send(name, payload, params == null ? defaultQueryParams() : params);
    }

    /**
     * Force-leave (Go's {@code RemoveFailedNode}): marks a failed node as left in the whole cluster,
     * so nobody reconnects to it any more; it is reaped after the tombstone timeout.
     *
     * @param node the failed node's name
     * @throws SerfException when the message could not be gossiped within the broadcast timeout
     */
    public void removeFailedNode(String node) throws SerfException {
        intents.forceLeave(node, false);
    }

    /**
     * Force-leave with prune (Go's {@code RemoveFailedNodePrune}): as {@link #removeFailedNode}, and
     * every node also erases it from its member list at once.
     *
     * @param node the failed node's name
     * @throws SerfException when the message could not be gossiped within the broadcast timeout
     */
    public void removeFailedNodePrune(String node) throws SerfException {
        intents.forceLeave(node, true);
    }

    /**
     * Leaves gracefully (Go's {@code Leave}): gossips a leave message and waits for it to go out,
     * leaves memberlist, then stays up for {@link Config#leavePropagateDelay()} so that the cluster
     * learns of it before this node stops answering; the state becomes {@link SerfState#LEFT}. It
     * does not shut the node down: call {@link #shutdown()} (or {@link #close()}) after.
     *
     * <p>As in Go, a failure is the caller's: when the leave message or memberlist's leave could not
     * be sent within {@link Config#broadcastTimeout()}, this throws and stops there; the state stays
     * {@link SerfState#LEAVING} (another leave is refused) and the other nodes may see a failure
     * instead of a leave once the node shuts down.
     *
     * @throws SerfException "timeout while waiting for graceful leave", memberlist's timeout,
     *                       "Leave already in progress", or "Leave called after Shutdown"
     */
    public void leave() throws SerfException {
        if (!lifecycle.beginLeave()) {
            return;
        }
        if (snapshotter != null) {
            snapshotter.leave();
        }
        // As Go's Leave: a failure ends the leave here and is the caller's to handle (the state stays
        // LEAVING, so a second leave() is refused; shutdown() still works).
        intents.leaveSelf();
        try {
            memberlist.leave(config.broadcastTimeout());
        } catch (IOException | IllegalStateException e) {
            throw new SerfException(e.getMessage(), e);
        }
        lifecycle.awaitPropagation(scheduler, config.leavePropagateDelay());
        lifecycle.finishLeave();
    }

    /**
     * Stops everything without leaving (Go's {@code Shutdown}): memberlist, timers, the snapshot,
     * and the event delivery (which waits up to 5 seconds for a slow sink to take what is queued;
     * what is left then is counted in {@link DropCounts#eventsUndelivered()}). Other nodes see a
     * failure unless {@link #leave()} came first. Idempotent.
     */
    public void shutdown() {
        if (!lifecycle.beginShutdown()) {
            return;
        }
        periodic.cancelAll();
        if (memberlist != null) {
            memberlist.shutdown();
        }
        conflicts.shutdown();
        queries.closeAll();
        internalQueries.shutdown();
        if (snapshotter != null) {
            snapshotter.close();
        }
        if (pipeline != null) {
            pipeline.shutdown();
        }
        if (ownsScheduler) {
            scheduler.close();
        }
        lifecycle.shutdownComplete();
    }

    /**
     * The same as {@link #shutdown()}, for try-with-resources. Like Go's {@code Shutdown} it does
     * <em>not</em> leave: the other nodes see this one fail (and try to reconnect to it for
     * {@link Config#reconnectTimeout}). Call {@link #leave()} first for a graceful exit:
     * <pre>{@code
     * try (Serf serf = Serf.create(config)) {
     *     serf.join(List.of("10.0.0.1:7946"), false);
     *     ...
     *     serf.leave();
     * } // shut down here, even when something above threw
     * }</pre>
     */
    @Override
    public void close() {
        shutdown();
    }

    /** {@return a future completed when the node has shut down (by {@link #shutdown()} or a lost name conflict; Go's {@code ShutdownCh})} */
    public CompletableFuture<Void> shutdownFuture() {
        return lifecycle.shutdownFuture();
    }

    /**
     * Go's {@code Stats()}, every value a string: {@code members}, {@code failed}, {@code left},
     * {@code health_score}, {@code member_time}, {@code event_time}, {@code query_time},
     * {@code intent_queue}, {@code event_queue}, {@code query_queue}, {@code encrypted},
     * {@code coordinate_resets} (when coordinates are on); then ours: {@code member_flaps} (failed
     * members back within {@link Config#flapTimeout()}), the drop counters of {@link DropCounts}
     * and memberlist's counters, prefixed {@code memberlist_}.
     *
     * @return a new map, in a stable order
     */
    public Map<String, String> stats() {
        return SerfStats.collect(members, userEvents, queries, broadcasts, memberlist, coordinates, dropCounts());
    }

    /** {@return what this node dropped or refused because a bound was reached (also in {@link #stats()})} */
    public DropCounts dropCounts() {
        EventPipeline p = pipeline;
        return drops.counts(snapshotter == null ? 0 : snapshotter.droppedEvents(), p == null ? 0 : p.undelivered());
    }

    /** {@return this node's network coordinate; empty when coordinates are disabled (Go's {@code GetCoordinate})} */
    public Optional<Coordinate> getCoordinate() {
        return coordinates == null ? Optional.empty() : Optional.of(coordinates.local());
    }

    /**
     * The last coordinate seen for a node (Go's {@code GetCachedCoordinate}).
     *
     * @param node the node's name
     * @return its coordinate; empty if none was seen (or coordinates are disabled)
     */
    public Optional<Coordinate> getCachedCoordinate(String node) {
        return coordinates == null ? Optional.empty() : coordinates.cached(node);
    }

    // ------------------------------------------------------------------------------------------
    // Package-private: for KeyManager and for tests that play memberlist's part
    // ------------------------------------------------------------------------------------------

    System.Logger log() {
        return log;
    }

    Config rawConfig() {
        return config;
    }

    SerfDelegate delegate() {
        return delegate;
    }

    MemberTracker memberTracker() {
        return members;
    }

    NameConflicts nameConflicts() {
        return conflicts;
    }
}
