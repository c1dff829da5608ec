package serf.faults;

import java.nio.file.Files;
import java.nio.file.Path;

/** The runtime image under test: {@code -Dserf.image} (the jlink module's failsafe sets it). */
final class ImageLocator {
    private ImageLocator() {
    }

    static Path binary() {
        Path image = Path.of(System.getProperty("serf.image", "target/image")).toAbsolutePath();
        Path bin = image.resolve("bin/serf");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("no runtime image at " + image
                    + ": build it with ./mvnw -B package -pl jlink -am -DskipTests");
        }
        return bin;
    }
}
