package serf.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyringFileTest {

    private static final Path KEYRING_VECTORS = Vectors.ROOT.resolve("serf/keyring");
    private static final byte[] K1 = KeyringTest.K1;
    private static final byte[] K2 = KeyringTest.K2;
    private static final byte[] KX = KeyringTest.KX;

    /** What each recorded file holds (README of the vectors / docs/protocol/snapshot-keyring.md Part 2). */
    private static final Map<String, List<byte[]>> EXPECTED = Map.of(
            "alpha.initial.json", List.of(K1),
            "alpha.after-install.json", List.of(K1, K2),
            "alpha.after-use.json", List.of(K2, K1),
            "alpha.after-remove.json", List.of(K2),
            "beta.initial.json", List.of(K1, KX),
            "beta.after-install.json", List.of(K1, KX, K2),
            "beta.after-use.json", List.of(K2, K1, KX),
            "beta.after-remove.json", List.of(K2, KX));

    private static final String JSONISH = "[]\",=A+/\n{}0 ";

    @TempDir
    Path dir;

    @Test
    void readsEveryRecordedKeyringFile() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(KEYRING_VECTORS)) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSize(EXPECTED.size());
        for (Path file : files) {
            List<byte[]> keys = KeyringFile.read(file);
            assertThat(keys).as(file.toString()).containsExactlyElementsOf(EXPECTED.get(file.getFileName().toString()));
        }
    }

    @Test
    void writesExactlyTheBytesTheGoAgentWrote() throws IOException {
        int compared = 0;
        for (Map.Entry<String, List<byte[]>> entry : EXPECTED.entrySet()) {
            if (entry.getKey().endsWith(".initial.json")) {
                continue; // hand-written in compact form, not by the agent
            }
            Path written = dir.resolve(entry.getKey());
            KeyringFile.write(written, entry.getValue());
            assertThat(Files.readAllBytes(written)).as(entry.getKey())
                    .isEqualTo(Files.readAllBytes(KEYRING_VECTORS.resolve(entry.getKey())));
            compared++;
        }
        assertThat(compared).isEqualTo(6);
    }

    @Test
    void writeThenReadBackAcrossKeySizes() throws IOException {
        Path file = dir.resolve("keyring.json");
        List<byte[]> keys = List.of(Keys.generate(), KX, K1, K2);
        KeyringFile.write(file, keys);
        assertThat(KeyringFile.read(file)).containsExactlyElementsOf(keys);
        KeyringFile.write(file, List.of());
        assertThat(Files.readString(file)).isEqualTo("[]");
        assertThat(KeyringFile.read(file)).isEmpty();
    }

    @Test
    void writeRefusesInvalidKeys() {
        Path file = dir.resolve("keyring.json");
        assertThatThrownBy(() -> KeyringFile.write(file, List.of(new byte[10])))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("key size must be 16, 24 or 32 bytes");
        assertThat(file).doesNotExist();
    }

    @Test
    void newFileIsPrivateAndAnExistingFileKeepsItsMode() throws IOException {
        Path file = dir.resolve("keyring.json");
        KeyringFile.write(file, List.of(K1));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        KeyringFile.write(file, List.of(K1, K2));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        assertThat(KeyringFile.read(file)).containsExactly(K1, K2);
    }

    @Test
    void leavesNoTemporaryFileBehind() throws IOException {
        Path file = dir.resolve("keyring.json");
        for (int i = 0; i < 5; i++) {
            KeyringFile.write(file, i % 2 == 0 ? List.of(K1) : List.of(K2, K1));
        }
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()).toList()).containsExactly("keyring.json");
        }
    }

    @Test
    void aFailedReplaceLeavesTheTargetAndNoTemporaryFile() throws IOException {
        // a non-empty directory cannot be replaced by a rename: the write must fail cleanly
        Path target = dir.resolve("keyring.json");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");
        assertThatThrownBy(() -> KeyringFile.write(target, List.of(K1))).isInstanceOf(IOException.class);
        assertThat(Files.readString(target.resolve("inside"))).isEqualTo("x");
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()).toList()).containsExactly("keyring.json");
        }
    }

    @Test
    void missingDirectoryIsAnIOException() {
        assertThatThrownBy(() -> KeyringFile.write(dir.resolve("no/such/dir/keyring.json"), List.of(K1)))
                .isInstanceOf(IOException.class);
    }

    /**
     * A reader polling the file while it is rewritten again and again must always find a complete ring,
     * the old one or the new one. Go's truncate-and-write fails this (a reader can see an empty file).
     */
    @Test
    void concurrentReadersSeeTheOldOrTheNewFileNeverATornOne() throws Exception {
        Path file = dir.resolve("keyring.json");
        List<byte[]> ringA = List.of(K1, K2, KX);
        List<byte[]> ringB = List.of(KX, Keys.generate(), Keys.generate(), Keys.generate(), Keys.generate());
        KeyringFile.write(file, ringA);
        byte[] contentA = Files.readAllBytes(file);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                while (!done.get()) {
                    List<byte[]> keys = KeyringFile.read(file);
                    if (!sameKeys(keys, ringA) && !sameKeys(keys, ringB)) {
                        throw new AssertionError("torn keyring file with " + keys.size() + " keys");
                    }
                    reads.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        try {
            for (int i = 0; i < 200 && failure.get() == null; i++) {
                KeyringFile.write(file, i % 2 == 0 ? ringB : ringA);
            }
        } finally {
            done.set(true);
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(reader.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        assertThat(reads.get()).isPositive();
        assertThat(Files.readAllBytes(file)).isEqualTo(contentA);
    }

    @Test
    void aSymbolicLinkIsFollowedAndKept() throws IOException {
        Path real = dir.resolve("real.json");
        KeyringFile.write(real, List.of(K1));
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), real);
        KeyringFile.write(link, List.of(K2));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(KeyringFile.read(real)).containsExactly(K2);
    }

    @Test
    void acceptsAnyJsonLayoutAndNull() throws IOException {
        assertThat(KeyringFile.read(write(" [ \"AAECAwQFBgcICQoLDA0ODw==\" ,\n\"AAECAwQFBgcICQoLDA0ODw==\" ] \n")))
                .containsExactly(K1, K1);
        assertThat(KeyringFile.read(write("null"))).isEmpty();
        assertThat(KeyringFile.read(write("[]"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "[", "[\"AAECAwQFBgcICQoLDA0ODw==\"", "{}", "\"AAECAwQFBgcICQoLDA0ODw==\"", "[1]", "[null]",
            "[[\"AAECAwQFBgcICQoLDA0ODw==\"]]", "[\"AAECAwQFBgcICQoLDA0ODw==\",]", "[\"not base64!\"]",
            "[\"AAECAwQFBgcICQoLDA0ODw\"]", "[\"AAAA\"]", "[\"AAECAwQFBgcICQoLDA0ODw==\"] x", "[\"\"]", "\uFEFF[]"})
    void malformedFilesAreIOExceptions(String content) throws IOException {
        Path file = write(content);
        assertThatThrownBy(() -> KeyringFile.read(file)).isInstanceOf(IOException.class);
    }

    @Test
    void messagesNameTheProblem() throws IOException {
        assertThatThrownBy(() -> KeyringFile.read(write("[\"badkey\"]")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Failed to decode key from keyring")
                .hasMessageContaining("illegal base64 data at input byte 4");
        assertThatThrownBy(() -> KeyringFile.read(write("[\"AAAA\"]")))
                .isInstanceOf(IOException.class).hasMessageContaining("key size must be 16, 24 or 32 bytes");
        assertThatThrownBy(() -> KeyringFile.read(write("[\"AAECAwQFBgcICQoLDA0ODw==\", 7]")))
                .isInstanceOf(IOException.class).hasMessageContaining("entry 1 is not a string");
        assertThatThrownBy(() -> KeyringFile.read(write("{\"keys\": []}")))
                .isInstanceOf(IOException.class).hasMessageContaining("expected a JSON array");
        assertThatThrownBy(() -> KeyringFile.read(write("[\"AAECAwQFBgcICQoLDA0ODw==\"")))
                .isInstanceOf(IOException.class).hasMessageContaining("Failed to decode keyring file");
    }

    @Test
    void invalidUtf8TooLargeAndMissingFilesAreIOExceptions() throws IOException {
        Path binary = dir.resolve("binary.json");
        Files.write(binary, new byte[] {'[', '"', (byte) 0xC3, (byte) 0x28, '"', ']'});
        assertThatThrownBy(() -> KeyringFile.read(binary)).isInstanceOf(IOException.class).hasMessageContaining("UTF-8");

        Path huge = dir.resolve("huge.json");
        byte[] spaces = new byte[KeyringFile.MAX_FILE_BYTES + 1];
        Arrays.fill(spaces, (byte) ' ');
        spaces[0] = '[';
        spaces[spaces.length - 1] = ']';
        Files.write(huge, spaces);
        assertThatThrownBy(() -> KeyringFile.read(huge)).isInstanceOf(IOException.class).hasMessageContaining("larger than");

        assertThatThrownBy(() -> KeyringFile.read(dir.resolve("absent.json"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> KeyringFile.read(dir)).isInstanceOf(IOException.class);
    }

    @Test
    void mutatedKeyringFilesRaiseOnlyIOException() throws IOException {
        List<byte[]> originals = new ArrayList<>();
        for (String name : EXPECTED.keySet()) {
            originals.add(Files.readAllBytes(KEYRING_VECTORS.resolve(name)));
        }
        SplittableRandom random = new SplittableRandom(99);
        Path file = dir.resolve("mutated.json");
        int rejected = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = originals.get(random.nextInt(originals.size())).clone();
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(3)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes = Arrays.copyOf(bytes, at);
                default -> bytes[at] = (byte) JSONISH.charAt(random.nextInt(JSONISH.length()));
            }
            Files.write(file, bytes);
            try {
                List<byte[]> keys = KeyringFile.read(file);
                assertThat(keys).allSatisfy(k -> assertThat(k.length).isIn(16, 24, 32));
            } catch (IOException expected) {
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("iteration " + i + " escaped with " + e, e);
            }
        }
        assertThat(rejected).isGreaterThan(1_000);
    }

    private Path write(String content) throws IOException {
        Path file = Files.createTempFile(dir, "keyring", ".json");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static boolean sameKeys(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
