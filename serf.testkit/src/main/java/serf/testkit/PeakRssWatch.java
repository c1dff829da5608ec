package serf.testkit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows another process's peak resident set (VmHWM) while it runs, so that the peak is still
 * known after the process has died (its /proc entry goes with it). Polls every {@code period} on
 * one named thread until {@link #close()}, which stops and joins it.
 */
public final class PeakRssWatch implements AutoCloseable {
    private final long pid;
    private final Duration period;
    private final AtomicLong peakKb = new AtomicLong();
    private final Thread poller;
    private volatile boolean stopped;

    private PeakRssWatch(long pid, Duration period) {
        this.pid = pid;
        this.period = period;
        this.poller = Thread.ofPlatform().daemon().name("peak-rss-watch-" + pid).unstarted(this::poll);
    }

    /** Starts following {@code pid}, sampling every {@code period}. */
    public static PeakRssWatch start(long pid, Duration period) {
        PeakRssWatch watch = new PeakRssWatch(pid, period);
        watch.sample();
        watch.poller.start();
        return watch;
    }

    /** The highest VmHWM seen, in KiB (read once more now if the process is still there). */
    public long peakKb() {
        sample();
        return peakKb.get();
    }

    private void sample() {
        ProcStatus.peakRssKb(pid).ifPresent(kb -> peakKb.accumulateAndGet(kb, Math::max));
    }

    private void poll() {
        while (!stopped) {
            sample();
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        poller.interrupt();
        try {
            poller.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
