package serf.agent.core;

import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * Routes every {@link System.Logger} in the process (memberlist, serf, the agent) into the running
 * agent's {@link AgentLog}, so the console and {@code serf monitor} show them in the Go agent's
 * format. Without a running agent (CLI commands), warnings and errors go to stderr.
 */
public final class AgentLoggerFinder extends System.LoggerFinder {
    private static volatile AgentLog current;

    /** Installs the log that all loggers write to from now on (null to detach). */
    public static void install(AgentLog log) {
        current = log;
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        String mod = module == null ? null : module.getName();
        boolean ours = name.startsWith("serf") || mod != null && mod.startsWith("serf.");
        return new AgentLogger(name, ours);
    }

    /**
     * {@code ours}: a logger of memberlist, serf or the agent, whose every level goes to the monitor
     * ring. The JDK's own loggers (ProcessBuilder traces each script start, for one) only show
     * warnings and errors, as they have no counterpart in the Go agent's log.
     */
    private record AgentLogger(String name, boolean ours) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            AgentLog log = current;
            if (level == Level.OFF) {
                return false;
            }
            if (log == null || !ours) {
                return level.getSeverity() >= Level.WARNING.getSeverity();
            }
            // Every level: the monitor ring keeps what the console's level filter hides (as Go does).
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (!isLoggable(level)) {
                return;
            }
            String text = thrown == null ? msg : msg + ": " + thrown;
            AgentLog log = current;
            if (log == null) {
                System.err.println("[" + LogLevel.of(level) + "] " + text);
            } else {
                log.log(LogLevel.of(level), text);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (!isLoggable(level)) {
                return;
            }
            log(level, bundle, params == null || params.length == 0 ? format
                    : java.text.MessageFormat.format(format, params), (Throwable) null);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            if (isLoggable(level)) {
                log(level, null, msgSupplier.get(), (Throwable) null);
            }
        }
    }
}
