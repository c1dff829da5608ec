package serf.client.internal;

import java.util.List;
import java.util.Map;
import serf.wire.MsgpackReader;

/**
 * Reads the body of each {@link RpcRequest} as the Go agent does (see {@link Wire}): keys in any
 * order, unknown keys skipped, structs sent as arrays in Go's declaration order, nil as empty.
 */
final class RequestDecoder {
    private static final List<String> HANDSHAKE_FIELDS = List.of("Version");
    private static final List<String> AUTH_FIELDS = List.of("AuthKey");
    private static final List<String> EVENT_FIELDS = List.of("Name", "Payload", "Coalesce");
    private static final List<String> FORCE_LEAVE_FIELDS = List.of("Node", "Prune");
    private static final List<String> JOIN_FIELDS = List.of("Existing", "Replay");
    private static final List<String> MEMBERS_FILTERED_FIELDS = List.of("Tags", "Status", "Name");
    private static final List<String> TAGS_FIELDS = List.of("Tags", "DeleteTags");
    private static final List<String> STREAM_FIELDS = List.of("Type");
    private static final List<String> MONITOR_FIELDS = List.of("LogLevel");
    private static final List<String> STOP_FIELDS = List.of("Stop");
    private static final List<String> QUERY_FIELDS = List.of("FilterNodes", "FilterTags", "RequestAck",
            "RelayFactor", "Timeout", "Name", "Payload");
    private static final List<String> RESPOND_FIELDS = List.of("ID", "Payload");
    private static final List<String> GET_COORDINATE_FIELDS = List.of("Node");

    private RequestDecoder() {
    }

    /** Decodes the body of {@code command}; body-less commands consume nothing. */
    static RpcRequest decode(RpcCommand command, MsgpackReader r) {
        return switch (command) {
            case HANDSHAKE -> handshake(r);
            case AUTH -> auth(r);
            case EVENT -> event(r);
            case FORCE_LEAVE -> forceLeave(r);
            case JOIN -> join(r);
            case MEMBERS -> new RpcRequest.Members();
            case MEMBERS_FILTERED -> membersFiltered(r);
            case TAGS -> tags(r);
            case STREAM -> stream(r);
            case MONITOR -> monitor(r);
            case STOP -> stop(r);
            case LEAVE -> new RpcRequest.Leave();
            case QUERY -> query(r);
            case RESPOND -> respond(r);
            case INSTALL_KEY -> new RpcRequest.InstallKey(decodeKey(r));
            case USE_KEY -> new RpcRequest.UseKey(decodeKey(r));
            case REMOVE_KEY -> new RpcRequest.RemoveKey(decodeKey(r));
            case LIST_KEYS -> new RpcRequest.ListKeys();
            case STATS -> new RpcRequest.Stats();
            case GET_COORDINATE -> getCoordinate(r);
        };
    }

    private static RpcRequest.Handshake handshake(MsgpackReader r) {
        int[] v = {0};
        Wire.readStruct(r, HANDSHAKE_FIELDS, (k, in) -> {
            if (k.equals("Version")) {
                v[0] = in.readInt();
            } else {
                in.skip();
            }
        });
        return new RpcRequest.Handshake(v[0]);
    }

    private static RpcRequest.Auth auth(MsgpackReader r) {
        return new RpcRequest.Auth(readOneString(r, AUTH_FIELDS));
    }

    private static RpcRequest.Event event(MsgpackReader r) {
        var f = new Object() {
            String name = "";
            byte[] payload;
            boolean coalesce;
        };
        Wire.readStruct(r, EVENT_FIELDS, (k, in) -> {
            switch (k) {
                case "Name" -> f.name = in.readString();
                case "Payload" -> f.payload = in.readBytes();
                case "Coalesce" -> f.coalesce = in.readBool();
                default -> in.skip();
            }
        });
        return new RpcRequest.Event(f.name, f.payload, f.coalesce);
    }

    private static RpcRequest.ForceLeave forceLeave(MsgpackReader r) {
        var f = new Object() {
            String node = "";
            boolean prune;
        };
        Wire.readStruct(r, FORCE_LEAVE_FIELDS, (k, in) -> {
            switch (k) {
                case "Node" -> f.node = in.readString();
                case "Prune" -> f.prune = in.readBool();
                default -> in.skip();
            }
        });
        return new RpcRequest.ForceLeave(f.node, f.prune);
    }

    private static RpcRequest.Join join(MsgpackReader r) {
        var f = new Object() {
            List<String> existing;
            boolean replay;
        };
        Wire.readStruct(r, JOIN_FIELDS, (k, in) -> {
            switch (k) {
                case "Existing" -> f.existing = Wire.readStringList(in);
                case "Replay" -> f.replay = in.readBool();
                default -> in.skip();
            }
        });
        return new RpcRequest.Join(f.existing, f.replay);
    }

    private static RpcRequest.MembersFiltered membersFiltered(MsgpackReader r) {
        var f = new Object() {
            Map<String, String> tags;
            String status = "";
            String name = "";
        };
        Wire.readStruct(r, MEMBERS_FILTERED_FIELDS, (k, in) -> {
            switch (k) {
                case "Tags" -> f.tags = Wire.readStringMap(in);
                case "Status" -> f.status = in.readString();
                case "Name" -> f.name = in.readString();
                default -> in.skip();
            }
        });
        return new RpcRequest.MembersFiltered(f.tags, f.status, f.name);
    }

    private static RpcRequest.Tags tags(MsgpackReader r) {
        var f = new Object() {
            Map<String, String> tags;
            List<String> deleteTags;
        };
        Wire.readStruct(r, TAGS_FIELDS, (k, in) -> {
            switch (k) {
                case "Tags" -> f.tags = Wire.readStringMap(in);
                case "DeleteTags" -> f.deleteTags = Wire.readStringList(in);
                default -> in.skip();
            }
        });
        return new RpcRequest.Tags(f.tags, f.deleteTags);
    }

    private static RpcRequest.Stream stream(MsgpackReader r) {
        return new RpcRequest.Stream(readOneString(r, STREAM_FIELDS));
    }

    private static RpcRequest.Monitor monitor(MsgpackReader r) {
        return new RpcRequest.Monitor(readOneString(r, MONITOR_FIELDS));
    }

    private static RpcRequest.Stop stop(MsgpackReader r) {
        long[] v = {0};
        Wire.readStruct(r, STOP_FIELDS, (k, in) -> {
            if (k.equals("Stop")) {
                v[0] = in.readUint64();
            } else {
                in.skip();
            }
        });
        return new RpcRequest.Stop(v[0]);
    }

    private static RpcRequest.Query query(MsgpackReader r) {
        var f = new Object() {
            List<String> filterNodes;
            Map<String, String> filterTags;
            boolean requestAck;
            int relayFactor;
            long timeout;
            String name = "";
            byte[] payload;
        };
        Wire.readStruct(r, QUERY_FIELDS, (k, in) -> {
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
        return new RpcRequest.Query(f.filterNodes, f.filterTags, f.requestAck, f.relayFactor, f.timeout, f.name, f.payload);
    }

    private static RpcRequest.Respond respond(MsgpackReader r) {
        var f = new Object() {
            long id;
            byte[] payload;
        };
        Wire.readStruct(r, RESPOND_FIELDS, (k, in) -> {
            switch (k) {
                case "ID" -> f.id = in.readUint64();
                case "Payload" -> f.payload = in.readBytes();
                default -> in.skip();
            }
        });
        return new RpcRequest.Respond(f.id, f.payload);
    }

    private static RpcRequest.GetCoordinate getCoordinate(MsgpackReader r) {
        return new RpcRequest.GetCoordinate(readOneString(r, GET_COORDINATE_FIELDS));
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
