package serf.memberlist;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import serf.memberlist.internal.msg.Message;

/**
 * The checks an alive message passes before it may change the node table: a sane version vector,
 * a usable address, the {@link AliveDelegate}'s consent, the allowed CIDRs, and room for one more
 * node. A refused message is logged (rate-limited) and ignored; refusals for lack of room are
 * counted. Called under the state lock; keeps no state but that counter.
 */
final class AliveAdmission {
    private final MemberlistConfig config;
    private final LogLimiter limited;
    private final CidrFilter cidrs;
    private final int maxNodes;
    /** Alive messages for new nodes ignored because {@link MemberlistConfig#maxNodes()} were known. */
    final AtomicLong nodesRefused = new AtomicLong();

    AliveAdmission(MemberlistConfig config, LogLimiter limited, CidrFilter cidrs) {
        this.config = config;
        this.limited = limited;
        this.cidrs = cidrs;
        this.maxNodes = config.maxNodes();
    }

    /** The message's version vector (nil read as empty), or null when it is refused. */
    byte[] versions(Message.Alive a) {
        byte[] vsn = a.vsn() == null ? new byte[0] : a.vsn();
        if (vsn.length >= 3) {
            int pMin = vsn[0] & 0xff;
            int pMax = vsn[1] & 0xff;
            if (pMin == 0 || pMax == 0 || pMin > pMax) {
                limited.log(System.Logger.Level.WARNING, "alive-vsn", "memberlist: Ignoring an alive message for '" + a.node()
                        + "' because protocol version(s) are wrong");
                return null;
            }
        }
        if (vsn.length != 6) {
            // Go crashes on 1..5 byte versions and is poisoned by an empty one (its later push/pulls
            // fail the version check); we refuse both, and so never relay them.
            limited.log(System.Logger.Level.WARNING, "alive-vsn", "memberlist: Ignoring an alive message for '" + a.node()
                    + "' with a " + vsn.length + "-byte version vector");
            return null;
        }
        return vsn;
    }

    /** The message's address, or null when it is not an IPv4 or IPv6 address. */
    InetAddress address(Message.Alive a) {
        InetAddress addr = WireAddress.of(a.addr());
        if (addr == null) {
            limited.log(System.Logger.Level.WARNING, "alive-addr", "memberlist: Ignoring an alive message for '" + a.node() + "' with a bad address");
        }
        return addr;
    }

    /** Asks the alive delegate, if there is one; true if it vetoed the node (called under the lock, as Go does). */
    boolean vetoed(Message.Alive a, InetAddress addr, byte[] vsn) {
        if (config.alive() == null) {
            return false;
        }
        Node candidate = new Node(a.node(), addr, a.port(), a.meta(), NodeState.ALIVE,
                vsn[0] & 0xff, vsn[1] & 0xff, vsn[2] & 0xff, vsn[3] & 0xff, vsn[4] & 0xff, vsn[5] & 0xff);
        String veto = config.alive().notifyAlive(candidate);
        if (veto != null) {
            limited.log(System.Logger.Level.WARNING, "alive-veto", "memberlist: ignoring alive message for '" + a.node() + "': " + veto);
            return true;
        }
        return false;
    }

    /** Whether a node not known yet may be added, with {@code known} nodes in the table. */
    boolean newNodeAllowed(Message.Alive a, InetAddress addr, int known) {
        if (!cidrs.allowed(addr)) {
            limited.log(System.Logger.Level.WARNING, "cidr", "memberlist: Rejected node " + a.node() + " (" + addr.getHostAddress() + "): not in the allowed CIDRs");
            return false;
        }
        if (known >= maxNodes) {
            nodesRefused.incrementAndGet();
            limited.log(System.Logger.Level.WARNING, "node-limit", "memberlist: Ignoring new node '" + a.node()
                    + "': " + maxNodes + " nodes are known already (MemberlistConfig.maxNodes; a larger heap raises it)");
            return false;
        }
        return true;
    }

    /** Whether a known node may move to {@code addr}, as far as the allowed CIDRs go. */
    boolean addressChangeAllowed(Message.Alive a, InetAddress addr) {
        if (!cidrs.allowed(addr)) {
            limited.log(System.Logger.Level.WARNING, "cidr", "memberlist: Rejected IP update for node " + a.node() + ": not in the allowed CIDRs");
            return false;
        }
        return true;
    }
}
