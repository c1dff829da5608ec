package serf.agent.syslog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * {@code -syslog}: a copy of every agent log line that passes the agent's log level, sent to syslog
 * as the Go agent sends it: tag {@code serf}, the process id, priority {@code facility * 8 +
 * severity} with the severity from the line's {@code [LEVEL]} ({@link SyslogFacility#severity}),
 * and the text after {@code [LEVEL] } as the message.
 *
 * <p>The agent's log never waits for syslog: lines go through a queue of {@link #QUEUE} lines to a
 * writer thread; when it is full, or a line cannot be written after one reconnection (Go's rule),
 * the line is dropped and counted ({@link #dropped()}).
 */
public final class SyslogSink implements AutoCloseable {
    static final int QUEUE = 1024;
    static final String TAG = "serf";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);

    private final SyslogTarget target;
    private final int facility;
    private final Predicate<String> filter;
    private final String hostname;
    private final long pid = ProcessHandle.current().pid();
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;
    private SyslogTarget.Connection conn;

    private SyslogSink(SyslogTarget target, int facility, Predicate<String> filter, String hostname,
                       SyslogTarget.Connection conn) {
        this.target = target;
        this.facility = facility;
        this.filter = filter;
        this.hostname = hostname;
        this.conn = conn;
        this.writer = Thread.ofVirtual().name("syslog-writer").start(this::writeLoop);
    }

    /**
     * Connects as the agent starts; Go's agent connects at start too and does not start without.
     *
     * @param spec     {@code SERF_SYSLOG_ADDR} ({@link SyslogTarget}), empty for the local socket
     * @param facility {@code syslog_facility}
     * @param filter   which log lines go to syslog (the agent's level filter)
     * @param hostname the host name network messages carry
     * @throws IOException with the message the agent prints after {@code Syslog setup failed: }
     */
    public static SyslogSink open(String spec, String facility, Predicate<String> filter, String hostname)
            throws IOException {
        int code = SyslogFacility.code(facility)
                .orElseThrow(() -> new IOException("invalid syslog facility: " + facility.toUpperCase(Locale.ROOT)));
        SyslogTarget target;
        try {
            target = SyslogTarget.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new SyslogSink(target, code, filter, hostname, target.connect());
    }

    /** Takes one agent log line (never blocks). */
    public void accept(String line) {
        if (closed || !filter.test(line)) {
            return;
        }
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    /** Lines not sent: queue full or the daemon gone. */
    public long dropped() {
        return dropped.get();
    }

    /** Lines sent. */
    public long sent() {
        return sent.get();
    }

    /** The message for one log line, in the target's format. */
    byte[] format(String line, ZonedDateTime now) {
        String level = "";
        String msg = line;
        int open = line.indexOf('[');
        int close = open < 0 ? -1 : line.indexOf(']', open);
        if (close >= 0) {
            level = line.substring(open + 1, close);
            msg = line.substring(Math.min(line.length(), close + 2));
        }
        int pri = facility * 8 + SyslogFacility.severity(level);
        String nl = msg.endsWith("\n") ? "" : "\n";
        String text = target.local()
                ? "<" + pri + ">" + STAMP.format(now) + " " + TAG + "[" + pid + "]: " + msg + nl
                : "<" + pri + ">" + RFC3339.format(now) + " " + hostname + " " + TAG + "[" + pid + "]: " + msg + nl;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void writeLoop() {
        while (!closed || !queue.isEmpty()) {
            String line;
            try {
                line = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (line == null) {
                continue;
            }
            byte[] message = format(line, ZonedDateTime.now());
            if (!write(message)) {
                dropped.incrementAndGet();
            }
        }
    }

    /** Writes once; on failure reconnects and writes once more. */
    private boolean write(byte[] message) {
        try {
            if (conn != null) {
                conn.write(message);
                sent.incrementAndGet();
                return true;
            }
        } catch (IOException e) {
            conn.close();
            conn = null;
        }
        try {
            conn = target.connect();
            conn.write(message);
            sent.incrementAndGet();
            return true;
        } catch (IOException e) {
            if (conn != null) {
                conn.close();
                conn = null;
            }
            return false;
        }
    }

    /** Sends what is queued (waiting up to a second) and disconnects. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SyslogTarget.Connection c = conn;
        if (c != null) {
            c.close();
        }
    }
}
