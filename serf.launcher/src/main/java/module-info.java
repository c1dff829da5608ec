/**
 * The log routing of the {@code serf} executable: a {@link java.lang.System.LoggerFinder} that sends
 * the loggers of serf's modules to the running agent's log (the Go agent's line format, the console
 * and {@code serf monitor}). Only the runtime image (and the agent's tests that start agents in
 * child JVMs) put this module on the module path; the library modules never install log routing,
 * so an application that embeds them keeps its own.
 *
 * <p>The module needs nothing but {@code java.base}: the agent finds the finder through
 * {@link java.lang.System.LoggerFinder#getLoggerFinder()} and hands it its log as a
 * {@code BiConsumer<System.Logger.Level, String>} (see {@code serf.launcher.AgentLogRouting}), so
 * neither module depends on the other and this one builds before the agent.
 */
module serf.launcher {
    provides java.lang.System.LoggerFinder with serf.launcher.AgentLogRouting;
}
