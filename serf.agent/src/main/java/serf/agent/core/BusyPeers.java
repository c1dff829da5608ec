package serf.agent.core;

import java.time.Duration;

/**
 * When the agent's start-up join ({@code -join}, {@code start_join}) is worth another attempt: the
 * peers were there but did not answer. Every address's failure in memberlist's join error (Go's
 * multi-error text, one {@code * Failed to join ADDR: why} line per address) is either a read that
 * timed out (the peer took the connection and sent nothing within memberlist's TCP timeout, 10 s in
 * the LAN profile) or a stream closed without a reply (what a peer over its limit of concurrent
 * push/pulls does). Both happen when many agents start at once on a few cores: the seed is starved
 * of CPU while every joiner's push/pull waits on it (issue 11: 128 JVMs starting together on 2
 * cores). Go's agent exits on the first failure; it never starves there. A refused or unreachable
 * address, a failed lookup, or a protocol or key mismatch is not retried.
 */
final class BusyPeers {
    /** Attempts in all, each up to memberlist's TCP timeout long. */
    static final int ATTEMPTS = 4;
    /** The pause before the next attempt after a peer closed the stream unanswered (a timeout has waited already). */
    static final Duration PAUSE = Duration.ofSeconds(1);

    /** A stream read's timeout (java.net.SocketTimeoutException's text), as memberlist reports it. */
    private static final String TIMED_OUT = ": Read timed out";
    /** memberlist's text for a push/pull whose peer closed the stream without a reply. */
    private static final String UNANSWERED = ": received invalid msgType (none), expected pushPullMsg";

    private BusyPeers() {
    }

    /** Whether every failure in {@code joinError} is a timeout or an unanswered stream. */
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
            if (!(l.endsWith(TIMED_OUT) || l.endsWith(UNANSWERED))) {
                return false;
            }
        }
        return failures > 0;
    }

    /** Whether some failure in {@code joinError} is a read timeout (then the attempt has waited already). */
    static boolean timedOut(String joinError) {
        return joinError != null && joinError.contains(TIMED_OUT + "\n");
    }
}
