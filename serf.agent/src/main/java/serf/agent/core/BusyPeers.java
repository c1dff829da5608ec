package serf.agent.core;

import java.time.Duration;

/**
 * When the agent's start-up join ({@code -join}, {@code start_join}) is worth another attempt: the
 * peers were there but did not answer. Every address's failure in memberlist's join error (Go's
 * multi-error text, one {@code * Failed to join ADDR: why} line per address) is one of: a read that
 * timed out (the peer took the connection and sent nothing within memberlist's TCP timeout, 10 s in
 * the LAN profile), a write that did not get through in that time, a stream closed or reset without
 * a reply (what a peer over its limit of concurrent push/pulls, or one whose accept queue overflowed,
 * does). All of them happen when many agents start at once on a few cores: the seed is starved of
 * CPU while every joiner's push/pull waits on it (issue 11: 128 JVMs starting together on 2 cores
 * gave all four). Go's agent exits on the first failure; it never starves there. A refused or
 * unreachable address, a failed lookup, or a protocol or key mismatch is not retried.
 */
final class BusyPeers {
    /**
     * How long the start-up join keeps trying, in TCP timeouts (LAN: 120 s, local: 12 s): a seed that
     * 127 other JVMs starve of CPU on 2 cores serves its push/pulls over a minute or two.
     */
    static final int BUDGET_TCP_TIMEOUTS = 12;

    /** The time the start-up join may spend on busy peers before it fails. */
    static Duration budget(Duration tcpTimeout) {
        // In nanoseconds: Duration.multipliedBy would initialise BigDecimal, 25 ms of start-up CPU under -Xint.
        try {
            return Duration.ofNanos(Math.multiplyExact(tcpTimeout.toNanos(), BUDGET_TCP_TIMEOUTS));
        } catch (ArithmeticException beyondLong) {
            return tcpTimeout.multipliedBy(BUDGET_TCP_TIMEOUTS);
        }
    }

    /**
     * The pause before the next attempt: random, up to half a TCP timeout, so that agents that
     * started together do not all come back to the seed at the same instant.
     */
    static Duration pause(Duration tcpTimeout, java.util.random.RandomGenerator random) {
        long half = Math.max(1, tcpTimeout.toMillis() / 2);
        return Duration.ofMillis(random.nextLong(half));
    }

    /** A stream read's timeout (java.net.SocketTimeoutException's text), as memberlist reports it. */
    private static final String TIMED_OUT = ": Read timed out";
    /** The endings of the other failures that a busy peer causes (see the class comment). */
    private static final java.util.List<String> BUSY = java.util.List.of(TIMED_OUT,
            ": received invalid msgType (none), expected pushPullMsg", ": write deadline exceeded",
            ": Connection reset", ": Connection reset by peer");

    private BusyPeers() {
    }

    /** Whether every failure in {@code joinError} is one that a busy peer causes. */
    static boolean only(String joinError) {
        if (joinError == null) {
            return false;
        }
        int failures = 0;
        for (String line : joinError.split("\n")) {
            String l = line.strip();
            if (!l.startsWith("* ")) {
                continue;
            }
            failures++;
            if (BUSY.stream().noneMatch(l::endsWith)) {
                return false;
            }
        }
        return failures > 0;
    }

}
