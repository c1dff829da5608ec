package serf.snapshot.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Opens snapshot files with the modes Go serf uses (subject to the umask, as in Go). */
public final class SnapshotFiles {

    /** Mode of a snapshot file created at open. */
    public static final String OPEN_MODE = "rw-r--r--";
    /** Mode of the compacted file (Go uses 0755 there). */
    public static final String COMPACT_MODE = "rwxr-xr-x";

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private SnapshotFiles() {
    }

    public static FileChannel open(Path path, Set<? extends OpenOption> options, String posixMode)
            throws IOException {
        if (POSIX && path.getFileSystem() == FileSystems.getDefault()) {
            FileAttribute<?> mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(posixMode));
            return FileChannel.open(path, options, mode);
        }
        return FileChannel.open(path, options);
    }

    /** {@code <path>.compact}, the file a compaction writes before renaming it over the snapshot. */
    public static Path compactPath(Path path) {
        return path.resolveSibling(path.getFileName() + ".compact");
    }
}
