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
    /** Attempts in all, each up to memberlist's TCP timeout long (a minute or more in the LAN profile). */
    static final int ATTEMPTS = 6;
    /** The pause before the next attempt after a peer closed the stream unanswered (a timeout has waited already). */
    static final Duration PAUSE = Duration.ofSeconds(1);

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

    /** Whether some failure in {@code joinError} is a timeout (then the attempt has waited already). */
    static boolean timedOut(String joinError) {
        return joinError != null && (joinError.contains(TIMED_OUT + "\n") || joinError.contains(": write deadline exceeded\n"));
    }
}
