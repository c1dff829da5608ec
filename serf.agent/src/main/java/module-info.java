/**
 * The {@code serf} agent and command line: the RPC server, the CLI commands (clients of the agent
 * through serf.client), agent configuration and event handlers. It exports nothing: it is run
 * ({@code serf.agent.Main}), not called. It installs no log routing either; the runtime image's
 * launcher module (serf.launcher) does that for the {@code serf} executable.
 */
module serf.agent {
    requires serf.wire;
    requires serf.client;
    requires serf.crypto;
    requires serf.api;
    // The agent reads the snapshot's event clock before Serf opens it (core.HandledEventClock).
    requires serf.snapshot;
    requires jdk.unsupported;
    // SRV names in join addresses (serf.agent.discovery.SrvResolver): JNDI and the JDK's DNS provider.
    requires java.naming;
    requires jdk.naming.dns;
    // The Prometheus endpoint (serf.agent.metrics.PrometheusEndpoint), off unless configured.
    requires jdk.httpserver;
}
