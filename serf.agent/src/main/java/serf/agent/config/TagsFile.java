package serf.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import serf.agent.internal.GoText;
import serf.wire.AtomicFile;
import serf.wire.json.Json;

/**
 * The agent's tags file ({@code -tags-file}, {@code tags_file}): a JSON object of tag name to value.
 * The Go agent loads it at start when it exists (after refusing it if tags were also configured)
 * and rewrites it, as {@code json.MarshalIndent(tags, "", "  ")} with mode 0600 and no trailing
 * newline, whenever the tags change.
 *
 * <p>Errors carry the Go agent's texts ({@code Failed to read tags file: ...},
 * {@code Failed to decode tags file: ...}, {@code Failed to write tags file: ...}).
 */
public final class TagsFile {

    /** A tags file is tiny; anything larger is refused rather than read. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");

    private TagsFile() {
    }

    /**
     * Loads the tags if the file exists (empty when it does not, as Go skips a missing file). A file
     * holding JSON {@code null} gives no tags.
     *
     * @throws IOException with Go's message when the file cannot be read or is not a JSON object of strings
     */
    public static Optional<Map<String, String>> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new IOException("Failed to read tags file: " + GoOs.pathError(Files.isDirectory(file) ? "read" : "open",
                    file.toString(), e), e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IOException("Failed to read tags file: larger than " + MAX_FILE_BYTES + " bytes");
        }
        return Optional.of(decode(bytes));
    }

    /** Decodes tags file contents as Go's {@code json.Unmarshal} into {@code map[string]string}. */
    static Map<String, String> decode(byte[] bytes) throws IOException {
        Object v;
        try {
            v = GoJson.unmarshal(bytes);
        } catch (GoJson.JsonException e) {
            throw new IOException("Failed to decode tags file: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw new IOException("Failed to decode tags file: json: cannot unmarshal " + jsonKind(v)
                    + " into Go value of type map[string]string");
        }
        String firstError = null;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object value = e.getValue();
            if (value == null || value instanceof String) {
                out.put((String) e.getKey(), value == null ? "" : (String) value);
            } else if (firstError == null) {
                firstError = "json: cannot unmarshal " + jsonKind(value) + " into Go value of type string";
            }
        }
        if (firstError != null) {
            throw new IOException("Failed to decode tags file: " + firstError);
        }
        return out;
    }

    private static String jsonKind(Object v) {
        return switch (v) {
            case String s -> "string";
            case Boolean b -> "bool";
            case Number n -> "number";
            case List<?> l -> "array";
            default -> "object";
        };
    }

    /**
     * Writes the tags as Go does (2-space indented JSON object, keys sorted, no trailing newline);
     * a new file gets mode 0600, an existing file keeps its mode. Unlike Go's in-place rewrite the file
     * is replaced atomically ({@link AtomicFile}: temporary file, fsync, rename, fsync of the
     * directory), so a crash never leaves a truncated tags file that would stop the agent starting.
     *
     * @throws IOException {@code Failed to write tags file: ...}
     */
    public static void write(Path file, Map<String, String> tags) throws IOException {
        try {
            AtomicFile.write(file, encode(tags), OWNER_RW);
        } catch (IOException e) {
            throw new IOException("Failed to write tags file: " + GoOs.pathError("open", file.toString(), e), e);
        }
    }

    /** The bytes Go writes for these tags ({@code {}} for none). */
    static byte[] encode(Map<String, String> tags) {
        Map<String, String> sorted = new java.util.TreeMap<>(GoText.BYTE_ORDER);
        sorted.putAll(tags);
        return Json.writePretty(sorted).getBytes(StandardCharsets.UTF_8);
    }
}
