/**
 * The msgpack codec that memberlist, Serf and the agent RPC speak, hand-rolled and reflection-free.
 */
module serf.wire {
    exports serf.wire;
    exports serf.wire.json;
}
