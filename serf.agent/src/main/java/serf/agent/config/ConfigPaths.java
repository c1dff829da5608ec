package serf.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import serf.agent.internal.GoText;

/**
 * Reads the {@code -config-file}/{@code -config-dir} paths as the Go agent's {@code ReadConfigPaths}
 * does: in the given order, each path a JSON file or a directory whose {@code *.json} entries are
 * read in byte order of their names (subdirectories skipped, no recursion); every file decoded
 * onto Go's zero config and merged onto the result so far. Errors carry Go's texts.
 *
 * <p>Bounds: a config file may hold at most {@link #MAX_FILE_BYTES}; a directory at most
 * {@link #MAX_DIR_ENTRIES} entries.
 */
final class ConfigPaths {

    /** Far more than any agent config; a larger file is refused rather than read into memory. */
    static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

    /** Entries read from one config directory at most. */
    static final int MAX_DIR_ENTRIES = 100_000;

    private ConfigPaths() {
    }

    /** A path that could not be read or decoded; the message is what the agent prints. */
    static final class PathError extends Exception {
        private static final long serialVersionUID = 1L;

        PathError(String message) {
            super(message);
        }
    }

    /** Go's {@code ReadConfigPaths}: the merge of every file, starting from the zero config. */
    static AgentConfig read(List<String> paths) throws PathError {
        AgentConfig result = AgentConfig.EMPTY;
        for (String path : paths) {
            Path p = Path.of(path);
            if (!Files.exists(p)) {
                // Go's os.Open fails first; report it the way Go does
                throw new PathError("Error reading '" + path + "': " + openError(p, path));
            }
            if (!Files.isDirectory(p)) {
                result = AgentConfig.merge(result, decodeFile(p, path));
                continue;
            }
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(p)) {
                for (Path entry : dir) {
                    if (names.size() >= MAX_DIR_ENTRIES) {
                        throw new PathError("Error reading '" + path + "': more than " + MAX_DIR_ENTRIES + " entries");
                    }
                    names.add(entry.getFileName().toString());
                }
            } catch (IOException e) {
                throw new PathError("Error reading '" + path + "': " + GoOs.pathError("open", path, e));
            }
            names.sort(GoText.BYTE_ORDER);
            for (String name : names) {
                Path entry = p.resolve(name);
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue; // no recursion; a symbolic link is read like a file, as Go's Lstat-based listing does
                }
                if (!name.endsWith(".json")) {
                    continue;
                }
                String subpath = GoOs.join(path, name);
                result = AgentConfig.merge(result, decodeFile(entry, subpath));
            }
        }
        return result;
    }

    private static String openError(Path p, String shown) {
        try {
            Files.newInputStream(p).close();
            return "open " + shown + ": no such file or directory";
        } catch (IOException e) {
            return GoOs.pathError("open", shown, e);
        }
    }

    private static AgentConfig decodeFile(Path p, String shown) throws PathError {
        if (Files.isDirectory(p)) {
            // a symbolic link to a directory inside a config dir: Go opens it and its read fails
            throw new PathError("Error decoding '" + shown + "': read " + shown + ": is a directory");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(p)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new PathError("Error reading '" + shown + "': " + GoOs.pathError("open", shown, e));
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new PathError("Error decoding '" + shown + "': larger than " + MAX_FILE_BYTES + " bytes");
        }
        try {
            return ConfigFileDecoder.decode(bytes);
        } catch (ConfigFileDecoder.DecodeError e) {
            throw new PathError("Error decoding '" + shown + "': " + e.getMessage());
        }
    }
}
