package serf.agent.metrics;

/**
 * How Go's agent names its metrics (go-metrics with {@code DefaultConfig("serf-agent")}): every key
 * gets the service name in front; gauges also get the host name after it, but only when a statsd or
 * statsite sink is configured (without one, Go's agent turns the host name off). No type prefix.
 *
 * @param service the service name, {@code serf-agent}
 * @param host    the host name put into gauge keys, or null for none
 */
public record GoKeys(String service, String host) {
    /** The agent's service name, as Go's. */
    public static final String SERVICE = "serf-agent";

    /** The full key of a gauge. */
    public String gauge(String name) {
        return host == null ? service + "." + name : service + "." + host + "." + name;
    }

    /** The full key of a counter or a sample. */
    public String other(String name) {
        return service + "." + name;
    }

    /** The statsd/statsite form of a key: colons and blanks become underscores. */
    static String statsdFlat(String key) {
        return key.replace(':', '_').replace(' ', '_');
    }

    /** The in-memory sink's form of a key: blanks become underscores. */
    static String inmemFlat(String key) {
        return key.replace(' ', '_');
    }

    /** This host's name as Go's os.Hostname() reads it on Linux (the kernel's), else the JDK's guess. */
    public static String hostname() {
        try {
            String h = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: fall through
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
