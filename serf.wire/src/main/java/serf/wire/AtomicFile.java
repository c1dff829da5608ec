package serf.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file so that a crash leaves either the old contents or the new, never a mix or a
 * truncated file: the new contents go to a temporary file in the same directory, which is forced to
 * disk, renamed over the target, and then the directory is forced so the rename itself is durable.
 * The tags file, the keyring file and the snapshot's compaction all replace files this way; it lives
 * here because every module that writes such a file already depends on this one (or can, without a
 * cycle).
 */
public final class AtomicFile {
    private static final System.Logger LOG = System.getLogger(AtomicFile.class.getName());

    /** Writes the new contents; may fail at any point, leaving the target untouched. */
    @FunctionalInterface
    public interface Contents {
        /**
         * Writes the whole new contents.
         *
         * @param out the temporary file's stream; flushed, synced and closed by {@link AtomicFile}
         * @throws IOException when writing fails: the target stays as it was
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * {@link #replace(Path, Set, Contents)} with the given bytes.
     *
     * @param target the file to create or replace
     * @param bytes its new contents
     * @param newFileMode the permissions of a newly created file (ignored on file systems without POSIX permissions)
     * @throws IOException when writing, syncing or moving fails; the target is then unchanged
     */
    public static void write(Path target, byte[] bytes, Set<PosixFilePermission> newFileMode) throws IOException {
        replace(target, newFileMode, out -> out.write(bytes));
    }

    /**
     * Replaces {@code target} with what {@code contents} writes. A symbolic link is followed (the file
     * it points to is replaced); an existing file keeps its permissions, a new one gets
     * {@code newFileMode} (where the file system has POSIX permissions). On any failure the temporary
     * file is removed and the target is as it was.
     *
     * @param target the file to create or replace
     * @param newFileMode the permissions of a newly created file (ignored on file systems without POSIX permissions)
     * @param contents writes the new contents
     * @throws IOException when writing, syncing or moving fails; the target is then unchanged
     */
    public static void replace(Path target, Set<PosixFilePermission> newFileMode, Contents contents) throws IOException {
        Path resolved = Files.isSymbolicLink(target) ? target.toRealPath() : target.toAbsolutePath();
        Path directory = resolved.getParent();
        boolean posix = resolved.getFileSystem().supportedFileAttributeViews().contains("posix");
        Set<PosixFilePermission> mode = newFileMode;
        if (posix && Files.exists(resolved)) {
            mode = Files.getPosixFilePermissions(resolved);
        }
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(directory, "." + resolved.getFileName() + ".", ".tmp", attributes);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                contents.writeTo(out);
                out.flush();
                channel.force(true);
            }
            if (posix) {
                Files.setPosixFilePermissions(temp, mode);
            }
            moveOver(temp, resolved);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Renames {@code source} (already written and forced) over {@code target} in the same directory,
     * atomically where the file system allows, then forces the directory.
     *
     * @param source the complete new file
     * @param target the file it replaces
     * @throws IOException when the move fails
     */
    public static void moveOver(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Path directory = target.toAbsolutePath().getParent();
        if (directory != null) {
            forceDirectory(directory);
        }
    }

    /**
     * Makes a rename in {@code directory} durable; not every platform lets a directory be opened, so failure is only logged.
     *
     * @param directory the directory whose entries to sync
     */
    public static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not fsync directory {0}: {1}", directory, e.toString());
        }
    }
}
