package serf.agent.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import serf.client.internal.FrameReader;
import serf.client.internal.RequestHeader;
import serf.client.internal.RpcCommand;
import serf.agent.testsupport.AgentVectors.Vector;
import serf.agent.testsupport.Conversation.Message;
import serf.wire.MsgpackReader;

/**
 * A fake agent on 127.0.0.1 that plays back the agent side of a captured conversation to one
 * client: each captured message goes out once the client has sent the request it answers. It
 * records every byte the client sends, for comparison with the captured client bytes.
 */
public final class ReplayAgent implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ServerSocket server;
    private final List<Message> script;
    private final boolean hangUp;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Set<Long> requested = new HashSet<>();
    private final CompletableFuture<Void> clientGone = new CompletableFuture<>();
    private volatile long waitingFor = -1;
    private volatile int sent;
    private volatile Socket socket;

    public ReplayAgent(Vector v) throws IOException {
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.script = Conversation.s2c(v);
        this.hangUp = v.agentClosed();
        Thread.ofVirtual().name("replay-agent-" + v.name()).start(this::serve);
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Everything the client has sent so far. */
    public byte[] received() {
        lock.lock();
        try {
            return received.toByteArray();
        } finally {
            lock.unlock();
        }
    }

    /** The seq whose request the next scripted message waits for, or -1. */
    public long waitingFor() {
        return waitingFor;
    }

    /** Number of scripted messages sent. */
    public int sent() {
        return sent;
    }

    public int scriptLength() {
        return script.size();
    }

    /** Waits until the client closed its connection. */
    public boolean awaitClientGone(Duration timeout) throws InterruptedException {
        try {
            clientGone.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private void serve() {
        try (Socket s = server.accept()) {
            socket = s;
            Thread reader = Thread.ofVirtual().start(() -> read(s));
            OutputStream out = s.getOutputStream();
            for (Message m : script) {
                if (!awaitRequest(m.seq())) {
                    break;
                }
                try {
                    out.write(m.bytes());
                    out.flush();
                } catch (IOException e) {
                    break; // the client went away, as a real CLI does after an error
                }
                sent++;
            }
            waitingFor = -1;
            if (hangUp) {
                s.shutdownOutput();
            }
            clientGone.get(WAIT.toMillis() * 3, TimeUnit.MILLISECONDS);
            reader.join(WAIT);
        } catch (Exception e) {
            // test over or server closed
        } finally {
            clientGone.complete(null);
        }
    }

    private boolean awaitRequest(long seq) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        lock.lock();
        try {
            waitingFor = seq;
            while (!requested.contains(seq)) {
                if (clientGone.isDone()) {
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void read(Socket s) {
        try {
            FrameReader frames = new FrameReader(s.getInputStream());
            byte[] obj;
            while ((obj = frames.next()) != null) {
                RequestHeader h = RequestHeader.decode(new MsgpackReader(obj));
                RpcCommand cmd = RpcCommand.fromWireName(h.command()).orElse(null);
                byte[] body = null;
                if (cmd != null && cmd.hasRequestBody()) {
                    body = frames.next();
                }
                lock.lock();
                try {
                    received.writeBytes(obj);
                    if (body != null) {
                        received.writeBytes(body);
                    }
                    requested.add(h.seq());
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                if (cmd != null && cmd.hasRequestBody() && body == null) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // connection ended
        } finally {
            clientGone.complete(null);
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket s = socket;
        if (s != null) {
            s.close();
        }
        clientGone.complete(null);
    }
}
