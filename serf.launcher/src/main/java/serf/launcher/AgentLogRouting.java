package serf.launcher;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The process's {@link System.LoggerFinder} in the {@code serf} executable. Loggers of serf's own
 * modules (memberlist, serf, the agent) go to the sink the agent attaches, at every level (the agent
 * filters its console by level and keeps everything for {@code serf monitor}); the JDK's own loggers
 * only pass warnings and errors, which have no counterpart in the Go agent's log otherwise. With no
 * sink attached (the CLI commands, or an agent not yet started) warnings and errors go to stderr as
 * {@code [WARN] text} / {@code [ERR] text}.
 *
 * <p>The agent attaches its log by passing a {@code BiConsumer<System.Logger.Level, String>} to
 * {@link #accept(Object)} on the finder it gets from {@link System.LoggerFinder#getLoggerFinder()}
 * when that finder is a {@link Consumer}; {@code null} detaches it. Only JDK types cross, so the
 * agent needs no dependency on this module and runs unchanged where it is absent.
 */
public final class AgentLogRouting extends System.LoggerFinder implements Consumer<Object> {
    private static volatile BiConsumer<System.Logger.Level, String> sink;

    /** Created by the service loader. */
    public AgentLogRouting() {
    }

    /**
     * Attaches the agent's log ({@code BiConsumer<System.Logger.Level, String>}) or, given null,
     * detaches it.
     *
     * @throws IllegalArgumentException if {@code target} is neither null nor a {@link BiConsumer}
     */
    @Override
    @SuppressWarnings("unchecked")
    public void accept(Object target) {
        if (target != null && !(target instanceof BiConsumer<?, ?>)) {
            throw new IllegalArgumentException("not a BiConsumer<System.Logger.Level, String>: " + target);
        }
        sink = (BiConsumer<System.Logger.Level, String>) target;
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        String mod = module == null ? null : module.getName();
        boolean ours = name.startsWith("serf") || mod != null && mod.startsWith("serf.");
        return new Routed(name, ours);
    }

    /** The tag a line gets on stderr, in the agent's level names. */
    private static String tag(System.Logger.Level level) {
        return switch (level) {
            case ALL, TRACE -> "TRACE";
            case DEBUG -> "DEBUG";
            case INFO -> "INFO";
            case WARNING -> "WARN";
            case ERROR, OFF -> "ERR";
        };
    }

    /** One named logger; {@code ours} when it belongs to serf's code rather than the JDK's. */
    private record Routed(String name, boolean ours) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            if (level == Level.OFF) {
                return false;
            }
            if (sink == null || !ours) {
                return level.getSeverity() >= Level.WARNING.getSeverity();
            }
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (!isLoggable(level)) {
                return;
            }
            String text = thrown == null ? msg : msg + ": " + thrown;
            BiConsumer<Level, String> to = sink;
            if (to == null) {
                System.err.println("[" + tag(level) + "] " + text);
            } else {
                to.accept(level, text);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (!isLoggable(level)) {
                return;
            }
            log(level, bundle, params == null || params.length == 0 ? format : MessageFormat.format(format, params),
                    (Throwable) null);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            if (isLoggable(level)) {
                log(level, null, msgSupplier.get(), (Throwable) null);
            }
        }
    }
}
