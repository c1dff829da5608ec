package serf.api;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import serf.api.internal.msg.Tags;
import serf.memberlist.Memberlist;

/**
 * The local node's tags: read lock-free by the gossip side (they go out as memberlist node meta),
 * replaced one update at a time, each update gossiped through memberlist before the next begins.
 */
final class LocalTags {
    private final int protocolVersion;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Map<String, String> tags;

    LocalTags(Map<String, String> initial, int protocolVersion) {
        this.tags = Map.copyOf(initial);
        this.protocolVersion = protocolVersion;
    }

    /** {@return the current tags (an unmodifiable map)} */
    Map<String, String> get() {
        return tags;
    }

    /**
     * Why these tags cannot be node meta, or null when they can.
     *
     * @param tags the tags to check
     * @param protocolVersion the Serf protocol version that decides how they are encoded
     * @return the error message, or null
     */
    static String oversized(Map<String, String> tags, int protocolVersion) {
        byte[] meta = Tags.encodeMeta(tags, protocolVersion);
        return meta.length > Memberlist.META_MAX_SIZE
                ? "Encoded length of tags exceeds limit of " + Memberlist.META_MAX_SIZE + " bytes"
                : null;
    }

    /** Replaces the tags and has memberlist gossip the new node meta, waiting up to {@code timeout}. */
    void set(Map<String, String> newTags, Memberlist memberlist, Duration timeout) throws SerfException {
        String error = oversized(newTags, protocolVersion);
        if (error != null) {
            throw new SerfException(error);
        }
        lock.lock();
        try {
            tags = Map.copyOf(newTags);
            memberlist.updateNode(timeout);
        } catch (IOException e) {
            throw new SerfException(e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
