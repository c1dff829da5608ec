/**
 * The Serf snapshot file: append, compact, recover. Knows nothing of Serf itself: it deals in node
 * names, {@code ip:port} address text and Lamport times held as unsigned 64-bit {@code long}s.
 *
 * <p>{@link serf.snapshot.Snapshotter} is the entry point.
 */
module serf.snapshot {
    // AtomicFile only: replacing the snapshot on compaction as every other file is replaced.
    requires serf.wire;

    exports serf.snapshot;
}
