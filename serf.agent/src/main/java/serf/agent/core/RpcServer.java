package serf.agent.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's RPC listener (Go's agent IPC): one virtual thread accepts, one virtual thread per
 * client connection. At most {@link #MAX_CLIENTS} clients at once; more are closed on accept, so a
 * connection flood cannot exhaust the agent.
 */
public final class RpcServer implements AutoCloseable {
    static final int MAX_CLIENTS = 512;

    private final AgentBackend agent;
    private final ServerSocket listener;
    private final Set<RpcConnection> clients = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptor;

    public RpcServer(AgentBackend agent, InetSocketAddress bind) throws IOException {
        this.agent = agent;
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(bind, 128);
        this.acceptor = Thread.ofVirtual().name("agent-rpc-accept").start(this::acceptLoop);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    agent.log().log(LogLevel.ERR, "agent.ipc: failed to accept client: " + e.getMessage());
                }
                return;
            }
            try {
                if (clients.size() >= MAX_CLIENTS) {
                    agent.log().log(LogLevel.WARN, "agent.ipc: too many clients, refusing " + s.getRemoteSocketAddress());
                    closeQuietly(s);
                    continue;
                }
                agent.log().log(LogLevel.INFO, "agent.ipc: Accepted client: " + hostPort(s));
                RpcConnection c = new RpcConnection(agent, s);
                clients.add(c);
                Thread.ofVirtual().name("agent-rpc-client").start(() -> {
                    try {
                        c.serve();
                    } finally {
                        clients.remove(c);
                        c.close();
                    }
                });
            } catch (RuntimeException e) {
                // Whatever goes wrong with one client must not end the accept loop.
                closeQuietly(s);
            }
        }
    }

    static String hostPort(Socket s) {
        return s.getInetAddress().getHostAddress() + ":" + s.getPort();
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
        for (RpcConnection c : clients) {
            c.close();
        }
        try {
            acceptor.join(java.time.Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
