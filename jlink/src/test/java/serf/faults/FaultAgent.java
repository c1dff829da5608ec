package serf.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import serf.testkit.Poll;

/**
 * One agent in its own namespace of a {@link NetBed}: ours (the runtime image's bin/serf) or Go's
 * (/usr/bin/serf), gossiping on 10.77.0.(10+i):7946 and serving RPC on 127.0.0.1:7373 inside its
 * namespace. Its event handler ({@link #HANDLER}) appends every user and member event it runs for
 * to {@code events-<name>.log} and answers queries with the node's name. Driven through the Go CLI
 * run in its namespace (the RPC protocol is the same for both).
 */
final class FaultAgent {
    static final String GO_BINARY = "/usr/bin/serf";
    static final int GOSSIP_PORT = 7946;
    static final String RPC = "127.0.0.1:7373";

    /** The event handler: one line per user event ("user NAME LTIME") or member ("member-failed NAME ..."). */
    static final String HANDLER = """
            #!/bin/sh
            d=$(dirname "$0")
            case "$SERF_EVENT" in
              user) cat >/dev/null; echo "user $SERF_USER_EVENT $SERF_USER_LTIME" >> "$d/events-$SERF_SELF_NAME.log" ;;
              query) cat >/dev/null; printf '%s' "$SERF_SELF_NAME" ;;
              *) while read -r line; do echo "$SERF_EVENT $line" >> "$d/events-$SERF_SELF_NAME.log"; done ;;
            esac
            """;

    enum Kind { IMAGE, GO }

    private final Kind kind;
    private final String name;
    private final int index;
    private final Path dir;
    private final List<String> extraArgs;
    private Process process;
    private int starts;

    FaultAgent(Kind kind, String name, int index, Path dir, List<String> extraArgs) {
        this.kind = kind;
        this.name = name;
        this.index = index;
        this.dir = dir;
        this.extraArgs = List.copyOf(extraArgs);
    }

    static void writeHandler(Path dir) throws IOException {
        Path h = dir.resolve("handler.sh");
        Files.writeString(h, HANDLER);
        h.toFile().setExecutable(true);
    }

    Kind kind() {
        return kind;
    }

    String name() {
        return name;
    }

    int index() {
        return index;
    }

    String address() {
        return NetBed.address(index);
    }

    String joinAddress() {
        return address() + ":" + GOSSIP_PORT;
    }

    Process process() {
        return process;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    Path eventLog() {
        return dir.resolve("events-" + name + ".log");
    }

    Path agentLog() {
        return dir.resolve("agent-" + name + ".log");
    }

    /** Starts the agent (joining {@code join} if not empty) and waits until its RPC answers. */
    void start(List<String> join) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NetBed.namespace(index),
                kind == Kind.GO ? GO_BINARY : ImageLocator.binary().toString(), "agent",
                "-node=" + name, "-bind=" + joinAddress(), "-rpc-addr=" + RPC,
                "-event-handler=" + dir.resolve("handler.sh")));
        cmd.addAll(extraArgs);
        join.forEach(j -> cmd.add("-join=" + j));
        starts++;
        process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(agentLog().toFile())).start();
        Poll.until(name + " answers RPC", Duration.ofSeconds(120), () -> !process.isAlive() || rpc("members").ok());
        if (!process.isAlive()) {
            throw new IOException(name + " exited at start (exit " + process.exitValue() + "):\n" + logTail(20));
        }
    }

    /** kill -9, and wait until it is gone. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits (bounded) for the process to end by itself (after a leave); true if it did. */
    boolean awaitExit(Duration timeout) {
        try {
            return process == null || process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs the Go CLI against this agent's RPC, in its namespace. */
    Sh.Result rpc(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NetBed.namespace(index), GO_BINARY));
        cmd.add(args[0]);
        cmd.add("-rpc-addr=" + RPC);
        cmd.addAll(List.of(args).subList(1, args.length));
        return Sh.run(30, cmd);
    }

    private static final Pattern MEMBER = Pattern.compile("^(\\S+)\\s+(\\S+)\\s+(alive|failed|left|leaving|none)\\b.*$");

    /** name -> status, as this agent lists its members; empty if its RPC does not answer. */
    Optional<Map<String, String>> members() {
        Sh.Result r = rpc("members");
        if (!r.ok()) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : r.out().lines().toList()) {
            Matcher m = MEMBER.matcher(line.strip());
            if (m.matches()) {
                out.put(m.group(1), m.group(3));
            }
        }
        return Optional.of(out);
    }

    /** True if this agent lists every one of {@code names} with {@code status}. */
    boolean sees(List<String> names, String status) {
        return members().map(m -> names.stream().allMatch(n -> status.equals(m.get(n)))).orElse(false);
    }

    /** Sends a user event (not coalesced, so every one reaches the handlers). */
    boolean event(String eventName) {
        return rpc("event", "-coalesce=false", eventName, "p").ok();
    }

    /** Lines of the handler log. */
    List<String> handled() {
        try {
            return Files.exists(eventLog()) ? Files.readAllLines(eventLog(), StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The user events this node's handler ran, each with how often. */
    Map<String, Integer> userEvents() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String line : handled()) {
            String[] f = line.split(" ");
            if (f.length >= 2 && f[0].equals("user")) {
                out.merge(f[1], 1, Integer::sum);
            }
        }
        return out;
    }

    /** How many member-failed lines the handler saw (one per failed member). */
    long failedEvents() {
        return handled().stream().filter(l -> l.startsWith("member-failed ")).count();
    }

    List<String> failedLines() {
        return handled().stream().filter(l -> l.startsWith("member-failed ")).toList();
    }

    int starts() {
        return starts;
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(agentLog(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return name + "(" + kind + "@" + address() + ")";
    }
}
