package serf.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import serf.wire.json.Json;

/** Access to the shared vector files (parsed with {@link Json}) for the tests. */
final class Vectors {
    static final Path ROOT = Path.of(System.getProperty("serf.vectors", "/work/shared/vectors"));

    private Vectors() {
    }

    static Object load(String relative) {
        try {
            return Json.parse(Files.readString(ROOT.resolve(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> agentFiles() {
        try (Stream<Path> files = Files.list(ROOT.resolve("agent"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Object load(Path file) {
        try {
            return Json.parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    static Map<String, Object> map(Object o, String key) {
        return map(map(o).get(key));
    }

    static List<Object> list(Object o, String key) {
        return list(map(o).get(key));
    }

    static String str(Object o, String key) {
        return (String) map(o).get(key);
    }

    /** The memberlist vectors of messages.json. */
    static List<Map<String, Object>> memberlistMessages() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object v : list(load("memberlist/messages.json"), "vectors")) {
            out.add(map(v));
        }
        return out;
    }

    static List<Map<String, Object>> serfMessages() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object v : list(load("serf/messages.json"))) {
            out.add(map(v));
        }
        return out;
    }

    static List<Map<String, Object>> probes() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object v : list(load("memberlist/decoder_probes.json"), "probes")) {
            out.add(map(v));
        }
        return out;
    }
}
