/**
 * Serf's snapshot file, wire-compatible with Go serf 0.9.4: {@link serf.snapshot.Snapshotter}
 * replays it on start ({@link serf.snapshot.RecoveredState}), records
 * {@link serf.snapshot.SnapshotEvent}s in the Go agent's line format, and compacts it.
 */
package serf.snapshot;
