package serf.agent.core;

/**
 * Installs the agent's handlers for SIGINT, SIGTERM, SIGHUP and SIGUSR1 (metrics dump, as Go's agent). The JDK has no public API to tell
 * these apart (shutdown hooks run for all), so this uses {@code sun.misc.Signal} from the
 * jdk.unsupported module, which the runtime image includes for exactly this.
 */
final class Signals {
    private Signals() {
    }

    /** SIGUSR1 runs {@code dump} (Go's agent installs its metrics signal first thing, before the agent starts). */
    static void installMetricsDump(Runnable dump) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), s -> dump.run());
        } catch (IllegalArgumentException e) {
            // not available on this platform (or the JVM reserves it)
        }
    }

    static void install(AgentCommand.SignalHandler handler) {
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> handler.onSignal(name));
            } catch (IllegalArgumentException e) {
                // not available on this platform (or the JVM reserves it): the default applies
            }
        }
    }
}
