package serf.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import serf.wire.AtomicFile;
import serf.wire.DecodeException;
import serf.wire.json.Json;
import serf.wire.json.JsonLimits;

/**
 * The agent's keyring file ({@code -keyring-file}): a JSON array of standard-base64 keys, primary first,
 * written by Go as {@code json.MarshalIndent(keys, "", "  ")} with no trailing newline.
 *
 * <p>Unlike Go, which truncates and rewrites the file in place, {@link #write} replaces it atomically, so a
 * crash leaves either the old or the new ring on disk, never a torn one.
 */
public final class KeyringFile {

    /** A real keyring holds a handful of keys; anything this large is not a keyring file. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyringFile() {
    }

    /**
     * Reads the keys in file order (duplicates kept; {@link Keyring#of} collapses them). Any JSON layout is
     * accepted; {@code null} and {@code []} give an empty list (the agent refuses those itself).
     *
     * @throws IOException if the file cannot be read, is larger than 1 MiB, is not UTF-8 JSON, is not an
     *         array of strings, or holds a string that is not standard base64 of a 16, 24 or 32-byte key;
     *         the message names the problem
     * @param file the keyring file (a JSON array of base64 keys)
     * @return the keys in file order (the first is the primary)
     */
    public static List<byte[]> read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1); // never more than the limit, even if the file grows
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IOException("Failed to read keyring file " + file + ": larger than " + MAX_FILE_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException("Failed to decode keyring file " + file + ": not valid UTF-8", e);
        }
        Object parsed;
        try {
            parsed = Json.parse(text, new JsonLimits(2, MAX_FILE_BYTES));
        } catch (DecodeException e) {
            throw new IOException("Failed to decode keyring file " + file + ": " + e.getMessage(), e);
        }
        if (parsed == null) {
            return new ArrayList<>();
        }
        if (!(parsed instanceof List<?> entries)) {
            throw new IOException("Failed to decode keyring file " + file + ": expected a JSON array of base64 strings");
        }
        List<byte[]> keys = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            if (!(entries.get(i) instanceof String encoded)) {
                throw new IOException("Failed to decode keyring file " + file + ": entry " + i + " is not a string");
            }
            try {
                keys.add(Keys.decode(encoded));
            } catch (KeyringException e) {
                String prefix = e.getMessage().equals(Keyring.BAD_KEY_SIZE)
                        ? "Failed to restore keyring from " + file + ": entry " + i + ": "
                        : "Failed to decode key from keyring " + file + ": entry " + i + ": ";
                throw new IOException(prefix + e.getMessage(), e);
            }
        }
        return keys;
    }

    /**
     * Writes the keys (primary first) as Go does, atomically: a temporary file in the same directory is
     * written and forced to disk, then renamed over the target, then the directory is forced where the
     * platform allows. A new file gets mode 0600; an existing one keeps its permissions (as with Go's
     * in-place rewrite). A symbolic link is followed, so the file it points to is the one replaced.
     *
     * @throws IllegalArgumentException if a key is null or not 16, 24 or 32 bytes
     * @param file the keyring file to replace
     * @param keys the keys, primary first
     * @throws IOException when the file cannot be written or moved into place
     */
    public static void write(Path file, List<byte[]> keys) throws IOException {
        List<String> encoded = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
                throw new IllegalArgumentException(Keyring.BAD_KEY_SIZE);
            }
            encoded.add(Keys.encode(key));
        }
        byte[] content = Json.writePretty(encoded).getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, content, OWNER_ONLY);
    }
}
