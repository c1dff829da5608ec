/**
 * The msgpack codec that memberlist, Serf and the agent's RPC use, written by hand to make the same
 * encoding choices as the Go library ({@code hashicorp/go-msgpack}) the Go implementation uses, and
 * the bounds that keep decoding of hostile input cheap.
 *
 * <p><b>Where to start.</b> {@link serf.wire.MsgpackWriter} writes values in their smallest form;
 * {@link serf.wire.MsgpackWriter#gossip()} writes strings and byte slices as the old msgpack spec's raw
 * type (what memberlist and Serf gossip), {@link serf.wire.MsgpackWriter#rpc()} as str8 and bin (what the
 * agent's RPC writes). {@link serf.wire.MsgpackReader} reads values field by field; every length is
 * checked against what is left and against {@link serf.wire.DecodeLimits}, and malformed input raises
 * {@link serf.wire.DecodeException} with the offset. {@link serf.wire.MsgValue} is a schema-free tree for
 * tests and diagnostics.
 *
 * <p>Also here: {@link serf.wire.InputBudget}, the memory reserved for input before it is allocated (shared by
 * the modules above); {@link serf.wire.HostPort}, Go's {@code host:port} text; {@link serf.wire.AtomicFile},
 * a crash-safe file replacement.
 *
 * <p><b>Threads.</b> Readers and writers are not thread-safe (one per message, cheap to make);
 * {@code InputBudget} is thread-safe and never blocks unless asked to wait; the rest is stateless. The
 * encodings are described in the repository's {@code docs/protocol/memberlist-wire.md}.
 */
package serf.wire;
