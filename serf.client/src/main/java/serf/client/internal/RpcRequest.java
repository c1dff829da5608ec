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
 * arrays. Decoding accepts what the Go agent accepts (see {@link Wire}).
 *
 * <p>Byte arrays are not copied; treat them as immutable.
 */
public sealed interface RpcRequest {

    RpcCommand command();

    /** Writes the body (nothing for body-less commands). */
    void encode(MsgpackWriter w);

    /** Decodes the body of {@code command}; body-less commands consume nothing. */
    static RpcRequest decode(RpcCommand command, MsgpackReader r) {
        return switch (command) {
            case HANDSHAKE -> Handshake.decode(r);
            case AUTH -> Auth.decode(r);
            case EVENT -> Event.decode(r);
            case FORCE_LEAVE -> ForceLeave.decode(r);
            case JOIN -> Join.decode(r);
            case MEMBERS -> new Members();
            case MEMBERS_FILTERED -> MembersFiltered.decode(r);
            case TAGS -> Tags.decode(r);
            case STREAM -> Stream.decode(r);
            case MONITOR -> Monitor.decode(r);
            case STOP -> Stop.decode(r);
            case LEAVE -> new Leave();
            case QUERY -> Query.decode(r);
            case RESPOND -> Respond.decode(r);
            case INSTALL_KEY -> new InstallKey(decodeKey(r));
            case USE_KEY -> new UseKey(decodeKey(r));
            case REMOVE_KEY -> new RemoveKey(decodeKey(r));
            case LIST_KEYS -> new ListKeys();
            case STATS -> new Stats();
            case GET_COORDINATE -> GetCoordinate.decode(r);
        };
    }

    /** {@code {Version:int32}}; only version 1 exists. */
    record Handshake(int version) implements RpcRequest {
        private static final List<String> DECLARED = List.of("Version");

        public RpcCommand command() {
            return RpcCommand.HANDSHAKE;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(1);
            w.writeKey("Version").writeInt(version);
        }

        static Handshake decode(MsgpackReader r) {
            int[] v = {0};
            Wire.readStruct(r, DECLARED, (k, in) -> {
                if (k.equals("Version")) {
                    v[0] = in.readInt();
                } else {
                    in.skip();
                }
            });
            return new Handshake(v[0]);
        }
    }

    /** {@code {AuthKey:string}}. */
    record Auth(String authKey) implements RpcRequest {
        private static final List<String> DECLARED = List.of("AuthKey");

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

        static Auth decode(MsgpackReader r) {
            return new Auth(readOneString(r, DECLARED));
        }
    }

    /** {@code {Coalesce, Name, Payload}}: fire a user event. {@code payload} null is Go's nil. */
    record Event(String name, byte[] payload, boolean coalesce) implements RpcRequest {
        private static final List<String> DECLARED = List.of("Name", "Payload", "Coalesce");

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

        static Event decode(MsgpackReader r) {
            var f = new Object() {
                String name = "";
                byte[] payload;
                boolean coalesce;
            };
            Wire.readStruct(r, DECLARED, (k, in) -> {
                switch (k) {
                    case "Name" -> f.name = in.readString();
                    case "Payload" -> f.payload = in.readBytes();
                    case "Coalesce" -> f.coalesce = in.readBool();
                    default -> in.skip();
                }
            });
            return new Event(f.name, f.payload, f.coalesce);
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
        private static final List<String> DECLARED = List.of("Node", "Prune");

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

        static ForceLeave decode(MsgpackReader r) {
            var f = new Object() {
                String node = "";
                boolean prune;
            };
            Wire.readStruct(r, DECLARED, (k, in) -> {
                switch (k) {
                    case "Node" -> f.node = in.readString();
                    case "Prune" -> f.prune = in.readBool();
                    default -> in.skip();
                }
            });
            return new ForceLeave(f.node, f.prune);
        }
    }

    /** {@code {Existing, Replay}}; {@code existing} null is Go's nil slice. */
    record Join(List<String> existing, boolean replay) implements RpcRequest {
        private static final List<String> DECLARED = List.of("Existing", "Replay");

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

        static Join decode(MsgpackReader r) {
            var f = new Object() {
                List<String> existing;
                boolean replay;
            };
            Wire.readStruct(r, DECLARED, (k, in) -> {
                switch (k) {
                    case "Existing" -> f.existing = Wire.readStringList(in);
                    case "Replay" -> f.replay = in.readBool();
                    default -> in.skip();
                }
            });
            return new Join(f.existing, f.replay);
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
        private static final List<String> DECLARED = List.of("Tags", "Status", "Name");

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

        static MembersFiltered decode(MsgpackReader r) {
            var f = new Object() {
                Map<String, String> tags;
                String status = "";
                String name = "";
            };
            Wire.readStruct(r, DECLARED, (k, in) -> {
                switch (k) {
                    case "Tags" -> f.tags = Wire.readStringMap(in);
                    case "Status" -> f.status = in.readString();
                    case "Name" -> f.name = in.readString();
                    default -> in.skip();
                }
            });
            return new MembersFiltered(f.tags, f.status, f.name);
        }
    }

    /** {@code {DeleteTags, Tags}}. */
    record Tags(Map<String, String> tags, List<String> deleteTags) implements RpcRequest {
        private static final List<String> DECLARED = List.of("Tags", "DeleteTags");

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

        static Tags decode(MsgpackReader r) {
            var f = new Object() {
                Map<String, String> tags;
                List<String> deleteTags;
            };
            Wire.readStruct(r, DECLARED, (k, in) -> {
                switch (k) {
                    case "Tags" -> f.tags = Wire.readStringMap(in);
                    case "DeleteTags" -> f.deleteTags = Wire.readStringList(in);
                    default -> in.skip();
                }
            });
            return new Tags(f.tags, f.deleteTags);
        }
    }

    /** {@code {Type}}: an event filter such as {@code *} or {@code member-join,user:deploy}. */
    record Stream(String type) implements RpcRequest {
        private static final List<String> DECLARED = List.of("Type");

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

        static Stream decode(MsgpackReader r) {
            return new Stream(readOneString(r, DECLARED));
        }
    }

    /** {@code {LogLevel}}. */
    record Monitor(String logLevel) implements RpcRequest {
        private static final List<String> DECLARED = List.of("LogLevel");

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

        static Monitor decode(MsgpackReader r) {
            return new Monitor(readOneString(r, DECLARED));
        }
    }

    /** {@code {Stop:uint64}}: the sequence number of the stream or monitor to end. */
    record Stop(long stop) implements RpcRequest {
        private static final List<String> DECLARED = List.of("Stop");

        public RpcCommand command() {
            return RpcCommand.STOP;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(1);
            w.writeKey("Stop").writeUint64(stop);
        }

        static Stop decode(MsgpackReader r) {
            long[] v = {0};
            Wire.readStruct(r, DECLARED, (k, in) -> {
                if (k.equals("Stop")) {
                    v[0] = in.readUint64();
                } else {
                    in.skip();
                }
            });
            return new Stop(v[0]);
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
        private static final List<String> DECLARED = List.of("FilterNodes", "FilterTags", "RequestAck",
                "RelayFactor", "Timeout", "Name", "Payload");

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

        static Query decode(MsgpackReader r) {
            var f = new Object() {
                List<String> filterNodes;
                Map<String, String> filterTags;
                boolean requestAck;
                int relayFactor;
                long timeout;
                String name = "";
                byte[] payload;
            };
            Wire.readStruct(r, DECLARED, (k, in) -> {
                switch (k) {
                    case "FilterNodes" -> f.filterNodes = Wire.readStringList(in);
                    case "FilterTags" -> f.filterTags = Wire.readStringMap(in);
                    case "RequestAck" -> f.requestAck = in.readBool();
                    case "RelayFactor" -> f.relayFactor = in.readUint8();
                    case "Timeout" -> f.timeout = in.readLong();
                    case "Name" -> f.name = in.readString();
                    case "Payload" -> f.payload = in.readBytes();
                    default -> in.skip();
                }
            });
            return new Query(f.filterNodes, f.filterTags, f.requestAck, f.relayFactor, f.timeout, f.name, f.payload);
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
        private static final List<String> DECLARED = List.of("ID", "Payload");

        public RpcCommand command() {
            return RpcCommand.RESPOND;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(2);
            w.writeKey("ID").writeUint64(id);
            w.writeKey("Payload").writeBytes(payload);
        }

        static Respond decode(MsgpackReader r) {
            var f = new Object() {
                long id;
                byte[] payload;
            };
            Wire.readStruct(r, DECLARED, (k, in) -> {
                switch (k) {
                    case "ID" -> f.id = in.readUint64();
                    case "Payload" -> f.payload = in.readBytes();
                    default -> in.skip();
                }
            });
            return new Respond(f.id, f.payload);
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
        private static final List<String> DECLARED = List.of("Node");

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

        static GetCoordinate decode(MsgpackReader r) {
            return new GetCoordinate(readOneString(r, DECLARED));
        }
    }

    private static void encodeKey(MsgpackWriter w, String key) {
        w.writeMapHeader(1);
        w.writeKey("Key").writeString(key);
    }

    private static String decodeKey(MsgpackReader r) {
        return readOneString(r, List.of("Key"));
    }

    /** A struct with one string field. */
    private static String readOneString(MsgpackReader r, List<String> declared) {
        String[] v = {""};
        String field = declared.get(0);
        Wire.readStruct(r, declared, (k, in) -> {
            if (k.equals(field)) {
                v[0] = in.readString();
            } else {
                in.skip();
            }
        });
        return v[0];
    }
}
