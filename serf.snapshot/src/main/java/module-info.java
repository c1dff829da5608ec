/**
 * The Serf snapshot file: append, compact, recover. Knows nothing of Serf itself.
 */
module serf.snapshot {
}
