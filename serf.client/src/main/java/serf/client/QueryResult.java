package serf.client;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** What a {@link SerfClient#query query} receives from a node: an acknowledgement or a response. */
public sealed interface QueryResult {

    /**
     * The node that sent it.
     *
     * @return the node's name
     */
    String from();

    /**
     * A node received the query (sent only when {@link QueryParams#requestAck()} is set).
     *
     * @param from the node's name
     */
    record Ack(String from) implements QueryResult {
        /**
         * A null name becomes empty.
         */
        public Ack {
            from = from == null ? "" : from;
        }
    }

    /**
     * A node's answer.
     *
     * @param from    the node's name
     * @param payload the answer (empty when the node sent none); not copied, treat as read-only
     */
    record Response(String from, byte[] payload) implements QueryResult {
        /**
         * Null values become empty.
         */
        public Response {
            from = from == null ? "" : from;
            payload = payload == null ? new byte[0] : payload;
        }

        /**
         * Equal when the sender and the payload's bytes are.
         *
         * @param o the other object
         * @return true when equal
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof Response r && from.equals(r.from) && Arrays.equals(payload, r.payload);
        }

        /**
         * A hash over the sender and the payload's bytes.
         *
         * @return the hash code
         */
        @Override
        public int hashCode() {
            return Objects.hash(from, Arrays.hashCode(payload));
        }

        /**
         * A description with the payload in hex.
         *
         * @return the description
         */
        @Override
        public String toString() {
            return "Response[from=" + from + ", payload=" + HexFormat.of().formatHex(payload) + "]";
        }
    }
}
