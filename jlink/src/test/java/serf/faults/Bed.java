package serf.faults;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.Optional;

/** What every fault test checks first: it skips, with the reason, where the test bed cannot be built. */
final class Bed {
    private Bed() {
    }

    static void assumeAvailable() {
        Optional<String> why = NetBed.unavailable();
        assumeTrue(why.isEmpty(), () -> "fault tests skipped: " + why.orElse(""));
        assumeTrue(Files.isExecutable(java.nio.file.Path.of(FaultAgent.GO_BINARY)),
                "fault tests skipped: no Go agent at " + FaultAgent.GO_BINARY + " (apt-get install -y serf)");
    }
}
