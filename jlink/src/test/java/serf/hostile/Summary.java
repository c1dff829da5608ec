package serf.hostile;

import java.util.Map;

/** The words of an attack's one-line summary. */
final class Summary {
    private Summary() {
    }

    /** "what: {how a connection ended=how many, …}". */
    static String tally(String what, Map<String, Integer> outcomes) {
        return what + ": " + outcomes;
    }

    /** A byte count in MiB, whole when it is. */
    static String mib(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : String.format("%.1f MiB", bytes / 1048576.0);
    }
}
