package serf.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the test suites find the Go implementation's recorded bytes: the repository's {@code vectors/}
 * folder. Maven passes it as the system property {@code serf.vectors} (the parent pom sets it, and
 * {@code -Dserf.vectors=DIR} overrides it); a test started some other way (an IDE) finds the folder by
 * walking up from the working directory, so a clone of the repository alone is enough.
 */
public final class TestVectors {

    private TestVectors() {
    }

    /**
     * {@return the vectors folder} Fails with a message that says what to do when there is none.
     *
     * @throws IllegalStateException when {@code serf.vectors} is unset and no {@code vectors/} folder
     *         lies above the working directory
     */
    public static Path root() {
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
}
