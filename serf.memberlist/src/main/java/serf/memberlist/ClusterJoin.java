package serf.memberlist;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import serf.wire.DecodeException;

/**
 * Joining a cluster (Go's Memberlist.Join): every address each given member resolves to is tried with
 * a push/pull; the join succeeds when one of them answered, and otherwise fails with every error, in
 * the multi-error text Go's agent prints.
 *
 * <p>Unlike Go, a successful join is followed, {@link #followUpDelay} later, by one more push/pull
 * with a random live member. The join's push/pull gives this node the state its seed had at that
 * instant; a node that joined the seed a moment later is learned only by gossip, and gossip about it
 * is spent (each node sends it a few times) largely before this node is in the others' member lists
 * to be sent to. With many nodes joining together some pairs then miss each other until the periodic
 * push/pull, which is a minute or more away (60 s at 64 nodes): 64 of our agents started at once
 * lacked members for over 40 s. The follow-up closes that window; nothing changes on the wire.
 */
final class ClusterJoin {
    private final MemberlistConfig config;
    private final PushPull pushPull;
    private final NodeScheduler tasks;

    ClusterJoin(MemberlistConfig config, PushPull pushPull, NodeScheduler tasks) {
        this.config = config;
        this.pushPull = pushPull;
        this.tasks = tasks;
    }

    /** Ten gossip rounds (2 s in the LAN profile): long enough for the gossip of nodes that joined with this one to spread. */
    static java.time.Duration followUpDelay(MemberlistConfig config) {
        return Durations.times(config.gossipInterval(), 10);
    }

    /** {@return how many addresses answered} @throws IOException when none did, listing each failure */
    int join(List<String> existing) throws IOException {
        int ok = 0;
        List<String> errors = new ArrayList<>();
        for (String spec : existing) {
            List<InetSocketAddress> addrs;
            try {
                addrs = JoinAddresses.resolve(spec, config.bindPort());
            } catch (IOException | IllegalArgumentException e) {
                errors.add("Failed to resolve " + spec + ": " + e.getMessage());
                continue;
            }
            String name = spec.indexOf('/') > 0 ? spec.substring(0, spec.indexOf('/')) : "";
            for (InetSocketAddress a : addrs) {
                try {
                    if (name.isEmpty() && config.requireNodeNames()) {
                        throw new IOException(Memberlist.NODE_NAMES_REQUIRED);
                    }
                    pushPull.pushPullNode(name, a, true);
                    ok++;
                } catch (IOException | DecodeException e) {
                    errors.add("Failed to join " + a.getAddress().getHostAddress() + ": " + e.getMessage());
                }
            }
        }
        if (ok > 0) {
            tasks.schedule(followUpDelay(config), "push/pull after join",
                    () -> tasks.execute("push/pull", pushPull::pushPullRandom));
        }
        if (ok == 0 && !errors.isEmpty()) {
            // go-multierror's text, as Go's Join returns it.
            throw new IOException((errors.size() == 1 ? "1 error occurred" : errors.size() + " errors occurred")
                    + ":\n\t* " + String.join("\n\t* ", errors) + "\n\n");
        }
        return ok;
    }
}
