package serf.agent.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's RPC listener (Go's agent IPC): one virtual thread accepts, one virtual thread per
 * client connection. At most {@link RpcLimits#maxClients()} clients at once; more are closed on
 * accept, so a connection flood cannot exhaust the agent. Frames are read against the server's own
 * input budget ({@link RpcLimits#budget()}); the timers of every connection (query expiry) run on one
 * named timer thread owned by the server, and everything a connection started is cancelled when it
 * closes.
 *
 * <p>The accept loop survives failures of {@code accept()} (such as running out of file
 * descriptors): it backs off from {@link #ACCEPT_BACKOFF_MIN} doubling to {@link #ACCEPT_BACKOFF_MAX},
 * logs once when failures start and once when accepting works again, and counts them.
 */
public final class RpcServer implements AutoCloseable {
    static final Duration ACCEPT_BACKOFF_MIN = Duration.ofMillis(10);
    static final Duration ACCEPT_BACKOFF_MAX = Duration.ofSeconds(1);

    private final AgentBackend agent;
    private final RpcLimits limits;
    private final ServerSocket listener;
    private final Set<RpcConnection> clients = ConcurrentHashMap.newKeySet();
    private final Set<Thread> clientThreads = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RpcCounters counters = new RpcCounters();
    private final ScheduledThreadPoolExecutor timer;
    private final Thread acceptor;

    public RpcServer(AgentBackend agent, InetSocketAddress bind) throws IOException {
        this(agent, bind, RpcLimits.defaults());
    }

    public RpcServer(AgentBackend agent, InetSocketAddress bind, RpcLimits limits) throws IOException {
        this(agent, bound(bind), limits);
    }

    /** Serves on a listener already bound (tests hand in one that fails). */
    RpcServer(AgentBackend agent, ServerSocket listener, RpcLimits limits) {
        this.agent = agent;
        this.limits = limits;
        this.listener = listener;
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofVirtual().name("agent-rpc-timer").factory());
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.acceptor = Thread.ofVirtual().name("agent-rpc-accept").start(this::acceptLoop);
    }

    private static ServerSocket bound(InetSocketAddress bind) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(bind, 128);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    RpcLimits limits() {
        return limits;
    }

    RpcCounters counters() {
        return counters;
    }

    ScheduledThreadPoolExecutor timer() {
        return timer;
    }

    /** The {@code limits} section of the RPC stats. */
    Map<String, String> stats() {
        return counters.toStats(limits.budget());
    }

    private void acceptLoop() {
        Duration backoff = ACCEPT_BACKOFF_MIN;
        long failuresInRun = 0;
        while (!closed.get()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException | RuntimeException e) {
                if (closed.get() || listener.isClosed()) {
                    return;
                }
                counters.acceptFailures.incrementAndGet();
                if (failuresInRun++ == 0) {
                    agent.log().log(LogLevel.ERR, "agent.ipc: failed to accept client: " + e.getMessage()
                            + " (retrying with back-off up to " + ACCEPT_BACKOFF_MAX.toMillis() + "ms)");
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = nextBackoff(backoff);
                continue;
            }
            if (failuresInRun > 0) {
                agent.log().log(LogLevel.WARN, "agent.ipc: accepting clients again after " + failuresInRun + " failures");
                failuresInRun = 0;
            }
            backoff = ACCEPT_BACKOFF_MIN;
            serveClient(s);
        }
    }

    /** Counts one of Go's agent.ipc metrics on the agent's node, if it has one yet. */
    static void countMetric(AgentBackend agent, String name) {
        serf.api.Serf s = agent.serf();
        if (s != null) {
            s.metrics().counter(name).increment();
        }
    }

    /** Twice the last wait, at most {@link #ACCEPT_BACKOFF_MAX}. */
    static Duration nextBackoff(Duration last) {
        Duration doubled = last.plus(last); // not multipliedBy: that goes through BigDecimal
        return doubled.compareTo(ACCEPT_BACKOFF_MAX) > 0 ? ACCEPT_BACKOFF_MAX : doubled;
    }

    private void serveClient(Socket s) {
        try {
            if (clients.size() >= limits.maxClients()) {
                counters.clientsRefused.incrementAndGet();
                agent.log().log(LogLevel.WARN, "agent.ipc: too many clients, refusing " + s.getRemoteSocketAddress());
                closeQuietly(s);
                return;
            }
            agent.log().log(LogLevel.INFO, "agent.ipc: Accepted client: " + hostPort(s));
            countMetric(agent, "agent.ipc.accept");
            RpcConnection c = new RpcConnection(agent, s, this);
            clients.add(c);
            counters.clients.incrementAndGet();
            Thread t = Thread.ofVirtual().name("agent-rpc-client").unstarted(() -> {
                try {
                    c.serve();
                } finally {
                    c.close();
                    clients.remove(c);
                    counters.clients.decrementAndGet();
                    clientThreads.remove(Thread.currentThread());
                }
            });
            clientThreads.add(t);
            t.start();
        } catch (RuntimeException e) {
            // Whatever goes wrong with one client must not end the accept loop.
            closeQuietly(s);
        }
    }

    static String hostPort(Socket s) {
        return serf.wire.HostPort.of(s.getInetAddress(), s.getPort());
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        acceptor.interrupt();
        for (RpcConnection c : clients) {
            c.close();
        }
        try {
            acceptor.join(Duration.ofSeconds(5));
            for (Thread t : clientThreads) {
                t.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
