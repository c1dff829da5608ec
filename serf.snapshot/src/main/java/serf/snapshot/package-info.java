/**
 * Serf's snapshot file, wire-compatible with Go serf 0.9.4: {@link serf.snapshot.Snapshotter}
 * replays it on start ({@link serf.snapshot.RecoveredState}), records
 * {@link serf.snapshot.SnapshotEvent}s in the Go agent's line format, and compacts it.
 *
 * <p>Where to start: {@code Snapshotter.open(SnapshotConfig.defaults(path, clock))}, then
 * {@code recovered()} for the nodes and clocks to restore, {@code offer(event)} for each event, and
 * {@code leave()} / {@code close()} at the end. {@code Snapshotter.recover(...)} reads a file without
 * opening it for writing.
 *
 * <p><b>Threads.</b> A snapshotter writes on one thread of its own; {@code offer} never blocks (a full
 * queue drops the event and counts it) and is safe from any thread. {@code SnapshotConfig},
 * {@code KnownNode}, {@code RecoveredState} and the events are immutable. The file format is described in
 * the repository's {@code docs/protocol/snapshot-keyring.md}.
 */
package serf.snapshot;
