package serf.memberlist;

import java.util.concurrent.atomic.AtomicBoolean;

/** A node's shutdown flag: every task of the node checks it first (see {@link NodeScheduler}). */
final class ShutdownSignal {
    private final AtomicBoolean down = new AtomicBoolean();

    /** Raises it; true for the one call that did. */
    boolean raise() {
        return down.compareAndSet(false, true);
    }

    boolean isDown() {
        return down.get();
    }
}
