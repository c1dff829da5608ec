package serf.agent.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import serf.agent.internal.DropRun;
import serf.wire.InputBudget;

/**
 * What the RPC server refused, dropped or timed out, for {@code stats} (the {@code limits} section of
 * {@code serf info}). Thread-safe.
 */
final class RpcCounters {
    final AtomicInteger clients = new AtomicInteger();
    final AtomicLong clientsRefused = new AtomicLong();
    final AtomicLong acceptFailures = new AtomicLong();
    final AtomicLong framesOversized = new AtomicLong();
    final AtomicLong framesRefusedByBudget = new AtomicLong();
    final AtomicLong handshakeTimeouts = new AtomicLong();
    final AtomicLong frameTimeouts = new AtomicLong();
    final AtomicInteger streams = new AtomicInteger();
    final AtomicLong streamsRefused = new AtomicLong();
    /** Records (events, log lines) dropped because a client did not read its streams fast enough. */
    final DropRun streamRecords = new DropRun();

    /** Takes one of {@code max} stream slots; false (counted) when all are taken. */
    boolean tryOpenStream(int max) {
        while (true) {
            int n = streams.get();
            if (n >= max) {
                streamsRefused.incrementAndGet();
                return false;
            }
            if (streams.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void streamClosed() {
        streams.decrementAndGet();
    }

    Map<String, String> toStats(InputBudget budget) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("rpc_input_budget", Long.toString(budget.limit()));
        m.put("rpc_input_in_use", Long.toString(budget.inUse()));
        m.put("rpc_input_peak", Long.toString(budget.peak()));
        m.put("rpc_input_refused", Long.toString(framesRefusedByBudget.get()));
        m.put("rpc_frames_oversized", Long.toString(framesOversized.get()));
        m.put("rpc_handshake_timeouts", Long.toString(handshakeTimeouts.get()));
        m.put("rpc_frame_timeouts", Long.toString(frameTimeouts.get()));
        m.put("rpc_clients", Integer.toString(clients.get()));
        m.put("rpc_clients_refused", Long.toString(clientsRefused.get()));
        m.put("rpc_accept_failures", Long.toString(acceptFailures.get()));
        m.put("rpc_streams", Integer.toString(streams.get()));
        m.put("rpc_streams_refused", Long.toString(streamsRefused.get()));
        m.put("rpc_stream_records_dropped", Long.toString(streamRecords.total()));
        return m;
    }
}
