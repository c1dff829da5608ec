package serf.agent.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The CLI's user interface, as mitchellh/cli's {@code BasicUi{Writer: os.Stdout}} that the Go
 * {@code serf} binary uses: output, info <em>and error</em> messages all go to stdout, each followed
 * by a newline (the Go CLI leaves {@code ErrorWriter} unset, so errors are not on stderr). A
 * prefixed view adds a prefix to non-empty messages, as {@code PrefixedUi}. Safe for concurrent use
 * (the monitor prints from two streams).
 */
public final class Ui {
    private final OutputStream out;
    private final ReentrantLock lock;
    private final String outputPrefix;
    private final String infoPrefix;
    private final String errorPrefix;

    public Ui(OutputStream out) {
        this(out, new ReentrantLock(), "", "", "");
    }

    private Ui(OutputStream out, ReentrantLock lock, String outputPrefix, String infoPrefix, String errorPrefix) {
        this.out = out;
        this.lock = lock;
        this.outputPrefix = outputPrefix;
        this.infoPrefix = infoPrefix;
        this.errorPrefix = errorPrefix;
    }

    /** A view that prefixes non-empty messages (the keys command uses {@code "==> "} for info). */
    public Ui prefixed(String outputPrefix, String infoPrefix, String errorPrefix) {
        return new Ui(out, lock, outputPrefix, infoPrefix, errorPrefix);
    }

    public void output(String message) {
        line(outputPrefix, message);
    }

    public void info(String message) {
        line(infoPrefix, message);
    }

    public void error(String message) {
        line(errorPrefix, message);
    }

    /** Writes bytes as they are plus a newline (Go prints byte strings without re-encoding them). */
    public void outputBytes(byte[] message) {
        lock.lock();
        try {
            out.write(message);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    private void line(String prefix, String message) {
        String text = message.isEmpty() ? message : prefix + message;
        outputBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
