package serf.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The test bed: one network namespace per agent ({@code sfx-<i>}, address 10.77.0.(10+i)/24 on its
 * eth0), all plugged into one bridge that lives in a namespace of its own ({@code sfx-hub}), so no
 * packet leaves the namespaces this class made. Faults are nftables rules in each agent's namespace
 * (table {@code inet sfx}, input hook): packets dropped at random (loss) and packets from given
 * addresses dropped (partitions, one-way when only one side drops). Loopback is never touched (the
 * agents' RPC is on 127.0.0.1 inside their namespace).
 *
 * <p>{@link #close()} removes every namespace it made; {@link #open} first removes the ones a killed
 * earlier run left behind (and the processes still in them: agents that run left).
 */
final class NetBed implements AutoCloseable {
    static final String PREFIX = "sfx-";
    static final String HUB = PREFIX + "hub";
    private static final List<NetBed> OPEN = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(NetBed::close), "netbed-cleanup"));
    }

    /** Per node: the namespace names made so far. */
    private final List<String> namespaces = new ArrayList<>();
    private final Path dir;

    private NetBed(Path dir) {
        this.dir = dir;
    }

    /** Why the bed cannot be built here, or empty when it can (root, ip, nft, namespaces allowed). */
    static Optional<String> unavailable() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return Optional.of("network namespaces need Linux");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("network namespaces need root (running as " + System.getProperty("user.name") + ")");
        }
        for (String tool : List.of("ip", "nft")) {
            if (!Sh.run("sh", "-c", "command -v " + tool).ok()) {
                return Optional.of(tool + " is not installed (apt-get install -y " + (tool.equals("ip") ? "iproute2" : "nftables") + ")");
            }
        }
        String probe = PREFIX + "probe";
        Sh.run("ip", "netns", "del", probe);
        Sh.Result add = Sh.run("ip", "netns", "add", probe);
        if (!add.ok()) {
            return Optional.of("ip netns add is not permitted here: " + add.out().strip());
        }
        try {
            Sh.Result nft = Sh.run("ip", "netns", "exec", probe, "nft", "add", "table", "inet", "sfx");
            if (!nft.ok()) {
                return Optional.of("nftables does not work in a namespace here: " + nft.out().strip());
            }
        } finally {
            Sh.run("ip", "netns", "del", probe);
        }
        return Optional.empty();
    }

    /** Builds the hub and {@code nodes} namespaces (after removing stale ones). */
    static NetBed open(Path dir, int nodes) {
        removeStale();
        NetBed bed = new NetBed(dir);
        OPEN.add(bed);
        try {
            Sh.check("ip", "netns", "add", HUB);
            Sh.check("ip", "-n", HUB, "link", "add", "br0", "type", "bridge");
            Sh.check("ip", "-n", HUB, "link", "set", "br0", "up");
            for (int i = 1; i <= nodes; i++) {
                bed.addNode();
            }
            return bed;
        } catch (RuntimeException e) {
            bed.close();
            throw e;
        }
    }

    /** Adds one more node namespace; returns its index (1-based). */
    int addNode() {
        int i = namespaces.size() + 1;
        String ns = PREFIX + i;
        Sh.check("ip", "netns", "add", ns);
        namespaces.add(ns);
        Sh.check("ip", "-n", HUB, "link", "add", "v" + i, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Sh.check("ip", "-n", HUB, "link", "set", "v" + i, "master", "br0", "up");
        Sh.check("ip", "-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
        Sh.check("ip", "-n", ns, "link", "set", "eth0", "up");
        Sh.check("ip", "-n", ns, "link", "set", "lo", "up");
        return i;
    }

    static String namespace(int i) {
        return PREFIX + i;
    }

    static String address(int i) {
        return "10.77.0." + (10 + i);
    }

    int size() {
        return namespaces.size();
    }

    /** The faults of one node's namespace: packets in dropped with probability {@code lossPermille}/1000, and all from {@code blocked}. */
    void faults(int node, int lossPermille, Set<Integer> blocked) {
        StringBuilder rules = new StringBuilder("table inet sfx\ndelete table inet sfx\ntable inet sfx {\n")
                .append(" chain input {\n  type filter hook input priority 0; policy accept;\n  iif \"lo\" accept\n");
        if (!blocked.isEmpty()) {
            Set<String> addrs = new LinkedHashSet<>();
            blocked.forEach(b -> addrs.add(address(b)));
            rules.append("  ip saddr { ").append(String.join(", ", addrs)).append(" } drop\n");
        }
        if (lossPermille > 0) {
            rules.append("  numgen random mod 1000 < ").append(lossPermille).append(" drop\n");
        }
        rules.append(" }\n}\n");
        try {
            Path file = dir.resolve("nft-" + node + ".conf");
            Files.writeString(file, rules);
            Sh.check("ip", "netns", "exec", namespace(node), "nft", "-f", file.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Cuts one node off from every other, both ways, with one rule change in its own namespace (so the
     * outage starts and ends at once, however long nft takes in the other namespaces), or ends that.
     */
    void isolate(int node, boolean cut) {
        String rules = cut
                ? "table inet sfx\ndelete table inet sfx\ntable inet sfx {\n"
                        + " chain input {\n  type filter hook input priority 0; policy accept;\n  iif \"lo\" accept\n"
                        + "  ip saddr 10.77.0.0/24 drop\n }\n"
                        + " chain output {\n  type filter hook output priority 0; policy accept;\n  oif \"lo\" accept\n"
                        + "  ip daddr 10.77.0.0/24 drop\n }\n}\n"
                : "table inet sfx\ndelete table inet sfx\n";
        try {
            Path file = dir.resolve("nft-" + node + (cut ? "-isolated" : "-open") + ".conf");
            Files.writeString(file, rules);
            Sh.check("ip", "netns", "exec", namespace(node), "nft", "-f", file.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Random loss on every node's input (so on every link). */
    void lossEverywhere(int lossPermille) {
        for (int i = 1; i <= size(); i++) {
            faults(i, lossPermille, Set.of());
        }
    }

    /** Splits the nodes into {@code a} and the rest: no packet crosses in either direction. */
    void partition(Set<Integer> a) {
        Set<Integer> b = new LinkedHashSet<>();
        for (int i = 1; i <= size(); i++) {
            if (!a.contains(i)) {
                b.add(i);
            }
        }
        for (int i = 1; i <= size(); i++) {
            faults(i, 0, a.contains(i) ? b : a);
        }
    }

    /** Removes every fault. */
    void heal() {
        for (int i = 1; i <= size(); i++) {
            faults(i, 0, Set.of());
        }
    }

    /** Removes every namespace of this bed (killing first whatever still runs in it). */
    @Override
    public void close() {
        OPEN.remove(this);
        List<String> all = new ArrayList<>(namespaces);
        all.add(HUB);
        for (String ns : all) {
            killInside(ns);
            Sh.run("ip", "netns", "del", ns);
        }
        namespaces.clear();
    }

    /** Removes namespaces with our prefix that an earlier, killed run left behind. */
    static void removeStale() {
        for (String line : Sh.run("ip", "netns", "list").out().lines().toList()) {
            String ns = line.split("\\s+")[0];
            if (ns.startsWith(PREFIX)) {
                killInside(ns);
                Sh.run("ip", "netns", "del", ns);
            }
        }
    }

    /** Kills (by pid) the processes left in one of our namespaces: agents a test or an earlier run started there. */
    private static void killInside(String ns) {
        for (String pid : Sh.run("ip", "netns", "pids", ns).out().lines().map(String::strip).toList()) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
