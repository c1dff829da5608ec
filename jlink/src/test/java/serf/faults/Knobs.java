package serf.faults;

/**
 * The sizes of the fault tests: short by default (CI), longer from jlink/src/test/sh/faults-long.sh
 * through system properties ({@code -Dfaults.<name>=<value>} on the Maven command line).
 */
final class Knobs {
    private Knobs() {
    }

    static int integer(String name, int shortDefault) {
        return Integer.getInteger("faults." + name, shortDefault);
    }

    static String string(String name, String shortDefault) {
        String v = System.getProperty("faults." + name);
        return v == null || v.isBlank() ? shortDefault : v;
    }
}
