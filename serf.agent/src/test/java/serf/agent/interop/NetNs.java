package serf.agent.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace of a test's own (named {@code smd-<pid>-<n>}), with only a loopback that
 * carries multicast: IPv4 224.0.0.0/4 and IPv6 ff00::/8 routed to {@code lo}. The Go agent's mDNS
 * client gives up on a poll when its IPv6 query cannot be sent, hence the IPv6 route. Agents run
 * inside with {@link #exec()} in front of their command line; {@link #close()} kills what runs
 * inside and deletes the namespace. Follows jlink's fault beds (netns {@code sfx-<i>}), with a
 * prefix of its own so that neither removes the other's.
 */
final class NetNs implements AutoCloseable {
    static final String PREFIX = "smd-";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final String name;

    private NetNs(String name) {
        this.name = name;
    }

    /** Why namespaces cannot be used here (no ip(8), not root, no permission), or empty. */
    static Optional<String> unavailable() {
        String probe = PREFIX + ProcessHandle.current().pid() + "-probe";
        Result add = run("ip", "netns", "add", probe);
        if (add.code != 0) {
            return Optional.of("ip netns add is not possible here: " + add.out.strip());
        }
        run("ip", "netns", "del", probe);
        return Optional.empty();
    }

    static NetNs create() throws IOException {
        removeStale();
        String ns = PREFIX + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
        check("ip", "netns", "add", ns);
        NetNs n = new NetNs(ns);
        try {
            check("ip", "-n", ns, "link", "set", "lo", "up");
            check("ip", "-n", ns, "link", "set", "lo", "multicast", "on");
            check("ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", "lo");
            check("ip", "-n", ns, "-6", "route", "add", "ff00::/8", "dev", "lo", "table", "local");
        } catch (IOException e) {
            n.close();
            throw e;
        }
        return n;
    }

    String name() {
        return name;
    }

    /** The command prefix that runs a program inside. */
    List<String> exec() {
        return List.of("ip", "netns", "exec", name);
    }

    /** Runs a command inside and returns its output (stdout and stderr). */
    String inside(String... cmd) {
        List<String> all = new ArrayList<>(exec());
        all.addAll(List.of(cmd));
        return run(all.toArray(String[]::new)).out;
    }

    @Override
    public void close() {
        killInside(name);
        run("ip", "netns", "del", name);
    }

    /** Namespaces of ours left by a JVM that died (its pid is gone). */
    private static void removeStale() {
        for (String line : run("ip", "netns", "list").out.lines().toList()) {
            String ns = line.split(" ")[0];
            if (!ns.startsWith(PREFIX)) {
                continue;
            }
            String[] parts = ns.substring(PREFIX.length()).split("-");
            try {
                long pid = Long.parseLong(parts[0]);
                if (ProcessHandle.of(pid).isEmpty()) {
                    killInside(ns);
                    run("ip", "netns", "del", ns);
                }
            } catch (NumberFormatException e) {
                // not one of ours
            }
        }
    }

    private static void killInside(String ns) {
        for (String pid : run("ip", "netns", "pids", ns).out.lines().map(String::strip).toList()) {
            try {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            } catch (NumberFormatException e) {
                // not a pid
            }
        }
    }

    private record Result(int code, String out) {
    }

    private static void check(String... cmd) throws IOException {
        Result r = run(cmd);
        if (r.code != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + r.code + "): " + r.out.strip());
        }
    }

    private static Result run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out;
            try (var in = p.getInputStream()) {
                out = in.readNBytes(1 << 16);
            }
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
