package serf.agent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static serf.agent.core.RawRequests.HANDSHAKE;
import static serf.agent.core.RawRequests.binHeader;
import static serf.agent.core.RawRequests.cat;
import static serf.agent.core.RawRequests.closedByAgent;
import static serf.agent.core.RawRequests.header;
import static serf.agent.core.RawRequests.someReply;
import static serf.agent.core.RawRequests.str;
import static serf.agent.core.RawRequests.writeQuietly;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import serf.client.internal.RpcChannel;
import serf.client.internal.RpcException;
import serf.client.internal.RpcRequest;
import serf.client.internal.RpcStream;
import serf.client.internal.StreamRecord;
import serf.testkit.Poll;
import serf.testkit.ThreadNames;
import serf.wire.InputBudget;

/**
 * The RPC server's bounds against what a client sends, on our agent in this JVM: frames before the
 * handshake, the input budget, deadlines, stream counts, queries cancelled with their connection,
 * and a slow event handler.
 */
class RpcServerLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T r) {
        resources.add(r);
        return r;
    }

    private TestAgent agent(String name, RpcLimits limits, String... flags) throws Exception {
        return keep(TestAgent.start(name, limits, flags));
    }

    private static Map<String, String> limitStats(RpcChannel c) throws IOException {
        return c.stats().get("limits");
    }

    private static long stat(RpcChannel c, String key) throws IOException {
        return Long.parseLong(limitStats(c).get(key));
    }

    @Test
    void anOversizedFrameBeforeTheHandshakeClosesTheConnectionAndGivesTheBudgetBack() throws Exception {
        InputBudget budget = InputBudget.ofBytes(64 << 20);
        TestAgent a = agent("pre1", RpcLimits.defaults().withBudget(budget));
        try (Socket s = a.raw()) {
            writeQuietly(s, cat(binHeader(1_000_000), new byte[64 * 1024]));
            assertThat(closedByAgent(s, WAIT)).as("closed by the agent").isTrue();
        }
        Poll.until("budget given back", WAIT, () -> budget.inUse() == 0);
        // Only the small pre-handshake buffer was ever held, never anything sized from the 1 MB claim.
        assertThat(budget.peak()).isLessThanOrEqualTo(2 * RpcLimits.defaults().preAuthMaxFrame() + 64);
        RpcChannel c = keep(a.client());
        assertThat(stat(c, "rpc_frames_oversized")).isEqualTo(1);
        assertThat(c.stats().get("agent")).isEqualTo(Map.of("name", "pre1")); // Go's section unchanged
    }

    @Test
    void manyOversizedConnectionsBeforeTheHandshakeLeaveTheAgentServing() throws Exception {
        InputBudget budget = InputBudget.ofBytes(8 << 20);
        TestAgent a = agent("pre2", RpcLimits.defaults().withBudget(budget));
        int connections = 48;
        AtomicInteger closed = new AtomicInteger();
        List<Thread> attackers = new ArrayList<>();
        byte[] attack = cat(binHeader(1 << 20), new byte[1 << 20]);
        for (int i = 0; i < connections; i++) {
            attackers.add(Thread.ofVirtual().name("attacker-" + i).start(() -> {
                try (Socket s = a.raw()) {
                    writeQuietly(s, attack);
                    if (closedByAgent(s, WAIT)) {
                        closed.incrementAndGet();
                    }
                } catch (IOException e) {
                    closed.incrementAndGet(); // refused or reset: the agent would not hold it either
                }
            }));
        }
        for (Thread t : attackers) {
            assertThat(t.join(Duration.ofSeconds(60))).isTrue();
        }
        assertThat(closed.get()).isEqualTo(connections);
        RpcChannel c = keep(a.client());
        assertThat(c.members()).extracting(m -> m.name()).containsExactly("pre2");
        assertThat(stat(c, "rpc_frames_oversized")).isEqualTo(connections);
        c.close(); // its own connection holds a small buffer from the budget too
        Poll.until("budget given back", WAIT, () -> budget.inUse() == 0);
        assertThat(budget.peak()).isLessThan(1 << 20);
    }

    @Test
    void framesAfterTheHandshakeAreBoundedAndDrawnFromTheBudget() throws Exception {
        InputBudget budget = InputBudget.ofBytes(3 << 19); // 1.5 MiB: one large frame at a time
        TestAgent a = agent("post1", RpcLimits.defaults().withBudget(budget));
        // Event bodies declaring 900 KB (under the 1 MiB cap), of which 800 KB arrive and the rest never.
        byte[] partialEvent = cat(header("event", 2), new byte[] {(byte) 0x83}, str("Name"), str("x"), str("Payload"),
                binHeader(900_000), new byte[800_000]);
        List<Socket> sockets = new ArrayList<>();
        // Every handshake first: once two partial events hold the budget, a later handshake is
        // (rightly) refused too, which is not what this test is about.
        for (int i = 0; i < 4; i++) {
            Socket s = keep(a.raw());
            sockets.add(s);
            writeQuietly(s, HANDSHAKE);
            assertThat(someReply(s, Duration.ofSeconds(10))).isNotEmpty();
        }
        for (Socket s : sockets) {
            Thread.ofVirtual().start(() -> writeQuietly(s, partialEvent));
        }
        // While the partial frames grow (buffers double 512 KiB -> 1 MiB), three of them can hold the
        // whole budget for a moment, and then our own small stats request is refused as well, which is
        // right; so each poll asks on a fresh connection and a refusal only means "not yet".
        Poll.until("budget refusals counted", WAIT, () -> {
            try (RpcChannel probe = a.client()) {
                return stat(probe, "rpc_input_refused") >= 3;
            } catch (IOException refusedWhileTheBudgetWasFull) {
                return false;
            }
        });
        assertThat(budget.inUse()).isLessThanOrEqualTo(budget.limit());
        RpcChannel c = keep(a.client());
        // A frame beyond the 1 MiB cap is refused from its header alone.
        try (Socket s = a.raw()) {
            writeQuietly(s, cat(HANDSHAKE, header("event", 2), binHeader(2 << 20)));
            assertThat(closedByAgent(s, WAIT)).isTrue();
        }
        assertThat(c.members()).hasSize(1);
        for (Socket s : sockets) {
            s.close();
        }
        c.close();
        Poll.until("budget given back", WAIT, () -> budget.inUse() == 0);
    }

    @Test
    void idleSlowAndPartialConnectionsTimeOutButAnIdleAuthenticatedClientStays() throws Exception {
        InputBudget budget = InputBudget.ofBytes(1 << 20);
        RpcLimits limits = RpcLimits.defaults().withBudget(budget)
                .withTimeouts(Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofMillis(50));
        TestAgent a = agent("idle1", limits);
        RpcChannel c = keep(a.client());
        try (Socket idle = a.raw(); Socket slow = a.raw()) {
            long t0 = System.nanoTime();
            Thread trickle = Thread.ofVirtual().start(() -> {
                for (byte b : HANDSHAKE) {
                    writeQuietly(slow, new byte[] {b});
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            assertThat(closedByAgent(idle, WAIT)).isTrue();
            assertThat(closedByAgent(slow, WAIT)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(HANDSHAKE.length / 10));
            trickle.interrupt();
        }
        // After the handshake a started frame must complete; an idle connection is left alone.
        try (Socket partial = a.raw()) {
            writeQuietly(partial, HANDSHAKE);
            assertThat(someReply(partial, Duration.ofSeconds(10))).isNotEmpty();
            writeQuietly(partial, new byte[] {(byte) 0x82, (byte) 0xa7, 'C', 'o'});
            assertThat(closedByAgent(partial, WAIT)).isTrue();
        }
        Thread.sleep(1000); // idle for more than both timeouts
        assertThat(c.members()).hasSize(1);
        assertThat(stat(c, "rpc_handshake_timeouts")).isEqualTo(2);
        assertThat(stat(c, "rpc_frame_timeouts")).isEqualTo(1);
        // The one idle client left holds a small buffer and its last request, nothing more.
        Poll.until("only the idle client's bytes held", WAIT, () -> budget.inUse() <= 512);
    }

    @Test
    void streamsAreBoundedPerConnectionAndInAll() throws Exception {
        TestAgent a = agent("streams1", RpcLimits.defaults().withBudget(InputBudget.ofBytes(1 << 20)).withStreams(2, 3));
        RpcChannel c1 = keep(a.client());
        RpcChannel c2 = keep(a.client());
        RpcStream s1 = c1.stream("*", e -> { });
        c1.stream("user", e -> { });
        assertThatThrownBy(() -> c1.monitor("debug", l -> { })).isInstanceOf(RpcException.class)
                .hasMessage("Too many streams");
        c2.monitor("info", l -> { });
        assertThatThrownBy(() -> c2.stream("*", e -> { })).isInstanceOf(RpcException.class).hasMessage("Too many streams");
        s1.stop();
        Poll.until("slot given back", WAIT, () -> {
            try {
                return stat(c2, "rpc_streams") == 2;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        c2.stream("*", e -> { });
        assertThat(stat(c2, "rpc_streams_refused")).isEqualTo(2);
        c1.close();
        c2.close();
        RpcChannel c3 = keep(a.client());
        Poll.until("every slot given back", WAIT, () -> {
            try {
                return stat(c3, "rpc_streams") == 0;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aMonitorThatNeverReadsIsDroppedFromCountedAndWarnedOncePerRun() throws Exception {
        TestAgent a = agent("stuck1", RpcLimits.defaults().withBudget(InputBudget.ofBytes(1 << 20)));
        try (Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(1024);
            stuck.connect(a.agent.rpcAddress(), 5000);
            writeQuietly(stuck, cat(HANDSHAKE, header("monitor", 2), new byte[] {(byte) 0x81}, str("LogLevel"),
                    str("debug")));
            assertThat(someReply(stuck, Duration.ofSeconds(10))).isNotEmpty();
            RpcChannel c = keep(a.client());
            // Far more lines than the stream's queue and both socket buffers hold.
            for (int i = 0; i < 20_000; i++) {
                a.agent.log().log(LogLevel.INFO, "filler line " + i + " ".repeat(100));
            }
            Poll.until("drops counted", WAIT, () -> {
                try {
                    return stat(c, "rpc_stream_records_dropped") > 0;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            // One warning per run of drops: a run ends only when the writer has drained the queue to a
            // quarter, which happens a few times while the socket buffers still take bytes.
            long warnings = a.log().lines().filter(l -> l.contains("agent.ipc: Dropping logs to")).count();
            long dropped = stat(c, "rpc_stream_records_dropped");
            assertThat(warnings).isBetween(1L, 1 + dropped / 100);
            assertThat(c.members()).hasSize(1);
        }
    }

    @Test
    void aQueryWhoseConnectionClosesLeavesNoThreadOrTimer() throws Exception {
        TestAgent a = agent("query1", RpcLimits.defaults().withBudget(InputBudget.ofBytes(1 << 20)));
        RpcChannel c = a.client();
        List<StreamRecord.Event> seen = new CopyOnWriteArrayList<>();
        c.stream("query", seen::add); // the query also reaches this node: kept answerable until its deadline
        c.query(new RpcRequest.Query(List.of(), Map.of(), true, 0, Duration.ofSeconds(120).toNanos(), "long", new byte[0]),
                r -> { });
        Poll.until("query event streamed", WAIT, () -> !seen.isEmpty());
        if (ThreadNames.includesVirtualThreads()) {
            assertThat(ThreadNames.liveStartingWith("agent-rpc-query")).isNotEmpty();
        }
        assertThat(a.agent.rpcServer().timer().getQueue()).isNotEmpty();
        c.close();
        Poll.until("query threads gone", WAIT, () -> ThreadNames.liveStartingWith("agent-rpc-query").isEmpty()
                && ThreadNames.liveStartingWith("agent-rpc-event").isEmpty());
        Poll.until("query timer cancelled", WAIT, () -> a.agent.rpcServer().timer().getQueue().isEmpty());
        RpcChannel c2 = keep(a.client());
        Poll.until("stream slots given back", WAIT, () -> {
            try {
                return stat(c2, "rpc_streams") == 0;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aSlowHandlerDelaysOnlyTheEventsBehindItAndItsDropsAreCountedInStats() throws Exception {
        TestAgent a = keep(TestAgent.start("slow1", RpcLimits.defaults().withBudget(InputBudget.ofBytes(1 << 20)), 1,
                "-event-handler=user=sleep 30"));
        RpcChannel c = keep(a.client());
        List<StreamRecord.Event> seen = new CopyOnWriteArrayList<>();
        c.stream("user", seen::add);
        for (int i = 0; i < 5; i++) {
            c.userEvent("e" + i, new byte[0], false);
        }
        // The stream is not held back by the script sleeping 30 s.
        Poll.until("all events streamed", Duration.ofSeconds(10), () -> seen.size() == 5);
        Poll.until("drops counted", WAIT, () -> {
            try {
                return stat(c, "event_handler_dropped") >= 3;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(a.handlers.dropped()).isEqualTo(stat(c, "event_handler_dropped"));
        assertThat(limitStats(c)).containsKey("event_handler_queued");
    }
}
