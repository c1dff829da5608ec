package serf.agent.syslog;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code -syslog} sends the log, from {@code SERF_SYSLOG_ADDR}:
 * <ul>
 *   <li>unset or empty: the local syslog socket, as the Go agent finds it ({@code /dev/log},
 *       {@code /var/run/syslog}, {@code /var/run/log}), but as a <em>stream</em> socket only: the
 *       JDK has Unix-domain stream sockets and no Unix-domain datagram sockets, and a daemon
 *       listening on a datagram {@code /dev/log} (journald, rsyslog's imuxsock) refuses a stream
 *       connection. Then the agent does not start and says what to set instead.</li>
 *   <li>{@code unix:PATH}: a Unix-domain stream socket (syslog-ng {@code unix-stream()}, rsyslog
 *       {@code imptcp} with {@code path=}), one message a line.</li>
 *   <li>{@code udp:HOST:PORT}: datagrams, one message each (rsyslog {@code imudp}, e.g.
 *       {@code udp:127.0.0.1:514}).</li>
 *   <li>{@code tcp:HOST:PORT}: a TCP stream, one message a line.</li>
 * </ul>
 * Local sockets get the Go agent's local format ({@code <PRI>Mmm dd hh:mm:ss serf[PID]: MSG}),
 * network targets its network format ({@code <PRI>RFC3339 HOST serf[PID]: MSG}), as Go's
 * {@code log/syslog} writes them.
 */
public sealed interface SyslogTarget {
    /** The paths the Go agent tries, in its order. */
    List<Path> LOCAL_PATHS = List.of(Path.of("/dev/log"), Path.of("/var/run/syslog"), Path.of("/var/run/log"));

    /** Opens a connection; the message says why not. */
    Connection connect() throws IOException;

    /** Whether messages take the local (no host name) format. */
    boolean local();

    /** An open connection to the syslog daemon. */
    interface Connection extends AutoCloseable {
        void write(byte[] message) throws IOException;

        @Override
        void close();
    }

    /** The default: the local syslog socket, if it takes a stream connection. */
    record Local(List<Path> paths) implements SyslogTarget {
        @Override
        public Connection connect() throws IOException {
            List<String> why = new ArrayList<>();
            for (Path p : paths) {
                if (!p.toFile().exists()) {
                    continue;
                }
                try {
                    return new Unix(p).connect();
                } catch (IOException e) {
                    why.add(p + ": " + e.getMessage());
                }
            }
            throw new IOException("Unix syslog delivery error: no local syslog socket takes a stream connection ("
                    + (why.isEmpty() ? "none of " + paths + " exists" : String.join("; ", why))
                    + "); the JDK cannot write to a Unix datagram socket such as journald's or rsyslog's /dev/log: "
                    + "set SERF_SYSLOG_ADDR to udp:127.0.0.1:514, tcp:HOST:PORT or unix:PATH of a stream socket");
        }

        @Override
        public boolean local() {
            return true;
        }
    }

    /** A Unix-domain stream socket. */
    record Unix(Path path) implements SyslogTarget {
        @Override
        public Connection connect() throws IOException {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(path));
            } catch (IOException e) {
                ch.close();
                throw new IOException("cannot connect to " + path + ": " + e.getMessage(), e);
            }
            return new StreamConnection(ch);
        }

        @Override
        public boolean local() {
            return true;
        }
    }

    /** UDP datagrams to a host and port. */
    record Udp(String host, int port) implements SyslogTarget {
        @Override
        public Connection connect() throws IOException {
            DatagramChannel ch = DatagramChannel.open();
            try {
                ch.connect(new InetSocketAddress(host, port));
            } catch (IOException e) {
                ch.close();
                throw new IOException("cannot reach udp:" + host + ":" + port + ": " + e.getMessage(), e);
            }
            return new Connection() {
                @Override
                public void write(byte[] message) throws IOException {
                    ch.write(ByteBuffer.wrap(message));
                }

                @Override
                public void close() {
                    try {
                        ch.close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                }
            };
        }

        @Override
        public boolean local() {
            return false;
        }
    }

    /** A TCP stream to a host and port. */
    record Tcp(String host, int port) implements SyslogTarget {
        @Override
        public Connection connect() throws IOException {
            SocketChannel ch = SocketChannel.open();
            try {
                ch.socket().connect(new InetSocketAddress(host, port), 1000);
            } catch (IOException e) {
                ch.close();
                throw new IOException("cannot connect to tcp:" + host + ":" + port + ": " + e.getMessage(), e);
            }
            return new StreamConnection(ch);
        }

        @Override
        public boolean local() {
            return false;
        }
    }

    /** A connected stream channel; writes whole messages. */
    final class StreamConnection implements Connection {
        private final SocketChannel ch;

        StreamConnection(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(byte[] message) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(message);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        @Override
        public void close() {
            try {
                ch.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /**
     * Parses {@code SERF_SYSLOG_ADDR}: empty for {@link Local}, else {@code unix:PATH},
     * {@code udp:HOST:PORT} or {@code tcp:HOST:PORT} (an IPv6 host in brackets).
     *
     * @throws IllegalArgumentException with a message for the operator
     */
    static SyslogTarget parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return new Local(LOCAL_PATHS);
        }
        String s = spec.strip();
        if (s.startsWith("unix:") && s.length() > 5) {
            return new Unix(Path.of(s.substring(5)));
        }
        boolean udp = s.startsWith("udp:");
        if (udp || s.startsWith("tcp:")) {
            String hp = s.substring(4);
            int colon = hp.lastIndexOf(':');
            if (colon > 0) {
                String host = hp.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                try {
                    int port = Integer.parseInt(hp.substring(colon + 1));
                    if (port > 0 && port <= 65535) {
                        return udp ? new Udp(host, port) : new Tcp(host, port);
                    }
                } catch (NumberFormatException e) {
                    // fall through to the error
                }
            }
        }
        throw new IllegalArgumentException("SERF_SYSLOG_ADDR must be unix:PATH, udp:HOST:PORT or tcp:HOST:PORT, not '"
                + spec + "'");
    }
}
