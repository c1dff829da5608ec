package serf.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private String[] listing() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void writesANewFileWithTheGivenModeAndReplacesKeepingTheExistingMode() throws IOException {
        Path f = dir.resolve("f");
        AtomicFile.write(f, "one".getBytes(), PosixFilePermissions.fromString("rw-------"));
        assertThat(f).hasContent("one");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        AtomicFile.write(f, "two".getBytes(), PosixFilePermissions.fromString("rw-------"));
        assertThat(f).hasContent("two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
        assertThat(listing()).containsExactly("f");
    }

    @Test
    void aWriterThatFailsHalfwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("f");
        Files.writeString(f, "old contents");
        assertThatThrownBy(() -> AtomicFile.replace(f, PosixFilePermissions.fromString("rw-------"), out -> {
            out.write("new con".getBytes());
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(f).hasContent("old contents");
        assertThat(listing()).containsExactly("f");
    }

    @Test
    void aSymbolicLinkIsFollowed() throws IOException {
        Path real = dir.resolve("real");
        Files.writeString(real, "a");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        AtomicFile.write(link, "b".getBytes(), PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(real).hasContent("b");
        assertThat(listing()).containsExactly("link", "real");
    }
}
