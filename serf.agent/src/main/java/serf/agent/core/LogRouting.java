package serf.agent.core;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Connects the process's {@link System.Logger}s to a running agent's {@link AgentLog}, when the
 * process has log routing installed: the {@code serf} executable does (its launcher module
 * {@code serf.launcher} provides the {@link System.LoggerFinder}); an application that embeds the
 * agent does not, and keeps its own logging. Nothing here changes JVM-wide state by itself.
 */
final class LogRouting {
    private LogRouting() {
    }

    /**
     * Hands {@code log} to the installed finder if that finder accepts a sink (the launcher's does:
     * it is a {@code Consumer} of a {@code BiConsumer<System.Logger.Level, String>}).
     *
     * @return true when the routing took the log
     */
    @SuppressWarnings("unchecked")
    static boolean attach(AgentLog log) {
        System.LoggerFinder finder = System.LoggerFinder.getLoggerFinder();
        if (!(finder instanceof Consumer<?> hook)) {
            return false;
        }
        BiConsumer<System.Logger.Level, String> sink = (level, text) -> log.log(LogLevel.of(level), text);
        ((Consumer<Object>) hook).accept(sink);
        return true;
    }
}
