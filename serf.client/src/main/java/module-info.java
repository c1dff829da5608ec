/**
 * A client for a Serf agent's RPC address (Go's {@code serf/client}): see {@link serf.client}.
 * The wire codec stays internal; the agent's RPC server shares it (frames, headers, bodies), so
 * both ends read and write the protocol with the same code.
 */
module serf.client {
    requires serf.wire;

    exports serf.client;
    exports serf.client.internal to serf.agent;
}
