package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.WireOptions;
import serf.wire.InputBudget;

/**
 * One probe round at a time, in virtual time on a {@link ManualScheduler}, against a transport
 * that only records what is sent and answers as told (answers are tasks, after a delay): when a
 * round ends and how (Go's probeNode), the buddy system, and the health score's moves (Go's
 * ProbeNode_Awareness_* cases). Probe timeout 500 ms, interval 1 s (Go's LAN defaults).
 */
class ProberTest {
    private static final byte[] NEW = {1, 5, 2, 0, 0, 0};
    private static final byte[] NO_NACKS = {1, 3, 2, 0, 0, 0};
    private static final long MS = 1_000_000L;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingTransport transport = new RecordingTransport(scheduler.clock());
    private final List<Duration> rtts = new ArrayList<>();
    private final AtomicLong taskFailures = new AtomicLong();
    private final CoreFixture f = new CoreFixture(c -> c.scheduler(scheduler).random(new Random(7))
            .probeTimeout(Duration.ofMillis(500)).probeInterval(Duration.ofSeconds(1)).disableTcpPings(true)
            .ping(new PingDelegate() {
                @Override
                public byte[] ackPayload() {
                    return null;
                }

                @Override
                public void notifyPingComplete(Node other, Duration rtt, byte[] payload) {
                    rtts.add(rtt);
                }
            }));
    private final AckWaiters acks = new AckWaiters();
    private final ShutdownSignal shutdown = new ShutdownSignal();
    private final MemberlistStats stats = new MemberlistStats();
    private final Prober prober;
    private boolean roundDone;
    private long roundEndedAt = -1;

    ProberTest() {
        LogLimiter limited = new LogLimiter(f.config.logger(), scheduler.clock());
        NodeScheduler tasks = new NodeScheduler(scheduler, shutdown, limited, taskFailures::incrementAndGet);
        NodeContext ctx = new NodeContext(f.config, scheduler.clock(), f.config.random(), f.config.logger(),
                limited, stats, transport, WireOptions.plain(), InputBudget.ofBytes(1 << 20),
                f.state, shutdown, tasks, InetAddress.getLoopbackAddress(), 7946);
        prober = new Prober(ctx, new PacketSender(ctx, null), acks);
        stats.attachProber(prober);
        f.bootstrapSelf();
    }

    private long now() {
        return scheduler.clock().nanoTime();
    }

    private void add(String name, int lastOctet, byte[] vsn) {
        f.state.aliveNode(new Message.Alive(1, name, new byte[] {127, 0, 0, (byte) lastOctet}, 7946, null, vsn), null, false);
    }

    /** Answers {@code after} from now, as a packet arriving later would. */
    private void later(long afterMs, Runnable answer) {
        scheduler.schedule(Duration.ofMillis(afterMs), answer);
    }

    /** Starts a round at the current virtual time; returns that time. */
    private long startRound() {
        long t0 = now();
        prober.probe(() -> {
            roundDone = true;
            roundEndedAt = now() - t0;
        });
        return t0;
    }

    /** Runs a whole round; returns how long it lasted in virtual time. */
    private long round() {
        startRound();
        scheduler.runFor(Duration.ofSeconds(30));
        assertThat(roundDone).as("the round ended").isTrue();
        assertThat(taskFailures.get()).isZero();
        return roundEndedAt;
    }

    @Test
    void aSuspectIsPingedTogetherWithTheSuspicionSoItCanRefuteAtOnce() {
        add("target", 2, NEW);
        f.state.suspectNode(new Message.Suspect(1, "target", "other"));
        f.clearBroadcasts();

        round();
        assertThat(transport.messagesTo(2)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(transport.messagesTo(2).get(0)).isInstanceOfSatisfying(Message.Ping.class,
                p -> assertThat(p.node()).isEqualTo("target"));
        assertThat(transport.messagesTo(2).get(1)).isInstanceOfSatisfying(Message.Suspect.class, s -> {
            assertThat(s.node()).isEqualTo("target");
            assertThat(s.from()).isEqualTo(CoreFixture.SELF);
        });
    }

    @Test
    void anAckImprovesHealthReportsTheRoundTripAndEndsTheRoundAtOnce() {
        add("target", 2, NEW);
        add("peer1", 3, NEW);
        f.state.awareness().applyDelta(1);
        transport.reaction = (m, to) -> {
            if (m instanceof Message.Ping p) {
                later(3, () -> acks.ack(p.seqNo(), null, now()));
            }
        };
        assertThat(round()).isEqualTo(3 * MS);
        assertThat(f.state.awareness().healthScore()).isZero();
        assertThat(f.stateOf("target")).isEqualTo(NodeState.ALIVE);
        assertThat(rtts).containsExactly(Duration.ofMillis(3));
        assertThat(transport.messages()).noneMatch(m -> m instanceof Message.IndirectPing);
    }

    @Test
    void anAckLaterThanTheProbeTimeoutStillCountsWithinTheRound() {
        add("target", 2, NEW);
        add("peer1", 3, NEW);
        transport.reaction = (m, to) -> {
            if (m instanceof Message.Ping p && p.node().equals("target")) {
                later(700, () -> acks.ack(p.seqNo(), null, now()));
            }
        };
        assertThat(round()).isEqualTo(700 * MS);
        assertThat(f.stateOf("target")).isEqualTo(NodeState.ALIVE);
        // At the probe timeout the peers were asked.
        assertThat(transport.messages()).filteredOn(m -> m instanceof Message.IndirectPing).hasSize(1);
        assertThat(transport.sent().stream().filter(s -> s.message() instanceof Message.IndirectPing).findFirst()
                .orElseThrow().atNanos()).isEqualTo(scheduler.clock().nanoTime() - (30_000 - 500) * MS);
        assertThat(rtts).as("only a direct ack is reported to the ping delegate").isEmpty();
    }

    @Test
    void anIndirectAckKeepsTheNodeAliveAndImprovesHealth() {
        add("target", 2, NEW);
        add("peer1", 3, NEW);
        add("peer2", 4, NEW);
        f.state.awareness().applyDelta(2);
        transport.reaction = (m, to) -> {
            if (m instanceof Message.IndirectPing ind && to.getAddress().getAddress()[3] == 3) {
                later(20, () -> acks.ack(ind.seqNo(), null, now())); // the relay forwards the target's ack
            }
        };
        // Health 2 scales the round to 3 s; the probe timeout stays 500 ms.
        assertThat(round()).isEqualTo(520 * MS);
        assertThat(f.stateOf("target")).isEqualTo(NodeState.ALIVE);
        assertThat(f.state.awareness().healthScore()).isEqualTo(1);
    }

    @Test
    void withNoAnswerTheNodeIsSuspectedAtTheRoundsDeadlineNotBefore() {
        add("target", 2, NEW);
        add("peer1", 3, NEW);
        add("peer2", 4, NEW);
        long t0 = startRound();
        scheduler.runUntil(t0 + 999 * MS);
        assertThat(roundDone).isFalse();
        assertThat(f.stateOf("target")).isEqualTo(NodeState.ALIVE);
        scheduler.runUntil(t0 + 1000 * MS);
        assertThat(roundDone).isTrue();
        assertThat(roundEndedAt).isEqualTo(1000 * MS);
        assertThat(f.stateOf("target")).isEqualTo(NodeState.SUSPECT);
        // Two nacks were promised and none came: this node may be the one in trouble.
        assertThat(f.state.awareness().healthScore()).isEqualTo(2);
    }

    @Test
    void whenEveryPromisedNackComesBackTheFaultIsTheTargetsAndHealthHolds() {
        add("target", 2, NEW);
        add("peer1", 3, NEW);
        add("peer2", 4, NEW);
        f.state.awareness().applyDelta(1);
        transport.reaction = (m, to) -> {
            if (m instanceof Message.IndirectPing ind && ind.nack()) {
                later(400, () -> acks.nack(ind.seqNo()));
            }
        };
        // With a health score of 1 the round lasts twice the probe interval.
        assertThat(round()).isEqualTo(2_000 * MS);
        assertThat(f.state.awareness().healthScore()).isEqualTo(1);
        assertThat(f.stateOf("target")).isEqualTo(NodeState.SUSPECT);
        assertThat(transport.messages()).filteredOn(m -> m instanceof Message.IndirectPing).hasSize(2);
    }

    @Test
    void eachMissingNackCostsHealth() {
        add("target", 2, NEW);
        add("peer1", 3, NEW);
        add("peer2", 4, NEW);
        boolean[] answered = {false};
        transport.reaction = (m, to) -> {
            if (m instanceof Message.IndirectPing ind && !answered[0]) {
                answered[0] = true;
                later(10, () -> acks.nack(ind.seqNo()));
            }
        };
        round();
        assertThat(f.state.awareness().healthScore()).isEqualTo(1);
        assertThat(f.stateOf("target")).isEqualTo(NodeState.SUSPECT);
    }

    @Test
    void withPeersTooOldToNackAFailedRoundCostsOne() {
        add("target", 2, NEW);
        add("peer1", 3, NO_NACKS);
        add("peer2", 4, NO_NACKS);
        round();
        assertThat(transport.messages()).filteredOn(m -> m instanceof Message.IndirectPing ind && !ind.nack()).hasSize(2);
        assertThat(f.state.awareness().healthScore()).isEqualTo(1);
        assertThat(f.stateOf("target")).isEqualTo(NodeState.SUSPECT);
    }

    @Test
    void aTcpAnswerAloneSavesTheNodeButTheRoundWaitsForItsDeadline() {
        f.config.disableTcpPings(false);
        transport.tcpAnswers = true;
        add("target", 2, NEW);
        f.state.awareness().applyDelta(1);
        // Go's rule: the TCP result is only looked at once the UDP acks had all their time.
        assertThat(round()).isEqualTo(2_000 * MS);
        assertThat(transport.dials).isEqualTo(1);
        assertThat(f.stateOf("target")).isEqualTo(NodeState.ALIVE);
        assertThat(f.state.awareness().healthScore()).isZero();
    }

    @Test
    void aTcpPingStillRunningAtTheDeadlineIsWaitedForBriefly() {
        f.config.disableTcpPings(false);
        transport.tcpAnswers = true;
        add("target", 2, NEW);
        scheduler.executeDelay(Duration.ofMillis(520)); // handed over at 500 ms, runs at 1,020 ms
        // The verdict waits for the ping's end (within the grace), not for the whole grace; the ping
        // itself found its deadline passed, so it is no contact.
        assertThat(round()).isEqualTo(1_020 * MS);
        assertThat(transport.dials).isZero();
        assertThat(f.stateOf("target")).isEqualTo(NodeState.SUSPECT);
    }

    @Test
    void aTcpPingLaterThanTheGraceIsNotWaitedFor() {
        f.config.disableTcpPings(false);
        transport.tcpAnswers = true;
        add("target", 2, NEW);
        scheduler.executeDelay(Duration.ofMillis(600)); // would run at 1,100 ms
        assertThat(round()).isEqualTo(1_050 * MS);
        assertThat(f.stateOf("target")).isEqualTo(NodeState.SUSPECT);
    }

    @Test
    void aRoundStoppedByShutdownHasNoOutcome() {
        add("target", 2, NEW);
        long t0 = startRound();
        scheduler.runUntil(t0 + 600 * MS);
        prober.stop();
        shutdown.raise();
        scheduler.runFor(Duration.ofSeconds(30));
        assertThat(roundDone).isFalse();
        assertThat(f.stateOf("target")).isEqualTo(NodeState.ALIVE);
        assertThat(f.state.awareness().healthScore()).isZero();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aDelegateThatThrowsEndsTheRoundWithoutAHealthChange() {
        f.config.ping(new PingDelegate() {
            @Override
            public byte[] ackPayload() {
                return null;
            }

            @Override
            public void notifyPingComplete(Node other, Duration rtt, byte[] payload) {
                throw new IllegalStateException("broken delegate");
            }
        });
        add("target", 2, NEW);
        f.state.awareness().applyDelta(1);
        transport.reaction = (m, to) -> {
            if (m instanceof Message.Ping p) {
                later(1, () -> acks.ack(p.seqNo(), null, now()));
            }
        };
        startRound();
        scheduler.runFor(Duration.ofSeconds(5));
        assertThat(roundDone).isTrue();
        assertThat(taskFailures.get()).isEqualTo(1);
        assertThat(f.state.awareness().healthScore()).isEqualTo(1);
    }

    @Test
    void theHealthAccountingRule() {
        assertThat(Prober.awarenessDelta(true, 3, 0)).isEqualTo(-1);
        assertThat(Prober.awarenessDelta(false, 0, 0)).isEqualTo(1);
        assertThat(Prober.awarenessDelta(false, 3, 3)).isZero();
        assertThat(Prober.awarenessDelta(false, 3, 1)).isEqualTo(2);
    }

    private static java.net.InetSocketAddress at(int lastOctet) {
        try {
            return new java.net.InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) lastOctet}), 7946);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Adds "target" and "peer1", each of which answers every ping itself, {@code ms} later. */
    private void twoNodesAnswerAfter(long ms) {
        add("target", 2, NEW);
        add("peer1", 3, NEW);
        transport.reaction = (m, to) -> {
            if (m instanceof Message.Ping p) {
                later(ms, () -> acks.ack(p.seqNo(), null, now(), to));
            }
        };
    }

    private long suspects() {
        return java.util.stream.Stream.of("target", "peer1").filter(n -> f.stateOf(n) == NodeState.SUSPECT).count();
    }

    private long indirectPingsSent() {
        return transport.messages().stream().filter(m -> m instanceof Message.IndirectPing).count();
    }

    @Test
    void roundTripsWellWithinTheProbeTimeoutLeaveGosTimeouts() {
        twoNodesAnswerAfter(3);
        for (int i = 0; i < 20; i++) {
            roundDone = false;
            assertThat(round()).as("a round that probed a node, or none at a turn of the rotation").isIn(0L, 3 * MS);
        }
        assertThat(stats.probeRoundTripMicros()).isEqualTo(3_000);
        // The nodes stop answering: the next one probed is suspected at Go's deadline, the probe interval.
        transport.reaction = (m, to) -> { };
        roundDone = false;
        assertThat(round()).isEqualTo(1_000 * MS);
        assertThat(suspects()).isEqualTo(1);
        assertThat(stats.probeRoundsStretched()).isZero();
    }

    @Test
    void slowAnswersLengthenTheWaitSoTheyAreNotTakenForFailures() {
        twoNodesAnswerAfter(900);
        // The first slow ack comes after the probe timeout: indirect pings went out, the round still ended well.
        assertThat(round()).isEqualTo(900 * MS);
        assertThat(indirectPingsSent()).isEqualTo(1);
        // 900 ms ± 450: a wait of 2.7 s for the direct ack, 5.4 s for the round (Go's proportion kept).
        Prober.Timeouts t = Prober.Timeouts.of(Duration.ofMillis(500), Duration.ofSeconds(1), f.state.awareness(),
                2_700 * MS, 8);
        assertThat(t).isEqualTo(new Prober.Timeouts(2_700 * MS, 5_400 * MS, true));
        roundDone = false;
        assertThat(round()).isEqualTo(900 * MS);
        assertThat(indirectPingsSent()).as("the ack came within the longer wait: no peer was asked").isEqualTo(1);
        assertThat(stats.probeRoundsStretched()).isEqualTo(1);
        assertThat(suspects()).isZero();
        assertThat(f.state.awareness().healthScore()).isZero();
    }

    @Test
    void aDeadNodeIsStillFoundWithinTheLongerRoundAndDoesNotLengthenItFurther() {
        twoNodesAnswerAfter(900);
        round();
        long timeoutBefore = stats.probeRoundTripMicros();
        transport.reaction = (m, to) -> { };
        roundDone = false;
        long t0 = startRound();
        scheduler.runUntil(t0 + 2_699 * MS);
        assertThat(indirectPingsSent()).isEqualTo(1);
        scheduler.runUntil(t0 + 2_700 * MS);
        assertThat(indirectPingsSent()).as("a peer asked at 2.7 s").isEqualTo(2);
        scheduler.runUntil(t0 + 5_399 * MS);
        assertThat(suspects()).isZero();
        scheduler.runUntil(t0 + 5_400 * MS);
        assertThat(roundDone).isTrue();
        assertThat(suspects()).isEqualTo(1);
        assertThat(stats.probeRoundTripMicros()).isEqualTo(timeoutBefore);
    }

    @Test
    void anAckARelayForwardedIsNoRoundTripOfTheTarget() {
        add("target", 2, NEW);
        add("peer1", 3, NEW);
        transport.reaction = (m, to) -> {
            if (m instanceof Message.IndirectPing ind) {
                later(300, () -> acks.ack(ind.seqNo(), null, now(), at(3)));
            }
        };
        assertThat(round()).isEqualTo(800 * MS);
        assertThat(f.stateOf("target")).isEqualTo(NodeState.ALIVE);
        assertThat(stats.probeRoundTripMicros()).isZero();
    }

    @Test
    void theLengtheningIsCappedByTheLargestAwarenessFactorAndCombinesWithHealth() {
        Awareness healthy = new Awareness(8);
        assertThat(Prober.Timeouts.of(Duration.ofMillis(500), Duration.ofSeconds(1), healthy, 400 * MS, 8))
                .isEqualTo(new Prober.Timeouts(500 * MS, 1_000 * MS, false));
        assertThat(Prober.Timeouts.of(Duration.ofMillis(500), Duration.ofSeconds(1), healthy, 60_000 * MS, 8))
                .isEqualTo(new Prober.Timeouts(4_000 * MS, 8_000 * MS, true));
        Awareness sick = new Awareness(8);
        sick.applyDelta(5); // Go: a round of 6 s, the direct wait still 500 ms
        assertThat(Prober.Timeouts.of(Duration.ofMillis(500), Duration.ofSeconds(1), sick, 0, 8))
                .isEqualTo(new Prober.Timeouts(500 * MS, 6_000 * MS, false));
        assertThat(Prober.Timeouts.of(Duration.ofMillis(500), Duration.ofSeconds(1), sick, 1_000 * MS, 8))
                .isEqualTo(new Prober.Timeouts(1_000 * MS, 6_000 * MS, true));
        // WAN: 3 s and 5 s, a measured 6 s: twice each.
        assertThat(Prober.Timeouts.of(Duration.ofSeconds(3), Duration.ofSeconds(5), healthy, 6_000 * MS, 8))
                .isEqualTo(new Prober.Timeouts(6_000 * MS, 10_000 * MS, true));
    }

    @Test
    void anAckThatComesAfterItsRoundStillTeachesHowLongAnswersTake() {
        twoNodesAnswerAfter(1_500);
        // Longer than a whole round: the first round ends as Go's would, with a suspicion.
        assertThat(round()).isEqualTo(1_000 * MS);
        assertThat(suspects()).isEqualTo(1);
        // Its ack, 1.5 s after the ping, still counts: 1.5 s + 4 × 0.75 s, capped at 8 × the probe timeout.
        assertThat(stats.probeRoundTripMicros()).isEqualTo(1_500_000);
        long indirectBefore = indirectPingsSent();
        roundDone = false;
        assertThat(round()).isEqualTo(1_500 * MS);
        assertThat(indirectPingsSent()).as("the next ack came within the longer wait").isEqualTo(indirectBefore);
        assertThat(stats.probeRoundsStretched()).isEqualTo(1);
    }
}
