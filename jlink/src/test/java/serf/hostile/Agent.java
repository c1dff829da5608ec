package serf.hostile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * One serf agent process on 127.0.0.1, ours (from the runtime image) or Go's (/usr/bin/serf), as the
 * suite drives either the same way: the attacks need its addresses, the checks its RPC address and
 * its process. {@link #close()} kills it (kill -9) and waits for it to be gone.
 */
sealed interface Agent extends AutoCloseable permits ImageAgent, GoAgent {

    /** Which implementation runs an agent. */
    enum Kind {
        IMAGE, GO;

        /** Starts an agent named {@code name} on free loopback ports and waits (bounded) until it runs. */
        Agent start(String name, Path workDir, List<String> args) throws IOException {
            return switch (this) {
                case IMAGE -> ImageAgent.start(name, workDir, args);
                case GO -> GoAgent.start(name, workDir, args);
            };
        }
    }

    Kind kind();

    String name();

    /** The memberlist port (UDP and TCP). */
    int gossipPort();

    /** host:port of the RPC listener. */
    String rpcAddress();

    Process process();

    /** Everything the agent has printed so far. */
    String log();

    default InetSocketAddress gossipAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), gossipPort());
    }

    /** What another agent's {@code -join} takes. */
    default String joinAddress() {
        return "127.0.0.1:" + gossipPort();
    }

    default boolean isAlive() {
        return process().isAlive();
    }

    /** The last {@code lines} lines of the log, for failure messages. */
    default String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    void close();
}
