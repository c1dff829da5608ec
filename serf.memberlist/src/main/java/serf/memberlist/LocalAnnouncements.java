package serf.memberlist;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * What this node says about itself: its alive message at start (with its metadata and protocol
 * versions), a new incarnation when the delegate's metadata changes, and its leave; for the last two,
 * the wait until the message has been gossiped as often as the retransmit limit allows.
 */
final class LocalAnnouncements {
    private final MemberlistConfig config;
    private final MembershipState state;
    private final NodeScheduler tasks;
    private final ShutdownSignal shutdown;
    private final InetAddress advertiseAddr;
    private final int advertisePort;

    LocalAnnouncements(MemberlistConfig config, MembershipState state, NodeScheduler tasks, ShutdownSignal shutdown,
            InetAddress advertiseAddr, int advertisePort) {
        this.config = config;
        this.state = state;
        this.tasks = tasks;
        this.shutdown = shutdown;
        this.advertiseAddr = advertiseAddr;
        this.advertisePort = advertisePort;
    }

    /** Announces this node alive (at start). */
    void setAlive() {
        state.setAlive(advertiseAddr, advertisePort, localMeta(), localVsn(), null);
    }

    /** See {@link Memberlist#leave}. */
    void leave(Duration timeout) throws IOException {
        if (shutdown.isDown()) {
            throw new IllegalStateException("memberlist is shut down");
        }
        CountDownLatch done = new CountDownLatch(1);
        Boolean wait = state.leave(done);
        if (wait != null && wait) {
            awaitBroadcast(done, timeout, "leave");
        }
    }

    /** See {@link Memberlist#updateNode}. */
    void updateNode(Duration timeout) throws IOException {
        byte[] meta = localMeta();
        CountDownLatch done = new CountDownLatch(1);
        if (state.updateLocal(advertiseAddr, advertisePort, meta, done)) {
            awaitBroadcast(done, timeout, "update");
        }
    }

    /** Waits until a broadcast has been sent as often as the retransmit limit allows. */
    private void awaitBroadcast(CountDownLatch done, Duration timeout, String what) throws IOException {
        try {
            if (!tasks.await(done, timeout)) {
                throw new IOException("timeout waiting for " + what + " broadcast");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + what + " broadcast", e);
        }
    }

    private byte[] localMeta() {
        Delegate d = config.delegate();
        if (d == null) {
            return new byte[0];
        }
        byte[] meta = d.nodeMeta(Memberlist.META_MAX_SIZE);
        if (meta == null) {
            return new byte[0];
        }
        if (meta.length > Memberlist.META_MAX_SIZE) {
            throw new IllegalStateException("node meta data provided is longer than the limit (" + meta.length + " > "
                    + Memberlist.META_MAX_SIZE + ")");
        }
        return meta;
    }

    private byte[] localVsn() {
        return new byte[] {Memberlist.PROTOCOL_VERSION_MIN, Memberlist.PROTOCOL_VERSION_MAX, (byte) config.protocolVersion(),
            (byte) config.delegateProtocolMin(), (byte) config.delegateProtocolMax(),
            (byte) config.delegateProtocolVersion()};
    }
}
