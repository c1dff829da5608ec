package serf.agent.metrics;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import serf.memberlist.metrics.MetricsListener;

/**
 * Go's statsd (UDP) and statsite (TCP) sinks: one line per update, {@code key:value|type} with the
 * value as Go's {@code %f} and type {@code c}, {@code g} or {@code ms}, the key named as Go's agent
 * names it ({@link GoKeys}). Lines wait in a bounded queue (Go's 4,096; a full queue drops the line,
 * counted) and one thread sends them: statsd in datagrams of at most 1,400 bytes, statsite over one
 * TCP connection, both flushed at least every 100 ms. A failed send waits 5 s (discarding what comes
 * meanwhile, as Go does) and reconnects.
 */
public final class StatsLineSink implements MetricsListener, AutoCloseable {
    /** Which protocol. */
    public enum Kind { STATSD, STATSITE }

    static final int QUEUE = 4096;
    static final int MAX_DATAGRAM = 1400;
    static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Kind kind;
    private final InetSocketAddress target;
    private final GoKeys keys;
    private final System.Logger log;
    private final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final Thread sender;
    private volatile boolean closed;

    /**
     * @param address host:port of the statsd or statsite server (resolved once, now)
     */
    public StatsLineSink(Kind kind, String address, GoKeys keys, System.Logger log) {
        this.kind = kind;
        this.target = parse(address);
        this.keys = keys;
        this.log = log;
        this.sender = Thread.ofVirtual().name("metrics-" + kind.name().toLowerCase(java.util.Locale.ROOT)).start(this::run);
    }

    static InetSocketAddress parse(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("missing port in address " + address);
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(address.substring(colon + 1));
        return new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, port);
    }

    @Override
    public void counter(String name, double value) {
        push(keys.other(name), value, "c");
    }

    @Override
    public void gauge(String name, double value) {
        push(keys.gauge(name), value, "g");
    }

    @Override
    public void sample(String name, double value) {
        push(keys.other(name), value, "ms");
    }

    /** The line for one update, exactly as Go's sink formats it. */
    static String line(String key, double value, String type) {
        return GoKeys.statsdFlat(key) + ":" + GoFloat.f6(GoFloat.f32(value)) + "|" + type + "\n";
    }

    private void push(String key, double value, String type) {
        if (closed || !queue.offer(line(key, value, type))) {
            dropped.incrementAndGet();
        }
    }

    /** Lines dropped because the queue was full (or the sink closed). */
    public long dropped() {
        return dropped.get();
    }

    /** Sends that failed (each followed by a 5 s pause). */
    public long sendErrors() {
        return sendErrors.get();
    }

    private void run() {
        while (!closed) {
            try (Conn conn = open()) {
                pump(conn);
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                sendErrors.incrementAndGet();
                log.log(System.Logger.Level.ERROR, "Error writing to " + kind.name().toLowerCase(java.util.Locale.ROOT) + "! Err: " + e.getMessage());
                discardFor(RETRY_NANOS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pump(Conn conn) throws IOException, InterruptedException {
        StringBuilder buf = new StringBuilder(MAX_DATAGRAM);
        long nextFlush = System.nanoTime() + FLUSH_NANOS;
        while (!closed) {
            String l = queue.poll(Math.max(1, nextFlush - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l != null) {
                if (kind == Kind.STATSD && buf.length() + l.length() > MAX_DATAGRAM && !buf.isEmpty()) {
                    conn.write(buf);
                    buf.setLength(0);
                }
                buf.append(l);
                if (kind == Kind.STATSITE && buf.length() >= 4096) {
                    conn.write(buf);
                    buf.setLength(0);
                }
            }
            if (System.nanoTime() - nextFlush >= 0) {
                if (!buf.isEmpty()) {
                    conn.write(buf);
                    buf.setLength(0);
                }
                conn.flush();
                nextFlush = System.nanoTime() + FLUSH_NANOS;
            }
        }
    }

    private void discardFor(long nanos) {
        long end = System.nanoTime() + nanos;
        try {
            while (!closed && end - System.nanoTime() > 0) {
                queue.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Conn open() throws IOException {
        if (kind == Kind.STATSD) {
            DatagramSocket s = new DatagramSocket();
            s.connect(target);
            return new Conn() {
                public void write(CharSequence text) throws IOException {
                    byte[] b = text.toString().getBytes(StandardCharsets.UTF_8);
                    s.send(new DatagramPacket(b, b.length));
                }
                public void flush() { }
                public void close() { s.close(); }
            };
        }
        Socket s = new Socket();
        s.connect(target, 5000);
        OutputStream out = new BufferedOutputStream(s.getOutputStream(), 8192);
        return new Conn() {
            public void write(CharSequence text) throws IOException {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            }
            public void flush() throws IOException { out.flush(); }
            public void close() throws IOException { s.close(); }
        };
    }

    private interface Conn extends AutoCloseable {
        void write(CharSequence text) throws IOException;
        void flush() throws IOException;
        @Override
        void close() throws IOException;
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        try {
            sender.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
