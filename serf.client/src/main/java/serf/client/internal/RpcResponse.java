package serf.client.internal;

import serf.client.Coordinate;
import serf.client.Member;
import java.util.List;
import java.util.Map;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * The body that follows the response header of the commands that return one
 * ({@link RpcCommand#hasResponseBody()}). The agent sends it even when the header carries an error.
 * Go maps keep their wire order (random on a Go agent) and null stands for Go's nil.
 */
public sealed interface RpcResponse {

    void encode(MsgpackWriter w);

    /**
     * Decodes the response body of {@code command}.
     *
     * @throws IllegalArgumentException if the command has no response body
     */
    static RpcResponse decode(RpcCommand command, MsgpackReader r) {
        return switch (command) {
            case JOIN -> Join.decode(r);
            case MEMBERS, MEMBERS_FILTERED -> Members.decode(r);
            case INSTALL_KEY, USE_KEY, REMOVE_KEY, LIST_KEYS -> Keys.decode(r);
            case STATS -> new Stats(Wire.readNestedStringMap(r));
            case GET_COORDINATE -> GetCoordinate.decode(r);
            default -> throw new IllegalArgumentException(command.wireName() + " has no response body");
        };
    }

    /** {@code {Num:int32}}: nodes contacted successfully. */
    record Join(int num) implements RpcResponse {
        private static final List<String> DECLARED = List.of("Num");

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(1);
            w.writeKey("Num").writeInt(num);
        }

        static Join decode(MsgpackReader r) {
            int[] v = {0};
            Wire.readStruct(r, DECLARED, (k, in) -> {
                if (k.equals("Num")) {
                    v[0] = in.readInt();
                } else {
                    in.skip();
                }
            });
            return new Join(v[0]);
        }
    }

    /** {@code {Members}}, for both {@code members} and {@code members-filtered}. */
    record Members(List<Member> members) implements RpcResponse {
        private static final List<String> DECLARED = List.of("Members");

        public Members {
            members = Wire.copy(members);
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(1);
            w.writeKey("Members");
            MemberCodec.encodeList(w, members);
        }

        static Members decode(MsgpackReader r) {
            Object[] v = {null};
            Wire.readStruct(r, DECLARED, (k, in) -> {
                if (k.equals("Members")) {
                    v[0] = MemberCodec.decodeList(in);
                } else {
                    in.skip();
                }
            });
            @SuppressWarnings("unchecked")
            List<Member> members = (List<Member>) v[0];
            return new Members(members);
        }
    }

    /**
     * keyResponse: {@code keys} (base64 key to the number of nodes holding it; only filled by
     * list-keys), {@code messages} (node name to its error), and the node counters (Go ints).
     */
    record Keys(Map<String, String> messages, Map<String, Long> keys, long numNodes, long numErr, long numResp)
            implements RpcResponse {
        private static final List<String> DECLARED = List.of("Messages", "Keys", "NumNodes", "NumErr", "NumResp");

        public Keys {
            messages = Wire.copy(messages);
            keys = Wire.copy(keys);
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(5);
            w.writeKey("Keys");
            Wire.writeLongMap(w, keys);
            w.writeKey("Messages");
            Wire.writeStringMap(w, messages);
            w.writeKey("NumErr").writeInt(numErr);
            w.writeKey("NumNodes").writeInt(numNodes);
            w.writeKey("NumResp").writeInt(numResp);
        }

        static Keys decode(MsgpackReader r) {
            var f = new Object() {
                Map<String, String> messages;
                Map<String, Long> keys;
                long numNodes;
                long numErr;
                long numResp;
            };
            Wire.readStruct(r, DECLARED, (k, in) -> {
                switch (k) {
                    case "Messages" -> f.messages = Wire.readStringMap(in);
                    case "Keys" -> f.keys = Wire.readLongMap(in);
                    case "NumNodes" -> f.numNodes = in.readLong();
                    case "NumErr" -> f.numErr = in.readLong();
                    case "NumResp" -> f.numResp = in.readLong();
                    default -> in.skip();
                }
            });
            return new Keys(f.messages, f.keys, f.numNodes, f.numErr, f.numResp);
        }
    }

    /** {@code map[string]map[string]string}: every value a string, as the agent reports them. */
    record Stats(Map<String, Map<String, String>> stats) implements RpcResponse {
        public Stats {
            if (stats != null) {
                var copy = new java.util.LinkedHashMap<String, Map<String, String>>();
                stats.forEach((k, v) -> copy.put(k, Wire.copy(v)));
                stats = java.util.Collections.unmodifiableMap(copy);
            }
        }

        public void encode(MsgpackWriter w) {
            Wire.writeNestedStringMap(w, stats);
        }
    }

    /** {@code {Coord, Ok}}: {@code ok} false (and the zero coordinate) for an unknown node. */
    record GetCoordinate(Coordinate coord, boolean ok) implements RpcResponse {
        private static final List<String> DECLARED = List.of("Coord", "Ok");

        public GetCoordinate {
            coord = coord == null ? Coordinate.ZERO : coord;
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(2);
            w.writeKey("Coord");
            MemberCodec.encode(w, coord);
            w.writeKey("Ok").writeBool(ok);
        }

        static GetCoordinate decode(MsgpackReader r) {
            var f = new Object() {
                Coordinate coord = Coordinate.ZERO;
                boolean ok;
            };
            Wire.readStruct(r, DECLARED, (k, in) -> {
                switch (k) {
                    case "Coord" -> f.coord = MemberCodec.decodeCoordinate(in);
                    case "Ok" -> f.ok = in.readBool();
                    default -> in.skip();
                }
            });
            return new GetCoordinate(f.coord, f.ok);
        }
    }
}
