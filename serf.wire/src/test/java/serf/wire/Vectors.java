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

/** Access to the repository's vector files (parsed with {@link Json}) for the tests. */
public final class Vectors {
    /**
     * The repository's {@code vectors/} folder, found as serf.testkit's TestVectors finds it for the other
     * modules (serf.testkit depends on this module, so these tests cannot use it).
     */
    public static final Path ROOT = root();

    private static Path root() {
        String set = System.getProperty("serf.vectors");
        if (set != null && !set.isBlank()) {
            return Path.of(set);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("vectors");
            if (Files.isDirectory(candidate.resolve("memberlist")) && Files.isDirectory(candidate.resolve("serf"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("test vectors not found: run the tests from inside the repository (its"
                + " vectors/ folder) or pass -Dserf.vectors=DIR (working directory: "
                + Path.of("").toAbsolutePath() + ")");
    }

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
