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
 */
final class ClusterJoin {
    private final MemberlistConfig config;
    private final PushPull pushPull;

    ClusterJoin(MemberlistConfig config, PushPull pushPull) {
        this.config = config;
        this.pushPull = pushPull;
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
        if (ok == 0 && !errors.isEmpty()) {
            // go-multierror's text, as Go's Join returns it.
            throw new IOException((errors.size() == 1 ? "1 error occurred" : errors.size() + " errors occurred")
                    + ":\n\t* " + String.join("\n\t* ", errors) + "\n\n");
        }
        return ok;
    }
}
