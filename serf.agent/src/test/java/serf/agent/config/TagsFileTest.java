package serf.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TagsFileTest {

    @TempDir
    Path dir;

    @Test
    void writesWhatGoMarshalIndentWrites() throws IOException {
        Path f = dir.resolve("tags.json");
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("role", "web");
        tags.put("dc", "x<y>&\"\u2028");
        tags.put("B", "");
        TagsFile.write(f, tags);
        assertThat(Files.readString(f)).isEqualTo("{\n  \"B\": \"\",\n  \"dc\": \"x\\u003cy\\u003e\\u0026\\\"\\u2028\",\n  \"role\": \"web\"\n}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(TagsFile.read(f)).contains(tags);
        TagsFile.write(f, Map.of());
        assertThat(Files.readString(f)).isEqualTo("{}");
    }

    @Test
    void rewritingKeepsTheModeOfAnExistingFile() throws IOException {
        Path f = dir.resolve("tags.json");
        Files.writeString(f, "{\"old\": \"a much longer value than the new one\"}");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        TagsFile.write(f, Map.of("a", "b"));
        assertThat(Files.readString(f)).isEqualTo("{\n  \"a\": \"b\"\n}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
    }

    @Test
    void theFileIsReplacedAtomicallyNeverRewrittenInPlace() throws IOException {
        Path f = dir.resolve("tags.json");
        TagsFile.write(f, Map.of("v", "1"));
        // A second name for the old file: an in-place rewrite would change what it shows, a rename does not.
        Path old = dir.resolve("old-link");
        Files.createLink(old, f);
        TagsFile.write(f, Map.of("v", "2"));
        assertThat(Files.readString(f)).isEqualTo("{\n  \"v\": \"2\"\n}");
        assertThat(Files.readString(old)).isEqualTo("{\n  \"v\": \"1\"\n}");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("tags.json", "old-link");
        }
    }

    @Test
    void aWriteThatFailsMidwayLeavesNoPartialFileAndNoTemporaryFile() throws IOException {
        // The new contents are written and synced, then the rename fails (the target is a directory that
        // is not empty): what was there stays as it was and the temporary file is removed.
        Path f = dir.resolve("tags.json");
        Files.createDirectory(f);
        Files.writeString(f.resolve("keep"), "x");
        assertThatThrownBy(() -> TagsFile.write(f, Map.of("a", "b"))).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Failed to write tags file: ");
        assertThat(f.resolve("keep")).hasContent("x");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("tags.json");
        }
    }

    @Test
    void missingFileIsNoTagsAndNullIsEmpty() throws IOException {
        assertThat(TagsFile.read(dir.resolve("nosuch.json"))).isEmpty();
        Path f = dir.resolve("null.json");
        Files.writeString(f, " null ");
        assertThat(TagsFile.read(f)).contains(Map.of());
        Files.writeString(f, "{\"a\": null, \"b\": \"\"}");
        assertThat(TagsFile.read(f)).contains(Map.of("a", "", "b", ""));
    }

    @Test
    void refusalsCarryGoTexts() throws IOException {
        check("{", "Failed to decode tags file: unexpected end of JSON input");
        check("", "Failed to decode tags file: unexpected end of JSON input");
        check("[1]", "Failed to decode tags file: json: cannot unmarshal array into Go value of type map[string]string");
        check("\"s\"", "Failed to decode tags file: json: cannot unmarshal string into Go value of type map[string]string");
        check("{\"a\": 1, \"b\": true}", "Failed to decode tags file: json: cannot unmarshal number into Go value of type string");
        check("{\"a\": {}}", "Failed to decode tags file: json: cannot unmarshal object into Go value of type string");
        check("{} x", "Failed to decode tags file: invalid character 'x' after top-level value");
        Path d = Files.createDirectory(dir.resolve("d"));
        assertThatThrownBy(() -> TagsFile.read(d)).hasMessage("Failed to read tags file: read " + d + ": is a directory");
        assertThatThrownBy(() -> TagsFile.write(dir.resolve("no/such/dir.json"), Map.of()))
                .hasMessage("Failed to write tags file: open " + dir.resolve("no/such/dir.json") + ": no such file or directory");
    }

    private void check(String content, String message) throws IOException {
        Path f = dir.resolve("t.json");
        Files.write(f, content.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> TagsFile.read(f)).isInstanceOf(IOException.class).hasMessage(message);
    }
}
