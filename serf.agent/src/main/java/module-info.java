/**
 * The {@code serf} agent and command line: the RPC protocol (server and client), the CLI
 * commands, agent configuration and event handlers.
 */
module serf.agent {
    // The RPC client API (serf.agent.rpc) speaks in serf.wire's reader, writer and value types.
    requires transitive serf.wire;
    requires serf.crypto;
    requires serf.api;
    // The agent reads the snapshot's event clock before Serf opens it (core.HandledEventClock).
    requires serf.snapshot;
    requires jdk.unsupported;
    // The Prometheus endpoint (serf.agent.metrics.PrometheusEndpoint), off unless configured.
    requires jdk.httpserver;

    exports serf.agent.rpc;

    provides java.lang.System.LoggerFinder with serf.agent.core.AgentLoggerFinder;
}
