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

    /** The configured event handlers as {@code stats} shows them: "<event>:<name>" to script. */
    Map<String, String> eventHandlerStats();

    /** Replaces the local tags (writing the tags file first when one is configured). */
    void setTags(Map<String, String> tags) throws Exception;

    /** Leaves the cluster gracefully; the caller replies, then calls {@link #shutdownAfterLeave()}. */
    void leave() throws Exception;

    /** Ends the agent process after an RPC leave. */
    void shutdownAfterLeave();
}
