package serf.agent.handler;

import serf.api.QueryException;

/** Sends a handler script's output as this node's response to a query ({@code Query::respond} in the agent). */
@FunctionalInterface
public interface QueryResponder {
    void respond(byte[] payload) throws QueryException;
}
