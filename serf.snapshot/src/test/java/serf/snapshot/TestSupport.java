package serf.snapshot;

import java.lang.System.Logger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** Shared helpers for the snapshot tests. */
final class TestSupport {

    private TestSupport() {
    }

    static Path vectors() {
        return serf.testkit.TestVectors.root().resolve("serf").resolve("snapshot");
    }

    static Path vector(String name) {
        return vectors().resolve(name);
    }

    /** Polls {@code condition} until it holds or the deadline passes. */
    static boolean poll(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** A logger that keeps every message, so tests can check what would be logged. */
    static final class RecordingLogger implements Logger {
        final List<String> messages = new CopyOnWriteArrayList<>();

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
            messages.add(level + " " + msg + (thrown == null ? "" : " " + thrown));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            String text = format;
            if (params != null && params.length > 0) {
                text = java.text.MessageFormat.format(format, params);
            }
            messages.add(level + " " + text);
        }

        List<String> containing(String fragment) {
            List<String> found = new ArrayList<>();
            for (String m : messages) {
                if (m.contains(fragment)) {
                    found.add(m);
                }
            }
            return found;
        }
    }

}
