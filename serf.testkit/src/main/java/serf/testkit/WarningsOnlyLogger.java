package serf.testkit;

import java.util.ResourceBundle;

/**
 * A System.Logger that passes warnings and errors on to the platform logger of its name and drops the
 * rest: for tests whose thousands of nodes would each log a line per member (2,000 simulated nodes log
 * 4 million member-join lines at INFO).
 */
public final class WarningsOnlyLogger implements System.Logger {
    private final System.Logger target;

    /**
     * A logger passing warnings and errors to the platform logger {@code name}.
     *
     * @param name the platform logger's name
     */
    public WarningsOnlyLogger(String name) {
        this.target = System.getLogger(name);
    }

    @Override
    public String getName() {
        return target.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        return level.getSeverity() >= Level.WARNING.getSeverity() && target.isLoggable(level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        if (isLoggable(level)) {
            target.log(level, bundle, msg, thrown);
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(level)) {
            target.log(level, bundle, format, params);
        }
    }
}
