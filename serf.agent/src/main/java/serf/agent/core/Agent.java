package serf.agent.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import serf.agent.config.AddrParts;
import serf.agent.config.AgentConfig;
import serf.agent.config.AgentConfigValidator;
import serf.agent.config.TagsFile;
import serf.api.Config;
import serf.api.Serf;
import serf.api.SerfException;
import serf.agent.handler.EventHandlerRunner;
import serf.agent.handler.EventScript;
import serf.crypto.Keyring;

/**
 * A running {@code serf agent}: Serf configured from the agent's settings, the RPC server, the
 * event handlers and IPC streams fed by one event loop, retry-join, and the tags file.
 */
public final class Agent implements AgentBackend {
    private final AgentConfig config;
    private final AgentLog log;
    private final EventHub events;
    private final Serf node;
    private final EventHandlerRunner handlers;
    private RpcServer rpc;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Opened by stop() or by Serf's own shutdown: what awaitStop() waits for. */
    private final CountDownLatch wake = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Map<String, String> handlerStats;
    private volatile int exitCode;
    /** Null without a snapshot. */
    private volatile HandledEventClock handledClock;
    /** SRV names in join addresses (OperatorFeatures); closed with the agent: syslog, mDNS. */
    private volatile serf.agent.discovery.SrvResolver srv = serf.agent.discovery.SrvResolver.system();
    private final java.util.List<AutoCloseable> closeOnStop = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<java.util.function.Supplier<Map<String, String>>> extraStats =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private Agent(AgentConfig config, AgentLog log, Serf serf, EventHub events, EventHandlerRunner handlers) {
        this.config = config;
        this.handlers = handlers;
        this.events = events;
        this.log = log;
        this.node = serf;
        this.handlerStats = handlerStats(config.eventHandlers());
    }

    /**
     * Starts Serf (and only Serf: call {@link #startRpc()} next). {@code handlers} receives every
     * event before the IPC streams, in order.
     */
    public static Agent create(AgentConfig cfg, AgentConfigValidator.Startup startup, AgentLog log,
                               EventHandlerRunner handlers) throws IOException {
        return create(cfg, startup, log, handlers, null);
    }

    /** As {@link #create(AgentConfig, AgentConfigValidator.Startup, AgentLog, EventHandlerRunner)}, the node reporting to {@code metrics}. */
    public static Agent create(AgentConfig cfg, AgentConfigValidator.Startup startup, AgentLog log,
                               EventHandlerRunner handlers, serf.memberlist.metrics.Metrics metrics) throws IOException {
        Config sc = serfConfig(cfg, startup);
        if (metrics != null) {
            sc.memberlistConfig().metrics(metrics);
        }
        EventHub hub = new EventHub();
        // One event loop, as in Go, except that the handler scripts get each event through their
        // runner's bounded queue instead of on this thread: a slow script (Go's would hold back every
        // later event and, behind Serf's buffer, the protocol) delays only the events queued behind it;
        // when that queue is full what is dropped is counted (stats: limits.event_handler_dropped).
        sc.eventSink(e -> {
            log.log(LogLevel.INFO, "agent: Received event: " + eventString(e));
            handlers.accept(e);
            hub.accept(e);
        });
        if (!cfg.keyringFile().isEmpty() && !startup.keyring().isEmpty()) {
            log.log(LogLevel.INFO, "agent: Restored keyring with " + startup.keyring().size() + " keys from "
                    + cfg.keyringFile());
        }
        log.log(LogLevel.INFO, "agent: Serf agent starting");
        HandledEventClock handled = null;
        if (!cfg.snapshotPath().isEmpty()) {
            handled = HandledEventClock.open(Path.of(cfg.snapshotPath()), cfg.rejoinAfterLeave(), log);
            handlers.userEventLedger(handled);
        }
        Serf serf;
        try {
            serf = Serf.create(sc);
        } catch (IOException | RuntimeException e) {
            if (handled != null) {
                handled.close();
            }
            throw e;
        }
        Agent agent = new Agent(cfg, log, serf, hub, handlers);
        agent.handledClock = handled;
        return agent;
    }

    /** Go's {@code Event.String()}: {@code member-join}, {@code user-event: NAME}, {@code query: NAME}. */
    static String eventString(serf.api.Event e) {
        return switch (e) {
            case serf.api.Event.MemberEvent m -> m.type().toString();
            case serf.api.Event.UserEvent u -> "user-event: " + u.name();
            case serf.api.Query q -> "query: " + q.name();
        };
    }

    /** Go's {@code %v} of a string slice: {@code [a b c]}. */
    static String goList(List<String> l) {
        return "[" + String.join(" ", l) + "]";
    }

    /** Serf's configuration from the agent's (already validated: Go's errors were printed before). */
    static Config serfConfig(AgentConfig cfg, AgentConfigValidator.Startup startup) {
        serf.memberlist.MemberlistConfig mc = switch (cfg.profile()) {
            case "wan" -> serf.memberlist.MemberlistConfig.wan();
            case "local" -> serf.memberlist.MemberlistConfig.local();
            default -> serf.memberlist.MemberlistConfig.lan();
        };
        mc.name(cfg.nodeName()).bindAddr(startup.bind().ip()).bindPort(startup.bind().port())
                .advertisePort(startup.bind().port()).enableCompression(cfg.enableCompression());
        // One node per process: the timer thread and the transport's datagram reader and acceptor are
        // platform threads, which wake for less CPU than virtual ones (see LoopThreads).
        mc.loopThreads(serf.memberlist.transport.LoopThreads.PLATFORM);
        startup.advertise().ifPresent(adv -> mc.advertiseAddr(adv.ip()).advertisePort(adv.port()));
        if (!startup.keyring().isEmpty()) {
            List<byte[]> keys = startup.keyring();
            mc.keyring(Keyring.of(keys.subList(1, keys.size()), keys.get(0)));
        } else if (startup.encryptKey().length > 0) {
            mc.secretKey(startup.encryptKey());
        }
        Config sc = Config.defaults().nodeName(cfg.nodeName()).memberlistConfig(mc)
                .protocolVersion(startup.protocol())
                .tags(startup.tags())
                .coalescePeriod(Duration.ofSeconds(3)).quiescentPeriod(Duration.ofSeconds(1))
                .userCoalescePeriod(Duration.ofSeconds(3)).userQuiescentPeriod(Duration.ofSeconds(1))
                .enableNameConflictResolution(!cfg.disableNameResolution())
                .disableCoordinates(cfg.disableCoordinates())
                .snapshotPath(cfg.snapshotPath())
                .rejoinAfterLeave(cfg.rejoinAfterLeave())
                .queryResponseSizeLimit((int) cfg.queryResponseSizeLimit())
                .querySizeLimit((int) cfg.querySizeLimit())
                .userEventSizeLimit((int) cfg.userEventSizeLimit())
                .keyringFile(cfg.keyringFile());
        if (isPositive(cfg.reconnectInterval())) {
            sc.reconnectInterval(cfg.reconnectInterval());
        }
        if (isPositive(cfg.reconnectTimeout())) {
            sc.reconnectTimeout(cfg.reconnectTimeout());
        }
        if (isPositive(cfg.tombstoneTimeout())) {
            sc.tombstoneTimeout(cfg.tombstoneTimeout());
        }
        if (isPositive(cfg.broadcastTimeout())) {
            sc.broadcastTimeout(cfg.broadcastTimeout());
        }
        return sc;
    }

    private static boolean isPositive(Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }

    /** The handlers as {@code stats} lists them: Go's "<event>:<name>" key of each filter, to its script. */
    static Map<String, String> handlerStats(List<String> handlers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EventScript script : EventScript.parseAll(handlers)) {
            out.put(script.filter().statsKey(), script.script());
        }
        return out;
    }

    /** Starts the RPC listener on the configured address. */
    public void startRpc() throws IOException {
        startRpc(RpcLimits.defaults());
    }

    /** Starts the RPC listener with the given bounds (tests use small ones). */
    void startRpc(RpcLimits limits) throws IOException {
        AddrParts rpcAddr = AddrParts.parse(config.rpcAddr());
        rpc = new RpcServer(this, new InetSocketAddress(InetAddress.getByName(rpcAddr.ip()), rpcAddr.port()), limits);
    }

    /** The RPC server (tests look at its timer and counters). */
    RpcServer rpcServer() {
        return rpc;
    }

    public InetSocketAddress rpcAddress() {
        return rpc.address();
    }

    /**
     * Joins the start_join addresses; Go aborts the agent when this fails. Unlike Go, a join that
     * failed only because the peers were there but too busy to answer is tried again, after a random
     * pause, for up to {@value BusyPeers#BUDGET_TCP_TIMEOUTS} TCP timeouts ({@link BusyPeers}; each
     * attempt said on the console); any other failure fails at once.
     */
    public int startJoin() throws SerfException {
        log.info("==> Joining cluster...(replay: " + config.replayOnJoin() + ")");
        java.time.Duration tcpTimeout = node.config().memberlistConfig().tcpTimeout();
        long deadline = System.nanoTime() + BusyPeers.budget(tcpTimeout).toNanos();
        int n;
        for (int attempt = 1; ; attempt++) {
            try {
                n = join(config.startJoin(), config.replayOnJoin());
                break;
            } catch (SerfException e) {
                java.time.Duration pause = BusyPeers.pause(tcpTimeout, java.util.concurrent.ThreadLocalRandom.current());
                long left = deadline - System.nanoTime();
                if (!BusyPeers.only(e.getMessage()) || left - pause.toNanos() <= 0) {
                    throw e;
                }
                // On the console at once (the log is gated until the join is done, and an agent that
                // gives up exits before that): whoever started it sees why it takes long.
                log.info("    Join attempt " + attempt + ": the peers did not answer in time, trying again for up to "
                        + Math.max(1, left / 1_000_000_000L) + " s");
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        log.info("    Join completed. Synced with " + n + " initial agents");
        return n;
    }

    /** Go's Agent.Join: serf join with the agent's log lines around it. */
    @Override
    public int join(List<String> addrs, boolean replay) throws SerfException {
        log.log(LogLevel.INFO, "agent: joining: " + goList(addrs) + " replay: " + replay);
        try {
            int n = node.join(expandSrv(addrs), !replay);
            if (n > 0) {
                log.log(LogLevel.INFO, "agent: joined: " + n + " nodes");
            }
            return n;
        } catch (SerfException e) {
            log.log(LogLevel.WARN, "agent: error joining: " + e.getMessage());
            throw e;
        }
    }

    /** Join addresses with SRV names resolved; fails when none is left but there were some. */
    private List<String> expandSrv(List<String> addrs) throws SerfException {
        if (addrs.stream().noneMatch(serf.agent.discovery.SrvResolver::isSrvName)) {
            return addrs;
        }
        List<String> failures = new java.util.ArrayList<>();
        List<String> out = srv.expand(addrs, failures);
        failures.forEach(f -> log.log(LogLevel.WARN, "agent: " + f));
        log.log(LogLevel.DEBUG, "agent: join addresses after SRV lookups: " + goList(out));
        if (out.isEmpty()) {
            throw new SerfException(String.join("; ", failures));
        }
        return out;
    }

    /** Sets how SRV names in join addresses are looked up. */
    void srvResolver(serf.agent.discovery.SrvResolver resolver) {
        this.srv = resolver;
    }

    /** Closes {@code c} when the agent stops, after its last log line. */
    void closeOnStop(AutoCloseable c) {
        closeOnStop.add(c);
    }

    /** Adds counters to the {@code limits} section of stats. */
    void addStats(java.util.function.Supplier<Map<String, String>> stats) {
        extraStats.add(stats);
    }

    @Override
    public void forceLeave(String nodeName, boolean prune) throws SerfException {
        log.log(LogLevel.INFO, "agent: Force leaving node" + (prune ? " (prune): " : ": ") + nodeName);
        try {
            if (prune) {
                node.removeFailedNodePrune(nodeName);
            } else {
                node.removeFailedNode(nodeName);
            }
        } catch (SerfException e) {
            log.log(LogLevel.WARN, "agent: failed to remove node" + (prune ? " (prune): " : ": ") + e.getMessage());
            throw e;
        }
    }

    @Override
    public void userEvent(String name, byte[] payload, boolean coalesce) throws SerfException {
        log.log(LogLevel.DEBUG, "agent: Requesting user event send: " + name + ". Coalesced: " + coalesce
                + ". Payload: " + serf.agent.internal.GoText.quote(payload == null ? new byte[0] : payload));
        try {
            node.userEvent(name, payload, coalesce);
        } catch (SerfException e) {
            log.log(LogLevel.WARN, "agent: failed to send user event: " + e.getMessage());
            throw e;
        }
    }

    @Override
    public serf.api.QueryResponse query(String name, byte[] payload, serf.api.QueryParam params) throws SerfException {
        if (name.startsWith("_serf_") && !(name.equals("_serf_ping") && payload == null)) {
            throw new SerfException("Queries cannot contain the '_serf_' prefix");
        }
        log.log(LogLevel.DEBUG, "agent: Requesting query send: " + name + ". Payload: "
                + serf.agent.internal.GoText.quote(payload == null ? new byte[0] : payload));
        try {
            return node.query(name, payload, params);
        } catch (SerfException e) {
            log.log(LogLevel.WARN, "agent: failed to start user query: " + e.getMessage());
            throw e;
        }
    }

    /** Keeps joining retry_join until it works (or retry_max attempts fail: then the agent stops with 1). */
    public void startRetryJoin() {
        if (config.retryJoin().isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("agent-retry-join").start(() -> {
            long attempt = 0;
            while (stopped.getCount() > 0) {
                attempt++;
                try {
                    int n = join(config.retryJoin(), config.replayOnJoin());
                    log.log(LogLevel.INFO, "agent: Join completed. Synced with " + n + " initial agents");
                    return;
                } catch (SerfException e) {
                    log.log(LogLevel.WARN, "agent: Join failed: " + e.getMessage() + ", retrying in " + serf.agent.internal.GoDuration.format(config.retryInterval()));
                }
                if (config.retryMaxAttempts() > 0 && attempt >= config.retryMaxAttempts()) {
                    log.log(LogLevel.ERR, "agent: max join retry exhausted, exiting");
                    exitCode = 1;
                    stop();
                    return;
                }
                try {
                    if (stopped.await(config.retryInterval().toNanos(), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Replaces the event-handler list shown by {@code stats} (after a reload). */
    public void setHandlerStats(List<String> handlers) {
        this.handlerStats = handlerStats(handlers);
    }

    /** Blocks until the agent stops (RPC leave, lost name conflict, retry-join exhausted, {@link #stop()}). */
    public int awaitStop() throws InterruptedException {
        // Woken by stop() or by Serf shutting down by itself, without a timed poll: five wake-ups a
        // second cost an idle agent under the interpreter 0.6 ms of CPU per second (docs/benchmarks.md,
        // "Idle CPU of the agent"). The callback only counts down: stop() runs here, not on Serf's thread.
        node.shutdownFuture().whenComplete((v, e) -> wake.countDown());
        wake.await();
        if (stopped.getCount() > 0) {
            if (!stopping.get()) {
                log.log(LogLevel.WARN, "agent: Serf shutdown detected, quitting");
            }
            stop(); // returns at once while another thread is stopping the agent: wait for it below
        }
        stopped.await();
        return exitCode;
    }

    /** Shuts everything down (without leaving). Idempotent. */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        if (rpc != null) {
            rpc.close();
        }
        log.log(LogLevel.INFO, "agent: requesting serf shutdown");
        node.shutdown();
        if (handledClock != null) {
            handledClock.close();
        }
        log.log(LogLevel.INFO, "agent: shutdown complete");
        for (AutoCloseable c : closeOnStop) {
            try {
                c.close();
            } catch (Exception e) {
                // stopping anyway
            }
        }
        stopped.countDown();
        wake.countDown();
    }

    // ---- AgentBackend ----

    @Override
    public Serf serf() {
        return node;
    }

    @Override
    public String rpcAuthKey() {
        return config.rpcAuthKey();
    }

    @Override
    public AgentLog log() {
        return log;
    }

    @Override
    public EventHub events() {
        return events;
    }

    @Override
    public Map<String, String> eventHandlerStats() {
        return handlerStats;
    }

    @Override
    public Map<String, String> limitStats() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("event_handler_queued", Integer.toString(handlers.queued()));
        m.put("event_handler_dropped", Long.toString(handlers.dropped()));
        extraStats.forEach(s -> m.putAll(s.get()));
        return m;
    }

    @Override
    public void setTags(Map<String, String> tags) throws Exception {
        if (!config.tagsFile().isEmpty()) {
            try {
                TagsFile.write(Path.of(config.tagsFile()), tags);
            } catch (IOException e) {
                throw new IOException("Failed to write tags file: " + e.getMessage(), e);
            }
        }
        node.setTags(tags);
    }

    @Override
    public void leave() throws Exception {
        log.log(LogLevel.INFO, "agent: requesting graceful leave from Serf");
        node.leave();
    }

    @Override
    public void shutdownAfterLeave() {
        exitCode = 0;
        Thread.ofVirtual().start(this::stop);
    }
}
