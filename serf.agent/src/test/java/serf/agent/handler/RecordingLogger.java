package serf.agent.handler;

import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every log call as "LEVEL message" for assertions. */
final class RecordingLogger implements System.Logger {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
        return "test";
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

    List<String> at(Level level) {
        return lines.stream().filter(l -> l.startsWith(level + " ")).map(l -> l.substring(level.toString().length() + 1))
                .toList();
    }
}
