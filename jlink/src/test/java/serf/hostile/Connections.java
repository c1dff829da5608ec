package serf.hostile;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The attacker's TCP connections and the threads that feed them, owned by one attack: every socket
 * it opens and every task it starts ends at {@link #close()} (sockets closed, tasks interrupted
 * and joined), so a blocked write or a stalled reply never outlives the attack. Tasks run on
 * virtual threads named after the attack.
 */
final class Connections implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final ExecutorService tasks;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Future<String>> results = new ArrayList<>();

    Connections(String name) {
        this.name = name;
        this.tasks = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("hostile-" + name + "-", 0).factory());
    }

    /** A new connection to {@code to}, closed with the others; reads time out after {@code readTimeout}. */
    Socket open(InetSocketAddress to, Duration readTimeout) throws IOException {
        Socket s = new Socket();
        register(s);
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) readTimeout.toMillis());
        s.connect(to, (int) CONNECT_TIMEOUT.toMillis());
        return s;
    }

    private void register(Socket s) throws IOException {
        lock.lock();
        try {
            if (tasks.isShutdown()) {
                s.close();
                throw new IOException("attack " + name + " is over");
            }
            sockets.add(s);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code task} on its own virtual thread; its result (a word for the tally) is kept. */
    void start(ConnectionTask task) {
        lock.lock();
        try {
            results.add(tasks.submit(() -> {
                try {
                    return task.run();
                } catch (IOException e) {
                    return "io error (" + e.getMessage() + ")";
                }
            }));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every task started so far has ended or {@code deadline} has passed (then closes
     * every socket, which ends their blocked reads and writes), and counts their results.
     */
    Map<String, Integer> awaitAll(Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        List<Future<String>> started;
        lock.lock();
        try {
            started = List.copyOf(results);
        } finally {
            lock.unlock();
        }
        Map<String, Integer> tally = new TreeMap<>();
        boolean cut = false;
        for (Future<String> f : started) {
            String outcome;
            try {
                long left = Math.max(0, end - System.nanoTime());
                outcome = f.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (!cut) {
                    closeSockets();
                    cut = true;
                }
                try {
                    outcome = "deadline: " + f.get(10, TimeUnit.SECONDS);
                } catch (TimeoutException | ExecutionException e2) {
                    outcome = "deadline";
                }
            } catch (ExecutionException e) {
                outcome = "failed: " + e.getCause();
            }
            tally.merge(outcome, 1, Integer::sum);
        }
        return tally;
    }

    private void closeSockets() {
        List<Socket> all;
        lock.lock();
        try {
            all = List.copyOf(sockets);
        } finally {
            lock.unlock();
        }
        for (Socket s : all) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            tasks.shutdownNow();
        } finally {
            lock.unlock();
        }
        closeSockets();
        try {
            if (!tasks.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("attack " + name + ": tasks still running 10 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How a connection ended, in a word: the reply the agent gave, or what cut it. */
    static String awaitReply(Socket s) {
        try {
            InputStream in = s.getInputStream();
            int first = in.read();
            if (first < 0) {
                return "closed by agent";
            }
            drain(in);
            return "replied";
        } catch (SocketTimeoutException e) {
            return "no reply";
        } catch (IOException e) {
            return "reset by agent";
        }
    }

    private static void drain(InputStream in) {
        byte[] rest = new byte[8192];
        try {
            while (in.read(rest) >= 0) {
                // the rest of the reply
            }
        } catch (IOException e) {
            // the reply was there; how it ended does not matter
        }
    }

    /**
     * Writes {@code header}, then {@code bodyLength} bytes (a pseudo-random block over and over), and
     * says how far it got: "sent", or how much the agent took before it cut the connection.
     */
    static String send(Socket s, byte[] header, long bodyLength) {
        long sent = 0;
        try {
            var out = s.getOutputStream();
            out.write(header);
            while (sent < bodyLength) {
                int n = (int) Math.min(BLOCK.length, bodyLength - sent);
                out.write(BLOCK, 0, n);
                sent += n;
            }
            out.flush();
            return "sent";
        } catch (IOException e) {
            return "cut after " + (sent >> 20) + " MiB";
        }
    }

    /** Filler for bodies: pseudo-random, fixed (what the bytes are does not matter, only how many). */
    private static final byte[] BLOCK = new byte[64 * 1024];

    static {
        new java.util.SplittableRandom(9).nextBytes(BLOCK);
    }

    /** One connection's work: returns a word for the tally. */
    @FunctionalInterface
    interface ConnectionTask {
        String run() throws IOException;
    }
}
