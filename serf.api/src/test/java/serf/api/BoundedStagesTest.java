package serf.api;

import serf.testkit.RecordingLogger;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import serf.api.internal.msg.SerfMessage;
import serf.memberlist.Scheduler;
import serf.testkit.Poll;
import serf.testkit.ThreadNames;

/** Each bounded stage on its own: it never waits, never grows past its bound, and counts what it drops. */
class BoundedStagesTest {
    private final RecordingLogger log = new RecordingLogger();

    @Test
    void aRunOfDropsIsLoggedOnceWhenItStartsAndOnceWhenItEnds() {
        DropCounter c = new DropCounter("test queue full, items", log);
        c.passed();
        for (int i = 0; i < 1000; i++) {
            c.dropped("item " + i);
        }
        c.passed();
        c.passed();
        c.dropped("again");
        c.flush();
        assertThat(c.total()).isEqualTo(1001);
        assertThat(log.count("dropping (first: item 0)")).isEqualTo(1);
        assertThat(log.count("recovered after dropping 1000 (1000 in total)")).isEqualTo(1);
        assertThat(log.count("dropping (first: again)")).isEqualTo(1);
        assertThat(log.count("stopped after dropping 1 (1001 in total)")).isEqualTo(1);
        assertThat(log.lines).hasSize(4);
    }

    @Test
    void theDrainQueueHandlesOneAtATimeQueuesABoundedNumberAndDropsTheRest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger inHandler = new AtomicInteger();
        AtomicInteger maxInHandler = new AtomicInteger();
        DropCounter drops = new DropCounter("worker", log);
        try (Scheduler scheduler = Scheduler.ofThreads("test-drain-queue", log)) {
            DrainQueue<Integer> w = new DrainQueue<>("test", scheduler, 4, Long.MAX_VALUE, i -> 0, i -> {
                maxInHandler.accumulateAndGet(inHandler.incrementAndGet(), Math::max);
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handled.incrementAndGet();
                inHandler.decrementAndGet();
            }, drops, log);
            try {
                assertThat(w.offer(0)).isTrue();
                assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
                long t0 = System.nanoTime();
                int accepted = 0;
                for (int i = 1; i <= 1000; i++) {
                    if (w.offer(i)) {
                        accepted++;
                    }
                }
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
                assertThat(accepted).isEqualTo(4);
                assertThat(drops.total()).isEqualTo(996);
                release.countDown();
                Poll.until("the queued items handled", Duration.ofSeconds(5), () -> handled.get() == 5);
                Poll.until("the drain to end", Duration.ofSeconds(5), () -> !w.draining());
                assertThat(maxInHandler.get()).as("one item at a time").isEqualTo(1);
            } finally {
                release.countDown();
                w.shutdown(false, Duration.ofSeconds(5));
            }
            assertThat(w.offer(7)).isFalse();
        }
    }

    @Test
    void conflictResolutionRunsOnceAtATimeAndAtMostOncePerInterval() {
        ManualScheduler scheduler = new ManualScheduler();
        AtomicInteger runs = new AtomicInteger();
        List<Runnable> finish = new ArrayList<>();
        DropCounter drops = new DropCounter("conflicts", log);
        ConflictResolver r = new ConflictResolver(scheduler, scheduler, Duration.ofMillis(300), done -> {
            runs.incrementAndGet();
            finish.add(done);
        }, drops);
        for (int i = 0; i < 1000; i++) {
            r.request();
        }
        assertThat(runs.get()).as("nothing runs on the caller's stack").isZero();
        scheduler.runDue();
        assertThat(runs.get()).isEqualTo(1);
        assertThat(drops.total()).isEqualTo(999);
        assertThat(r.inFlight()).isTrue();
        finish.get(0).run();
        assertThat(r.inFlight()).isFalse();
        assertThat(r.request()).as("still within the interval").isFalse();
        scheduler.advance(Duration.ofMillis(300));
        assertThat(r.request()).isTrue();
        scheduler.runDue();
        assertThat(runs.get()).isEqualTo(2);
        finish.get(1).run();
        r.shutdown();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(r.request()).isFalse();
        assertThat(scheduler.failures).isEmpty();
    }

    @Test
    void eventDeliveryNeverWaitsForASlowSinkAndCountsWhatItDrops() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Event> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        DropCounter drops = new DropCounter("sink", log);
        Scheduler scheduler = Scheduler.ofThreads("test-delivery", log);
        EventDelivery d = new EventDelivery(scheduler, e -> {
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            got.add(e);
        }, 8, drops, log);
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < 500; i++) {
                d.accept(new Event.UserEvent(i, "e" + i, null, false));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            // One in the sink, eight queued, the rest dropped.
            Poll.until("the drops counted", Duration.ofSeconds(5), () -> drops.total() >= 491);
            assertThat(drops.total()).isBetween(491L, 492L);
            // One run of drops (two if the sink took its first event while the queue was filling).
            assertThat(log.count("sink: dropping")).isBetween(1L, 2L);
            release.countDown();
            Poll.until("the queued events delivered", Duration.ofSeconds(5), () -> got.size() == 500 - drops.total());
            assertThat(got.get(0)).extracting(e -> ((Event.UserEvent) e).name()).isEqualTo("e0");
        } finally {
            release.countDown();
            d.shutdown();
            scheduler.close();
        }
        Poll.until("the drain thread to end", Duration.ofSeconds(5), () -> ThreadNames.liveStartingWith("test-delivery").isEmpty());
    }

    @Test
    void eventDeliveryBoundsTheBytesItHoldsNotOnlyTheCount() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        DropCounter drops = new DropCounter("sink bytes", log);
        Scheduler scheduler = Scheduler.ofThreads("test-delivery-bytes", log);
        EventDelivery d = new EventDelivery(scheduler, e -> {
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, 100_000, drops, log);
        try {
            byte[] big = new byte[64 * 1024];
            for (int i = 0; i < 1000; i++) {
                d.accept(new Event.UserEvent(i, "big", big, false));
            }
            assertThat(d.queuedBytes()).isLessThanOrEqualTo(EventDelivery.MAX_QUEUED_BYTES);
            assertThat(d.queued()).isLessThanOrEqualTo((int) (EventDelivery.MAX_QUEUED_BYTES / big.length));
            assertThat(drops.total()).isGreaterThanOrEqualTo(1000 - 1 - EventDelivery.MAX_QUEUED_BYTES / big.length);
            // Small events still get in once the big ones are out of the way.
            release.countDown();
            Poll.until("the queue drained", Duration.ofSeconds(5), () -> d.queued() == 0 && d.queuedBytes() == 0);
        } finally {
            release.countDown();
            d.shutdown();
            scheduler.close();
        }
    }

    @Test
    void aSinkMayShutDeliveryDownFromItsOwnThread() throws Exception {
        EventDelivery[] self = new EventDelivery[1];
        CountDownLatch returned = new CountDownLatch(1);
        AtomicInteger delivered = new AtomicInteger();
        Scheduler scheduler = Scheduler.ofThreads("test-delivery-self", log);
        self[0] = new EventDelivery(scheduler, e -> {
            delivered.incrementAndGet();
            long t0 = System.nanoTime();
            self[0].shutdown();
            if (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1)) {
                returned.countDown();
            }
        }, 8, new DropCounter("self", log), log);
        for (int i = 0; i < 5; i++) {
            self[0].accept(new Event.UserEvent(i, "e", null, false));
        }
        assertThat(returned.await(5, TimeUnit.SECONDS)).as("shutdown from the sink returns at once").isTrue();
        scheduler.close();
        Poll.until("the delivery thread to end", Duration.ofSeconds(5),
                () -> ThreadNames.liveStartingWith("test-delivery-self").isEmpty());
        assertThat(delivered.get()).isEqualTo(1);
    }

    @Test
    void aUserEventCoalescerFlushesEarlyRatherThanHoldingAFlood() {
        List<Event> out = new ArrayList<>();
        Coalescer.UserStrategy s = new Coalescer.UserStrategy();
        for (int i = 0; i < 3000; i++) {
            s.coalesce(new Event.UserEvent(7, "name-" + i, null, true));
        }
        assertThat(s.held()).isEqualTo(3000);
        s.flush(out::add);
        assertThat(s.held()).isZero();
        assertThat(out).hasSize(3000);
        s.coalesce(new Event.UserEvent(8, "x", null, true));
        s.coalesce(new Event.UserEvent(8, "x", new byte[] {1}, true));
        s.coalesce(new Event.UserEvent(9, "x", null, true));
        assertThat(s.held()).isEqualTo(1);
        assertThat(Coalescer.MAX_HELD).isLessThan(3000);
    }

    @Test
    void theUserEventRingBoundsEachSlotTheBytesAndTheEventSize() {
        LTimeRing<SerfMessage.UserEventData> ring = UserEvents.newRing(8, 10_000);
        assertThat(ring.record(1, new SerfMessage.UserEventData("a", new byte[] {1}))).isEqualTo(LTimeRing.Outcome.NEW);
        assertThat(ring.record(1, new SerfMessage.UserEventData("a", new byte[] {1}))).isEqualTo(LTimeRing.Outcome.DUPLICATE);
        for (int i = 0; i < UserEvents.MAX_EVENTS_PER_SLOT; i++) {
            assertThat(ring.record(2, new SerfMessage.UserEventData("n" + i, null))).isEqualTo(LTimeRing.Outcome.NEW);
        }
        assertThat(ring.record(2, new SerfMessage.UserEventData("one-too-many", null))).isEqualTo(LTimeRing.Outcome.FULL);
        DropCounter tooBig = new DropCounter("too big", log);
        UserEvents events = new UserEvents(8, 10_000, tooBig, log, e -> { });
        assertThat(events.handle(new SerfMessage.UserEvent(3, "big", new byte[Config.USER_EVENT_SIZE_HARD_LIMIT], false)))
                .as("larger than any sender may make: refused").isFalse();
        assertThat(tooBig.total()).isEqualTo(1);
        // A slot grows only within the byte budget...
        assertThat(ring.record(4, new SerfMessage.UserEventData("first", new byte[5000]))).isEqualTo(LTimeRing.Outcome.NEW);
        assertThat(ring.record(4, new SerfMessage.UserEventData("second", new byte[5000]))).isEqualTo(LTimeRing.Outcome.FULL);
        // ...but a newer LTime always takes its slot over (that is how the ring forgets).
        assertThat(ring.record(12, new SerfMessage.UserEventData("takeover", new byte[5000]))).isEqualTo(LTimeRing.Outcome.NEW);
        assertThat(ring.snapshot().get(4).items()).extracting(d -> d.name()).containsExactly("takeover");
        assertThat(ring.bytes()).isLessThanOrEqualTo(10_000 + 9216 + 100);
    }

    @Test
    void aNilAndAnEmptyPayloadAreTheSameEventAsInGo() {
        // Go peers gossip an empty payload as nil and push/pull it as an empty raw (bytes.Equal: equal).
        LTimeRing<SerfMessage.UserEventData> ring = UserEvents.newRing(8, 10_000);
        assertThat(ring.record(7, new SerfMessage.UserEventData("deploy", null))).isEqualTo(LTimeRing.Outcome.NEW);
        assertThat(ring.record(7, new SerfMessage.UserEventData("deploy", new byte[0]))).isEqualTo(LTimeRing.Outcome.DUPLICATE);
        assertThat(ring.record(8, new SerfMessage.UserEventData("deploy", new byte[0]))).isEqualTo(LTimeRing.Outcome.NEW);
        assertThat(ring.record(8, new SerfMessage.UserEventData("deploy", null))).isEqualTo(LTimeRing.Outcome.DUPLICATE);
    }

    @Test
    void theQueryRingRefusesRatherThanForgets() {
        LTimeRing<Long> ring = Queries.newRing(4);
        for (int i = 0; i < Queries.MAX_IDS_PER_SLOT; i++) {
            assertThat(ring.record(5, (long) i)).isEqualTo(LTimeRing.Outcome.NEW);
        }
        assertThat(ring.record(5, (long) 3)).isEqualTo(LTimeRing.Outcome.DUPLICATE);
        assertThat(ring.record(5, (long) 100_000)).isEqualTo(LTimeRing.Outcome.FULL);
        assertThat(ring.record(9, (long) 100_000)).isEqualTo(LTimeRing.Outcome.NEW);
        assertThat(ring.record(9, (long) 100_000)).isEqualTo(LTimeRing.Outcome.DUPLICATE);
    }

    @Test
    void theIntentBufferIsBoundedAndCountsWhatItRefuses() {
        DropCounter drops = new DropCounter("intents", log);
        ManualScheduler clock = new ManualScheduler();
        IntentBuffer b = new IntentBuffer(drops, clock);
        for (int i = 0; i < IntentBuffer.MAX_ENTRIES + 100; i++) {
            b.upsert("node-" + i, IntentBuffer.Kind.JOIN, 5);
        }
        assertThat(b.size()).isEqualTo(IntentBuffer.MAX_ENTRIES);
        assertThat(drops.total()).isEqualTo(100);
        assertThat(b.upsert("node-1", IntentBuffer.Kind.LEAVE, 6)).as("a known node's newer intent still fits").isTrue();
        clock.advance(Duration.ofNanos(1));
        b.reap(0);
        assertThat(b.size()).isZero();
        String longName = "x".repeat(100_000);
        int fitted = 0;
        for (int i = 0; i < 10; i++) {
            if (b.upsert(longName + i, IntentBuffer.Kind.JOIN, 1)) {
                fitted++;
            }
        }
        assertThat((long) fitted * 100_001).isLessThanOrEqualTo(IntentBuffer.MAX_NAME_CHARS);
    }

    @Test
    void aQueryKeepsABoundedRecordOfWhoAnswered() {
        DropCounter drops = new DropCounter("responses", log);
        QueryResponse r = new QueryResponse(1, 1, Duration.ofSeconds(30), true, 3, java.util.Set.of(), 0, drops, new ManualScheduler(), new ManualScheduler());
        for (int i = 0; i < 10_000; i++) {
            r.addResponse("forged-" + i, null);
            r.addAck("forged-" + i);
        }
        assertThat(drops.total()).isEqualTo(2 * (10_000 - 3));
        assertThat(r.addResponse("forged-0", null)).as("a duplicate is not a drop").isFalse();
        assertThat(drops.total()).isEqualTo(2 * (10_000 - 3));
        r.close();
    }
}
