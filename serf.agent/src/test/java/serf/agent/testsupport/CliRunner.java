package serf.agent.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import serf.agent.Main;
import serf.agent.cli.CliContext;
import serf.testkit.GoSerfAgent;

/** Runs {@code serf} commands: ours in-process (captured streams) or the Go binary as a process. */
public final class CliRunner {
    public static final Path GO_SERF = GoSerfAgent.SERF;

    private CliRunner() {
    }

    public static boolean goAvailable() {
        return GoSerfAgent.available();
    }

    /** Exit code and the two output streams. */
    public record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A command of ours that is still running (monitor), with live access to its output. */
    public static final class Running {
        private final ByteArrayOutputStream out;
        private final ByteArrayOutputStream err;
        private final CompletableFuture<Void> interrupt;
        private final CompletableFuture<Integer> code;

        Running(ByteArrayOutputStream out, ByteArrayOutputStream err, CompletableFuture<Void> interrupt,
                CompletableFuture<Integer> code) {
            this.out = out;
            this.err = err;
            this.interrupt = interrupt;
            this.code = code;
        }

        /** Output so far (ByteArrayOutputStream is internally synchronized). */
        public String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        /** Ctrl-C. */
        public void interrupt() {
            interrupt.complete(null);
        }

        public boolean isDone() {
            return code.isDone();
        }

        public Result await(Duration timeout) throws Exception {
            int c = code.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(c, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** Starts our CLI on a virtual thread. */
    public static Running start(List<String> args, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Void> interrupt = new CompletableFuture<>();
        CompletableFuture<Integer> code = new CompletableFuture<>();
        CliContext ctx = new CliContext(out, err, env::get, interrupt);
        Thread.ofVirtual().name("serf-cli-under-test").start(() -> {
            try {
                code.complete(Main.run(args, ctx));
            } catch (Throwable t) {
                code.completeExceptionally(t);
            }
        });
        return new Running(out, err, interrupt, code);
    }

    /** Runs our CLI to completion (bounded). */
    public static Result ours(List<String> args, Map<String, String> env) throws Exception {
        Running r = start(args, env);
        try {
            return r.await(Duration.ofSeconds(30));
        } catch (TimeoutException e) {
            r.interrupt();
            throw new AssertionError("our serf " + args + " did not finish", e);
        }
    }

    /** Starts the Go CLI with exactly this environment for the SERF_ variables. */
    public static Process startGo(List<String> args, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(GO_SERF.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("SERF_RPC_ADDR");
        pb.environment().remove("SERF_RPC_AUTH");
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs the Go CLI to completion (bounded; destroyed on timeout). */
    public static Result go(List<String> args, Map<String, String> env) throws Exception {
        Process p = startGo(args, env);
        return finish(p, Duration.ofSeconds(30));
    }

    /** Collects a Go CLI process's result; the process is destroyed if it overruns. */
    public static Result finish(Process p, Duration timeout) throws Exception {
        try {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Go serf did not finish in " + timeout);
            }
            return new Result(p.exitValue(), new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                    new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } finally {
            p.destroyForcibly();
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
