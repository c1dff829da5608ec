package serf.memberlist.transport;

/**
 * The kind of thread a node runs its few long-lived loops on: the timer thread of the scheduler the
 * node (or Serf) makes for itself ({@code serf.memberlist.Scheduler.ofThreads}), and the UDP packet
 * reader and TCP acceptor of its {@link NetTransport}. Everything else stays on virtual threads
 * whatever the choice: each accepted or dialed stream, each write watchdog, each piece of blocking work
 * of the scheduler (push/pull, TCP pings, the hand-off drain).
 *
 * <p>{@link #VIRTUAL}, the default, costs no platform thread per node, so thousands of nodes fit in
 * one JVM (tests, simulations, the scale benchmark). {@link #PLATFORM} suits one node per process, as
 * in the agent: a parked platform thread is woken by the kernel alone, where a virtual one is woken
 * through the JDK's scheduler (a timer or I/O poller thread, then a carrier thread of the
 * {@code ForkJoinPool}, then mounting the virtual thread), and that costs CPU on every timer tick and
 * every datagram; under the interpreter the agent's image runs with ({@code -Xint}) it was about a
 * sixth of an idle agent's CPU (docs/benchmarks.md, "Idle CPU of the agent"). Three platform threads
 * per node, daemon threads, so they never keep a JVM alive.
 */
public enum LoopThreads {
    /** Virtual threads: no platform thread per node (the default). */
    VIRTUAL,
    /** Platform (daemon) threads: cheaper to wake, three per node. */
    PLATFORM;

    /**
     * {@return a builder of threads of this kind} Platform threads are daemon threads of the default
     * stack size.
     */
    public Thread.Builder builder() {
        return switch (this) {
            case VIRTUAL -> Thread.ofVirtual();
            case PLATFORM -> Thread.ofPlatform().daemon();
        };
    }
}
