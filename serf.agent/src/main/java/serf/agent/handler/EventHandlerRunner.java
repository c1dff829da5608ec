package serf.agent.handler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import serf.agent.internal.DropRun;
import serf.api.Event;
import serf.api.Member;
import serf.api.QueryException;

/**
 * The agent's event-handler stage, as the Go agent's script handler behaves: for each event, every
 * configured (filter, script) pair that matches runs, one after the other in configuration order,
 * each waited for; scripts never run concurrently with each other. A query is answered with the
 * output of a script that exits 0 having written something (Serf keeps the first answer).
 *
 * <p>{@link #accept} queues the event (bounded, {@link #DEFAULT_QUEUE} deep) for the runner's one
 * virtual thread, which handles events in arrival order, so a slow script delays only the events
 * behind it; when the queue stays full for the block timeout the event is dropped and counted, and
 * logged once per run of drops (a warning when drops start, a summary when events get through again). {@link #handle} does the same work on the
 * caller's thread, which reproduces Go's behaviour of blocking the agent's event loop while scripts
 * run. {@link #updateScripts} (SIGHUP) takes effect at the next event. {@link #close} stops the
 * thread and kills a script still running after a grace period.
 *
 * <p>Log lines (through {@link System.Logger} {@code serf.agent.handler}) use the Go agent's texts:
 * {@code agent: Error invoking script '<script>': exit status 1}, {@code agent: Event 'user' script
 * output: ...} (debug), {@code agent: Failed to respond to query 'query: x': ...},
 * {@code agent: Script '<script>' slow, execution exceeding 1s}.
 *
 * <p>Thread-safe.
 */
public final class EventHandlerRunner implements Consumer<Event>, AutoCloseable {

    /** Queue depth of {@link #accept}; Go's agent event channel holds 64, Serf buffers more before it. */
    public static final int DEFAULT_QUEUE = 1024;

    /** How long {@link #accept} waits for room before dropping an event. */
    public static final Duration DEFAULT_BLOCK_TIMEOUT = Duration.ofSeconds(5);

    /** How long {@link #close} lets a running script finish before killing it. */
    public static final Duration CLOSE_GRACE = Duration.ofSeconds(3);

    private static final System.Logger DEFAULT_LOG = System.getLogger("serf.agent.handler");
    private static final ScriptEvent STOP = new ScriptEvent.Members("stop", List.of());

    private final System.Logger log;
    private final Supplier<Member> self;
    private final ScriptInvoker invoker;
    private final BlockingQueue<ScriptEvent> queue;
    private volatile UserEventLedger ledger;
    private final Duration blockTimeout;
    private final int queueDepth;
    private final AtomicReference<List<EventScript>> pending = new AtomicReference<>();
    private final ReentrantLock runLock = new ReentrantLock();
    private final DropRun drops = new DropRun();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Thread thread;
    private volatile List<EventScript> scripts;
    private volatile boolean closed;

    /**
     * @param scripts      the configured handlers (see {@link EventScript#parseAll}); invalid ones are refused
     * @param self         the local member at the time of each event (name and tags for the environment)
     * @param invoker      how scripts are run
     * @param queueDepth   events {@link #accept} may hold
     * @param blockTimeout how long {@link #accept} waits for room before dropping an event
     */
    public EventHandlerRunner(List<EventScript> scripts, Supplier<Member> self, ScriptInvoker invoker, int queueDepth,
                              Duration blockTimeout) {
        this(scripts, self, invoker, queueDepth, blockTimeout, DEFAULT_LOG);
    }

    /** With a logger of the caller's choosing (tests). */
    EventHandlerRunner(List<EventScript> scripts, Supplier<Member> self, ScriptInvoker invoker, int queueDepth,
                       Duration blockTimeout, System.Logger log) {
        this.log = Objects.requireNonNull(log, "log");
        this.scripts = checked(scripts);
        this.self = Objects.requireNonNull(self, "self");
        this.invoker = Objects.requireNonNull(invoker, "invoker");
        if (queueDepth <= 0) {
            throw new IllegalArgumentException("queueDepth must be positive");
        }
        this.queue = new ArrayBlockingQueue<>(queueDepth);
        this.queueDepth = queueDepth;
        this.blockTimeout = Objects.requireNonNull(blockTimeout, "blockTimeout");
        this.thread = Thread.ofVirtual().name("serf-event-handlers").start(this::loop);
    }

    /** Go's behaviour: the platform shell, 8 KiB of output, no timeout; the default queue. */
    public EventHandlerRunner(List<EventScript> scripts, Supplier<Member> self) {
        this(scripts, self, new ScriptInvoker(), DEFAULT_QUEUE, DEFAULT_BLOCK_TIMEOUT);
    }

    private static List<EventScript> checked(List<EventScript> scripts) {
        List<EventScript> copy = List.copyOf(scripts);
        for (EventScript s : copy) {
            if (!s.valid()) {
                throw new IllegalArgumentException("Invalid event script: " + s);
            }
        }
        return copy;
    }

    /** Queues a Serf event for the scripts; returns at once unless the queue is full. */
    @Override
    public void accept(Event event) {
        submit(ScriptEvent.of(event));
    }

    /**
     * Queues an event; waits up to the block timeout for room, then drops it (logged, counted).
     *
     * @return whether it was queued
     */
    public boolean submit(ScriptEvent event) {
        Objects.requireNonNull(event, "event");
        if (closed) {
            return false;
        }
        try {
            if (queue.offer(event, blockTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                // The run of drops ends once the scripts have caught up (a quarter full), not at the first
                // free slot, or a slow script would start and end a run (two log lines) per event.
                long missed = queue.size() <= queueDepth / 4 + 1 ? drops.passed() : 0;
                if (missed > 0) {
                    log.log(System.Logger.Level.WARNING, "agent: Event handlers are keeping up again; dropped "
                            + missed + " events");
                }
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drops.dropped()) {
            // Once per run of drops (a summary follows when events get through again).
            log.log(System.Logger.Level.WARNING, "agent: Event handlers are not keeping up, dropped event: "
                    + event.description());
        }
        return false;
    }

    /** Runs the matching scripts for a Serf event on the calling thread, as Go's event loop does. */
    public void handle(Event event) throws InterruptedException {
        handle(ScriptEvent.of(event));
    }

    /** Runs the matching scripts for an event on the calling thread, one after the other. */
    public void handle(ScriptEvent event) throws InterruptedException {
        runLock.lockInterruptibly();
        try {
            List<EventScript> next = pending.getAndSet(null);
            if (next != null) {
                scripts = next;
            }
            UserEventLedger book = ledger;
            if (book != null && event instanceof ScriptEvent.User u && book.alreadyHandled(u)) {
                // Delivered again after a restart (the snapshot's event clock was set back to take
                // unhandled events at the same Lamport time): its scripts finished in the last run.
                skipped.incrementAndGet();
                handled.incrementAndGet();
                log.log(System.Logger.Level.INFO, "agent: Not running handlers again for " + event.description()
                        + " at Lamport time " + Long.toUnsignedString(u.lTime()) + ": they finished before the restart");
                return;
            }
            Member me = self.get();
            for (EventScript script : scripts) {
                if (!script.filter().matches(event.type(), event.name())) {
                    continue;
                }
                invoke(script, event, me);
            }
            handled.incrementAndGet();
            if (book != null && event instanceof ScriptEvent.User u) {
                book.handled(u);
            }
        } finally {
            runLock.unlock();
        }
    }

    private void invoke(EventScript script, ScriptEvent event, Member me) throws InterruptedException {
        ScriptResult result;
        try {
            result = invoker.run(script.script(), ScriptEnvironment.of(event, me), event.stdin(),
                    !(event instanceof ScriptEvent.Members));
        } catch (IOException e) {
            log.log(System.Logger.Level.ERROR, "agent: Error invoking script '" + script.script() + "': " + e.getMessage());
            return;
        }
        log.log(System.Logger.Level.DEBUG, () -> "agent: Event '" + event.type() + "' script output: "
                + new String(result.output(), StandardCharsets.UTF_8));
        if (!result.succeeded()) {
            log.log(System.Logger.Level.ERROR, "agent: Error invoking script '" + script.script() + "': "
                    + result.errorText());
            return;
        }
        if (event instanceof ScriptEvent.QueryEvent q && result.totalWritten() > 0) {
            try {
                q.responder().respond(result.output());
            } catch (QueryException | RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "agent: Failed to respond to query '" + event.description()
                        + "': " + e.getMessage());
            }
        }
    }

    /**
     * Asked before each user event whether its scripts already finished in an earlier run (then they
     * are skipped), and told once they have finished (or it matched none), on the thread that ran
     * them; the agent keeps it beside the snapshot (core.HandledEventClock).
     */
    public void userEventLedger(UserEventLedger ledger) {
        this.ledger = ledger;
    }

    /** User events whose scripts were not run because the ledger said they had finished before a restart. */
    public long skippedAlreadyHandled() {
        return skipped.get();
    }

    /** Replaces the handlers (SIGHUP reload); the new list is used from the next event on. */
    public void updateScripts(List<EventScript> newScripts) {
        pending.set(checked(newScripts));
    }

    /** The handlers in use (a pending update not yet applied is not included). */
    public List<EventScript> scripts() {
        return scripts;
    }

    /** Events dropped by {@link #accept} because the queue stayed full. */
    public long dropped() {
        return drops.total();
    }

    /** Events fully handled so far (those skipped as handled before a restart included). */
    public long handled() {
        return handled.get();
    }

    /** Events waiting in the queue. */
    public int queued() {
        return queue.size();
    }

    /**
     * Stops taking events, discards queued ones, lets a running script finish for up to
     * {@link #CLOSE_GRACE}, then kills it. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ScriptEvent> discarded = new ArrayList<>();
        queue.drainTo(discarded);
        queue.offer(STOP);
        try {
            if (!thread.join(CLOSE_GRACE)) {
                thread.interrupt(); // the invoker kills the script and its children
                thread.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        try {
            while (true) {
                ScriptEvent e = queue.take();
                if (e == STOP || closed) {
                    return;
                }
                try {
                    handle(e);
                } catch (RuntimeException ex) {
                    log.log(System.Logger.Level.ERROR, "agent: Event handler failed on " + e.description(), ex);
                }
            }
        } catch (InterruptedException ex) {
            // closing
        }
    }
}
