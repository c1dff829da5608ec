package serf.agent.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code os} and {@code path/filepath} texts for what the agent reports about files:
 * {@code *os.PathError} messages ({@code open x.json: no such file or directory}) and
 * {@code filepath.Join}/{@code Clean} (Unix rules).
 */
final class GoOs {

    private GoOs() {
    }

    /** {@code op + " " + path + ": " + errno text}, e.g. {@code stat nosuch: no such file or directory}. */
    static String pathError(String op, String path, IOException e) {
        return op + " " + path + ": " + errno(e);
    }

    /** The Unix error text Go would print for this failure. */
    static String errno(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "no such file or directory";
            case AccessDeniedException x -> "permission denied";
            case NotDirectoryException x -> "not a directory";
            case FileSystemLoopException x -> "too many levels of symbolic links";
            case FileAlreadyExistsException x -> "file exists";
            case DirectoryNotEmptyException x -> "directory not empty";
            case FileSystemException x when x.getReason() != null -> lowerFirst(x.getReason());
            default -> e.getMessage() == null ? e.toString() : lowerFirst(e.getMessage());
        };
    }

    private static String lowerFirst(String s) {
        // The JDK prints strerror ("Is a directory"); Go prints it lower-cased ("is a directory").
        if (s.isEmpty() || !Character.isUpperCase(s.charAt(0))) {
            return s;
        }
        if (s.length() > 1 && Character.isUpperCase(s.charAt(1))) {
            return s; // an acronym
        }
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** {@code filepath.Join(dir, name)} on Unix: joined with "/" and cleaned. */
    static String join(String dir, String name) {
        if (dir.isEmpty()) {
            return name.isEmpty() ? "" : clean(name);
        }
        return clean(dir + "/" + name);
    }

    /** {@code filepath.Clean} on Unix. */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.charAt(0) == '/';
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
                    parts.remove(parts.size() - 1);
                } else if (!rooted) {
                    parts.add("..");
                }
                continue;
            }
            parts.add(part);
        }
        String joined = String.join("/", parts);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }
}
