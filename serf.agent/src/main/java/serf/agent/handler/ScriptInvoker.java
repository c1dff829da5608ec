package serf.agent.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import serf.agent.internal.GoDuration;

/**
 * Runs one handler script the way the Go agent does: {@code /bin/sh -c <script>} ({@code cmd /C} on
 * Windows) in the agent's working directory, with the agent's whole environment plus the event's
 * variables, the event's data written to stdin by a separate thread and then closed, and stdout
 * and stderr captured together, keeping the last {@link Options#outputLimit} bytes (8 KiB). Where
 * {@code /bin/sh} is dash, a script that is a bare absolute path is executed without the shell in
 * between, as the shell would have executed it ({@link DirectExec}): one process start fewer per event.
 *
 * <p>Like Go, there is no timeout by default: the caller waits as long as the script runs, and a
 * warning is logged once when it runs longer than {@link Options#slowWarning} (1 s). An optional
 * timeout kills the script and everything it started. Interrupting the calling thread does the
 * same and rethrows. Each run uses two short-lived virtual threads (stdin writer, output reader).
 * Instances are immutable and thread-safe.
 */
public final class ScriptInvoker {

    private static final System.Logger DEFAULT_LOG = System.getLogger("serf.agent.handler");

    /**
     * How scripts are run.
     *
     * @param shell       the command a script string is appended to
     * @param outputLimit how many bytes of output are kept (the last ones)
     * @param slowWarning after how long a still-running script is reported as slow
     * @param timeout     after how long a script is killed; {@link Duration#ZERO} for never (Go's behaviour)
     * @param workingDir  where scripts run; null for the agent's own working directory
     */
    public record Options(List<String> shell, int outputLimit, Duration slowWarning, Duration timeout, Path workingDir) {
        public Options {
            shell = List.copyOf(shell);
            if (shell.isEmpty()) {
                throw new IllegalArgumentException("shell must not be empty");
            }
            if (outputLimit <= 0) {
                throw new IllegalArgumentException("outputLimit must be positive");
            }
            Objects.requireNonNull(slowWarning, "slowWarning");
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must not be negative");
            }
        }

        /** Go's settings: the platform shell, 8 KiB of output, a warning after 1 s, no timeout. */
        public static Options defaults() {
            boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
            return new Options(windows ? List.of("cmd", "/C") : List.of("/bin/sh", "-c"), 8 * 1024,
                    Duration.ofSeconds(1), Duration.ZERO, null);
        }

        public Options withTimeout(Duration t) {
            return new Options(shell, outputLimit, slowWarning, t, workingDir);
        }

        public Options withWorkingDir(Path dir) {
            return new Options(shell, outputLimit, slowWarning, timeout, dir);
        }

        public Options withSlowWarning(Duration d) {
            return new Options(shell, outputLimit, d, timeout, workingDir);
        }

        public Options withOutputLimit(int limit) {
            return new Options(shell, limit, slowWarning, timeout, workingDir);
        }
    }

    private final Options options;
    private final System.Logger log;
    /** How to run a bare path without the shell; null when scripts always go through it. */
    private final DirectExec direct;

    public ScriptInvoker(Options options) {
        this(options, DEFAULT_LOG);
    }

    /** With a logger of the caller's choosing (tests). */
    ScriptInvoker(Options options, System.Logger log) {
        this.options = Objects.requireNonNull(options, "options");
        this.log = Objects.requireNonNull(log, "log");
        this.direct = DirectExec.forShell(options.shell(), options.workingDir());
    }

    public ScriptInvoker() {
        this(Options.defaults());
    }

    public Options options() {
        return options;
    }

    /**
     * Runs {@code script} to completion.
     *
     * @param env   variables added to the inherited environment (later ones win)
     * @param stdin bytes written to the script's stdin before it is closed; a script that does not
     *              read them is fine
     * @param payloadStdin whether stdin carries an event payload (a failed write is then logged, as Go does)
     * @throws IOException          if the shell cannot be started (or the environment holds a NUL)
     * @throws InterruptedException if the calling thread is interrupted; the script and its children
     *                              are killed first
     */
    public ScriptResult run(String script, Map<String, String> env, byte[] stdin, boolean payloadStdin)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = start(script, env);
        OutputRing output = new OutputRing(options.outputLimit());
        Thread writer = Thread.ofVirtual().name("serf-handler-stdin").start(() -> writeStdin(process, stdin, payloadStdin));
        Thread reader = Thread.ofVirtual().name("serf-handler-output").start(() -> readOutput(process, output));
        boolean timedOut = false;
        long deadline = options.timeout().isZero() ? Long.MAX_VALUE : start + options.timeout().toNanos();
        try {
            boolean warned = options.slowWarning().isZero();
            while (true) {
                long now = System.nanoTime();
                long untilDeadline = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - now;
                long untilWarning = warned ? Long.MAX_VALUE : start + options.slowWarning().toNanos() - now;
                long wait = Math.min(untilDeadline, untilWarning);
                if (wait > 0 && process.waitFor(wait, TimeUnit.NANOSECONDS)) {
                    break; // exited
                }
                now = System.nanoTime();
                if (!warned && now - (start + options.slowWarning().toNanos()) >= 0) {
                    log.log(System.Logger.Level.WARNING, "agent: Script '" + script + "' slow, execution exceeding "
                            + GoDuration.format(options.slowWarning()));
                    warned = true;
                }
                if (deadline != Long.MAX_VALUE && now - deadline >= 0) {
                    timedOut = true;
                    killTree(process);
                    process.waitFor(5, TimeUnit.SECONDS);
                    break;
                }
            }
            // Like Go, wait until the output pipe closes too: a background child that inherited it
            // delays this (unbounded, as in Go, unless a timeout is configured).
            if (deadline == Long.MAX_VALUE) {
                reader.join();
            } else {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!reader.join(Duration.ofNanos(left))) {
                    timedOut = true;
                }
            }
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        } finally {
            if (process.isAlive()) {
                killTree(process);
            }
            if (reader.isAlive()) {
                closeQuietly(process.getInputStream()); // detach from children still holding the pipe
            }
            closeQuietly(process.getOutputStream());
            if (!Thread.currentThread().isInterrupted()) {
                reader.join(Duration.ofSeconds(5));
                writer.join(Duration.ofSeconds(5));
            }
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            throw new IOException("script '" + script + "' could not be stopped");
        }
        return new ScriptResult(process.exitValue(), output.bytes(), output.totalWritten(), timedOut,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Starts the script: a bare absolute path ({@link DirectExec}) is executed by itself, with the
     * environment the shell would have handed it; when that cannot start (missing, not executable,
     * ...) or for any other script, through the shell, which then reports the failure as Go's
     * agent's shell does.
     */
    private Process start(String script, Map<String, String> env) throws IOException {
        if (direct != null && DirectExec.isBarePath(script)) {
            try {
                return builder(List.of(script), env, direct).start();
            } catch (IOException e) {
                // fall through: the shell prints its own message and exits 126/127, as it does for Go
            }
        }
        List<String> command = new ArrayList<>(options.shell());
        command.add(script);
        return builder(command, env, null).start();
    }

    private ProcessBuilder builder(List<String> command, Map<String, String> env, DirectExec asShell) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (options.workingDir() != null) {
            pb.directory(options.workingDir().toFile());
        }
        try {
            pb.environment().putAll(env);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid environment: " + e.getMessage(), e);
        }
        if (asShell != null) {
            asShell.adjust(pb.environment());
        }
        return pb;
    }

    private void writeStdin(Process process, byte[] stdin, boolean payloadStdin) {
        OutputStream out = process.getOutputStream();
        try (out) {
            if (stdin.length > 0) {
                out.write(stdin);
                out.flush();
            }
        } catch (IOException e) {
            if (payloadStdin) {
                log.log(System.Logger.Level.ERROR, "Error writing payload: " + e.getMessage());
            }
        }
    }

    private static void readOutput(Process process, OutputRing output) {
        byte[] buf = new byte[4096];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                output.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the pipe was closed under us (kill or shutdown): what was read is kept
        }
    }

    /** Kills the script and everything it started. */
    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
