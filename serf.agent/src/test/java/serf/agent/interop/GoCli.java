package serf.agent.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import serf.testkit.Poll;

/**
 * The real Go CLI ({@code /usr/bin/serf COMMAND -rpc-addr=ADDR ARGS...}) as a user runs it, with a
 * bounded wait. The Go CLI writes its errors to stdout too (its Ui has no error writer); stderr
 * only gets Go's flag-package complaints.
 */
public final class GoCli {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private GoCli() {
    }

    /** Exit code and both streams. */
    public record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }

        /** The same result with {@code f} applied to stdout. */
        public Result mapOut(java.util.function.UnaryOperator<String> f) {
            return new Result(code, f.apply(out), err);
        }
    }

    /** Runs {@code serf COMMAND -rpc-addr=RPC ARGS...} to completion. */
    public static Result run(String rpcAddr, String command, String... args) throws IOException {
        return finish(start(rpcAddr, command, args), TIMEOUT);
    }

    /** Runs {@code serf ARGS...} as given (no -rpc-addr added). */
    public static Result raw(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(AgentProcess.GO_SERF.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        AgentProcess.cleanEnv(pb.environment());
        return finish(pb.start(), TIMEOUT);
    }

    /** Starts the command; the caller collects it with {@link #finish}. */
    public static Process start(String rpcAddr, String command, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(AgentProcess.GO_SERF.toString());
        cmd.add(command);
        cmd.add("-rpc-addr=" + rpcAddr);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        AgentProcess.cleanEnv(pb.environment());
        return pb.start();
    }

    /** Waits for a started command (destroying it if it overruns) and collects its output. */
    public static Result finish(Process p, Duration timeout) throws IOException {
        try {
            CompletableFuture<String> out = readAsync(p.getInputStream());
            CompletableFuture<String> err = readAsync(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("serf " + p.info().arguments().map(List::of).orElse(List.of())
                        + " did not finish in " + timeout);
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(e);
        } finally {
            p.destroyForcibly();
        }
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return f;
    }

    /** A long-running CLI (monitor) whose output goes to a file that can be polled. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path out;

        private Running(Process process, Path out) {
            this.process = process;
            this.out = out;
        }

        public static Running start(Path dir, String rpcAddr, String command, String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(AgentProcess.GO_SERF.toString());
            cmd.add(command);
            cmd.add("-rpc-addr=" + rpcAddr);
            cmd.addAll(List.of(args));
            Path out = Files.createTempFile(dir, "cli-" + command, ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            AgentProcess.cleanEnv(pb.environment());
            return new Running(pb.start(), out);
        }

        public String output() {
            try {
                return Files.readString(out, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        public Process process() {
            return process;
        }

        /** Polls the output for {@code text}. */
        public void await(String text, Duration timeout) {
            try {
                Poll.until("CLI output containing '" + text + "'", timeout, () -> output().contains(text));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + output(), e);
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
