package serf.testkit;

import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** A System.Logger that keeps every call as "LEVEL message" (parameters formatted), for assertions. */
public final class RecordingLogger implements System.Logger {
    /** Everything logged, in order, as "LEVEL message". */
    public final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
        return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        lines.add(level + " " + msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        lines.add(level + " " + (params == null || params.length == 0 ? format : java.text.MessageFormat.format(format, params)));
    }

    /** The messages logged at {@code level}, without the level. */
    public List<String> at(Level level) {
        return lines.stream().filter(l -> l.startsWith(level + " ")).map(l -> l.substring(level.toString().length() + 1))
                .toList();
    }

    /** How many lines contain {@code part}. */
    public long count(String part) {
        return lines.stream().filter(l -> l.contains(part)).count();
    }
}
