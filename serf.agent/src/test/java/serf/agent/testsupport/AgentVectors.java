package serf.agent.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import serf.wire.MsgValue;
import serf.wire.json.Json;

/** The captured agent RPC conversations in {@code vectors/agent/*.json}. */
public final class AgentVectors {
    private AgentVectors() {
    }

    public static Path dir() {
        return serf.testkit.TestVectors.root().resolve("agent");
    }

    /** One msgpack object as captured, with its rendering ({@code $bin} for bin values). */
    public record Obj(byte[] bytes, Object decoded) {
    }

    public record Vector(String name, String client, List<Obj> c2s, List<Obj> s2c, byte[] c2sAll, byte[] s2cAll,
                         boolean agentClosed) {
        /** Captured from the Go CLI (so the c2s bytes are Go's own encoding). */
        public boolean fromGoCli() {
            return client.startsWith("Go CLI");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Vector> all() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted()
                    .map(AgentVectors::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Vector load(String name) {
        return load(dir().resolve(name.endsWith(".json") ? name : name + ".json"));
    }

    @SuppressWarnings("unchecked")
    static Vector load(Path file) {
        try {
            Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(file));
            Map<String, Object> streams = (Map<String, Object>) root.get("streams");
            Map<String, Object> c2s = (Map<String, Object>) streams.get("c2s");
            Map<String, Object> s2c = (Map<String, Object>) streams.get("s2c");
            String name = file.getFileName().toString().replace(".json", "");
            return new Vector(name, (String) root.get("client"), objects(c2s), objects(s2c),
                    HexFormat.of().parseHex((String) c2s.get("all_hex")), HexFormat.of().parseHex((String) s2c.get("all_hex")),
                    Boolean.TRUE.equals(root.get("agent_closed_connection")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Obj> objects(Map<String, Object> direction) {
        List<Obj> out = new ArrayList<>();
        for (Object o : (List<Object>) direction.get("objects")) {
            Map<String, Object> m = (Map<String, Object>) o;
            out.add(new Obj(HexFormat.of().parseHex((String) m.get("hex")), m.get("decoded")));
        }
        return out;
    }

    /** A msgpack tree in the vectors' JSON rendering: bin as {@code {"$bin": hex}}, ints as Long. */
    public static Object render(MsgValue v) {
        return switch (v) {
            case MsgValue.Nil n -> null;
            case MsgValue.Bool b -> b.value();
            case MsgValue.Int i -> i.value();
            case MsgValue.Float f -> f.value();
            case MsgValue.Str s -> s.text();
            case MsgValue.Bin b -> Map.of("$bin", HexFormat.of().formatHex(b.bytes()));
            case MsgValue.Array a -> a.elements().stream().map(AgentVectors::render).toList();
            case MsgValue.Map m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (MsgValue.Entry e : m.entries()) {
                    out.put(((MsgValue.Str) e.key()).text(), render(e.value()));
                }
                yield out;
            }
            case MsgValue.Ext e -> throw new IllegalArgumentException("ext in an agent vector");
        };
    }
}
