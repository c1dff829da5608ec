package serf.client.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * A request of the agent RPC protocol: one record per command, holding the body that follows the
 * request header (body-less commands are empty records). Encoding writes Go's bytes: struct fields
 * in ascending name order, every field present, nil ({@code c0}) for null slices, maps and byte
 * arrays. Decoding ({@link RequestDecoder}) accepts what the Go agent accepts (see {@link Wire}).
 *
 * <p>Byte arrays are not copied; treat them as immutable.
 */
public sealed interface RpcRequest {

    RpcCommand command();

    /** Writes the body (nothing for body-less commands). */
    void encode(MsgpackWriter w);

    /**
     * Decodes the body of {@code command}; body-less commands consume nothing.
     *
     * @param command the command the request header named
     * @param r the body
     * @return the request
     */
    static RpcRequest decode(RpcCommand command, MsgpackReader r) {
        return RequestDecoder.decode(command, r);
    }

    /** {@code {Version:int32}}; only version 1 exists. */
    record Handshake(int version) implements RpcRequest {
        public RpcCommand command() {
            return RpcCommand.HANDSHAKE;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(1);
            w.writeKey("Version").writeInt(version);
        }
    }

    /** {@code {AuthKey:string}}. */
    record Auth(String authKey) implements RpcRequest {
        public Auth {
            authKey = Wire.str(authKey);
        }

        public RpcCommand command() {
            return RpcCommand.AUTH;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(1);
            w.writeKey("AuthKey").writeString(authKey);
        }
    }

    /** {@code {Coalesce, Name, Payload}}: fire a user event. {@code payload} null is Go's nil. */
    record Event(String name, byte[] payload, boolean coalesce) implements RpcRequest {
        public Event {
            name = Wire.str(name);
        }

        public RpcCommand command() {
            return RpcCommand.EVENT;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(3);
            w.writeKey("Coalesce").writeBool(coalesce);
            w.writeKey("Name").writeString(name);
            w.writeKey("Payload").writeBytes(payload);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Event e && name.equals(e.name) && Arrays.equals(payload, e.payload)
                    && coalesce == e.coalesce;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, Arrays.hashCode(payload), coalesce);
        }

        @Override
        public String toString() {
            return "Event[name=" + name + ", payload=" + Wire.hex(payload) + ", coalesce=" + coalesce + "]";
        }
    }

    /** {@code {Node, Prune}}. */
    record ForceLeave(String node, boolean prune) implements RpcRequest {
        public ForceLeave {
            node = Wire.str(node);
        }

        public RpcCommand command() {
            return RpcCommand.FORCE_LEAVE;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(2);
            w.writeKey("Node").writeString(node);
            w.writeKey("Prune").writeBool(prune);
        }
    }

    /** {@code {Existing, Replay}}; {@code existing} null is Go's nil slice. */
    record Join(List<String> existing, boolean replay) implements RpcRequest {
        public Join {
            existing = Wire.copy(existing);
        }

        public RpcCommand command() {
            return RpcCommand.JOIN;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(2);
            w.writeKey("Existing");
            Wire.writeStringList(w, existing);
            w.writeKey("Replay").writeBool(replay);
        }
    }

    /** Body-less: every member. */
    record Members() implements RpcRequest {
        public RpcCommand command() {
            return RpcCommand.MEMBERS;
        }

        public void encode(MsgpackWriter w) {
        }
    }

    /** {@code {Name, Status, Tags}}: anchored regexes; empty strings and an empty map filter nothing. */
    record MembersFiltered(Map<String, String> tags, String status, String name) implements RpcRequest {
        public MembersFiltered {
            tags = Wire.copy(tags);
            status = Wire.str(status);
            name = Wire.str(name);
        }

        public RpcCommand command() {
            return RpcCommand.MEMBERS_FILTERED;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(3);
            w.writeKey("Name").writeString(name);
            w.writeKey("Status").writeString(status);
            w.writeKey("Tags");
            Wire.writeStringMap(w, tags);
        }
    }

    /** {@code {DeleteTags, Tags}}. */
    record Tags(Map<String, String> tags, List<String> deleteTags) implements RpcRequest {
        public Tags {
            tags = Wire.copy(tags);
            deleteTags = Wire.copy(deleteTags);
        }

        public RpcCommand command() {
            return RpcCommand.TAGS;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(2);
            w.writeKey("DeleteTags");
            Wire.writeStringList(w, deleteTags);
            w.writeKey("Tags");
            Wire.writeStringMap(w, tags);
        }
    }

    /** {@code {Type}}: an event filter such as {@code *} or {@code member-join,user:deploy}. */
    record Stream(String type) implements RpcRequest {
        public Stream {
            type = Wire.str(type);
        }

        public RpcCommand command() {
            return RpcCommand.STREAM;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(1);
            w.writeKey("Type").writeString(type);
        }
    }

    /** {@code {LogLevel}}. */
    record Monitor(String logLevel) implements RpcRequest {
        public Monitor {
            logLevel = Wire.str(logLevel);
        }

        public RpcCommand command() {
            return RpcCommand.MONITOR;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(1);
            w.writeKey("LogLevel").writeString(logLevel);
        }
    }

    /** {@code {Stop:uint64}}: the sequence number of the stream or monitor to end. */
    record Stop(long stop) implements RpcRequest {
        public RpcCommand command() {
            return RpcCommand.STOP;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(1);
            w.writeKey("Stop").writeUint64(stop);
        }
    }

    /** Body-less: graceful leave, after which the agent shuts down. */
    record Leave() implements RpcRequest {
        public RpcCommand command() {
            return RpcCommand.LEAVE;
        }

        public void encode(MsgpackWriter w) {
        }
    }

    /**
     * {@code {FilterNodes, FilterTags, Name, Payload, RelayFactor, RequestAck, Timeout}}.
     * {@code relayFactor} is a Go uint8; {@code timeoutNanos} a Go {@code time.Duration} (0 = the
     * agent's default). Null lists, maps and payload are Go nils.
     */
    record Query(List<String> filterNodes, Map<String, String> filterTags, boolean requestAck, int relayFactor,
                 long timeoutNanos, String name, byte[] payload) implements RpcRequest {
        public Query {
            filterNodes = Wire.copy(filterNodes);
            filterTags = Wire.copy(filterTags);
            name = Wire.str(name);
            if (relayFactor < 0 || relayFactor > 255) {
                throw new IllegalArgumentException("relay factor must be 0..255: " + relayFactor);
            }
        }

        public RpcCommand command() {
            return RpcCommand.QUERY;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(7);
            w.writeKey("FilterNodes");
            Wire.writeStringList(w, filterNodes);
            w.writeKey("FilterTags");
            Wire.writeStringMap(w, filterTags);
            w.writeKey("Name").writeString(name);
            w.writeKey("Payload").writeBytes(payload);
            w.writeKey("RelayFactor").writeInt(relayFactor);
            w.writeKey("RequestAck").writeBool(requestAck);
            w.writeKey("Timeout").writeInt(timeoutNanos);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Query q && Objects.equals(filterNodes, q.filterNodes)
                    && Objects.equals(filterTags, q.filterTags) && requestAck == q.requestAck
                    && relayFactor == q.relayFactor && timeoutNanos == q.timeoutNanos && name.equals(q.name)
                    && Arrays.equals(payload, q.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(filterNodes, filterTags, requestAck, relayFactor, timeoutNanos, name,
                    Arrays.hashCode(payload));
        }

        @Override
        public String toString() {
            return "Query[name=" + name + ", payload=" + Wire.hex(payload) + ", filterNodes=" + filterNodes
                    + ", filterTags=" + filterTags + ", requestAck=" + requestAck + ", relayFactor=" + relayFactor
                    + ", timeoutNanos=" + timeoutNanos + "]";
        }
    }

    /** {@code {ID, Payload}}: answer a query delivered on this connection's event stream. */
    record Respond(long id, byte[] payload) implements RpcRequest {
        public RpcCommand command() {
            return RpcCommand.RESPOND;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(2);
            w.writeKey("ID").writeUint64(id);
            w.writeKey("Payload").writeBytes(payload);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Respond q && id == q.id && Arrays.equals(payload, q.payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id) * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Respond[id=" + Long.toUnsignedString(id) + ", payload=" + Wire.hex(payload) + "]";
        }
    }

    /** {@code {Key}}: a base64 key to add to every keyring. */
    record InstallKey(String key) implements RpcRequest {
        public InstallKey {
            key = Wire.str(key);
        }

        public RpcCommand command() {
            return RpcCommand.INSTALL_KEY;
        }

        public void encode(MsgpackWriter w) {
            encodeKey(w, key);
        }
    }

    /** {@code {Key}}: the key to make primary everywhere. */
    record UseKey(String key) implements RpcRequest {
        public UseKey {
            key = Wire.str(key);
        }

        public RpcCommand command() {
            return RpcCommand.USE_KEY;
        }

        public void encode(MsgpackWriter w) {
            encodeKey(w, key);
        }
    }

    /** {@code {Key}}: the key to remove everywhere. */
    record RemoveKey(String key) implements RpcRequest {
        public RemoveKey {
            key = Wire.str(key);
        }

        public RpcCommand command() {
            return RpcCommand.REMOVE_KEY;
        }

        public void encode(MsgpackWriter w) {
            encodeKey(w, key);
        }
    }

    /** Body-less. */
    record ListKeys() implements RpcRequest {
        public RpcCommand command() {
            return RpcCommand.LIST_KEYS;
        }

        public void encode(MsgpackWriter w) {
        }
    }

    /** Body-less. */
    record Stats() implements RpcRequest {
        public RpcCommand command() {
            return RpcCommand.STATS;
        }

        public void encode(MsgpackWriter w) {
        }
    }

    /** {@code {Node}}. */
    record GetCoordinate(String node) implements RpcRequest {
        public GetCoordinate {
            node = Wire.str(node);
        }

        public RpcCommand command() {
            return RpcCommand.GET_COORDINATE;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(1);
            w.writeKey("Node").writeString(node);
        }
    }

    private static void encodeKey(MsgpackWriter w, String key) {
        w.writeMapHeader(1);
        w.writeKey("Key").writeString(key);
    }
}
