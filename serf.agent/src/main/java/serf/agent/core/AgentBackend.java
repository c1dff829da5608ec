package serf.agent.core;

import java.util.Map;
import serf.api.Serf;

/** What the RPC server needs from the running agent. */
public interface AgentBackend {
    Serf serf();

    /** The rpc_auth key; empty when none is configured. */
    String rpcAuthKey();

    AgentLog log();

    EventHub events();

    /** The configured event handlers as {@code stats} shows them: {@code "<event>:<name>"} to script. */
    Map<String, String> eventHandlerStats();

    /**
     * Counters of the agent's own bounds (not the RPC server's) for the {@code limits} section of the RPC
     * stats, such as events the handler queue dropped.
     */
    default Map<String, String> limitStats() {
        return Map.of();
    }

    /** Replaces the local tags (writing the tags file first when one is configured). */
    void setTags(Map<String, String> tags) throws Exception;

    /** Joins through {@code addrs} (Go's Agent.Join, logged); the number of nodes contacted. */
    int join(java.util.List<String> addrs, boolean replay) throws serf.api.SerfException;

    /** Removes a failed node ({@code prune}: from the member list entirely), logged as Go does. */
    void forceLeave(String node, boolean prune) throws serf.api.SerfException;

    /** Sends a user event, logged as Go does. */
    void userEvent(String name, byte[] payload, boolean coalesce) throws serf.api.SerfException;

    /** Starts a query (refusing the internal prefix as Go's agent does), logged as Go does. */
    serf.api.QueryResponse query(String name, byte[] payload, serf.api.QueryParam params) throws serf.api.SerfException;

    /** Leaves the cluster gracefully; the caller replies, then calls {@link #shutdownAfterLeave()}. */
    void leave() throws Exception;

    /** Ends the agent process after an RPC leave. */
    void shutdownAfterLeave();
}
