package serf.memberlist;

import java.util.ArrayList;
import java.util.List;
import serf.memberlist.internal.msg.Message;

/**
 * Go's verifyProtocol: every node, remote or local, must speak a protocol and delegate version
 * inside the range all alive nodes support.
 */
final class ProtocolVersions {
    /** One local node's versions (the six bytes of its version vector). */
    record Versions(String name, boolean alive, byte[] vsn) {
    }

    private ProtocolVersions() {
    }

    /** The error text, or null when the remote states and the local ones are compatible. */
    static String verify(List<Message.PushNodeState> remote, List<Versions> local) {
        for (Message.PushNodeState s : remote) {
            if (s.vsn() != null && s.vsn().length != 0 && s.vsn().length != 6) {
                return "Node '" + s.name() + "' sent a " + s.vsn().length + "-byte version vector";
            }
        }
        int maxPMin = 0, minPMax = 255, maxDMin = 0, minDMax = 255;
        List<int[]> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Message.PushNodeState s : remote) {
            byte[] v = s.vsn() == null ? new byte[0] : s.vsn();
            if (s.state() == NodeState.ALIVE.code() && v.length == 6) {
                maxPMin = Math.max(maxPMin, v[0] & 0xff);
                minPMax = Math.min(minPMax, v[1] & 0xff);
                maxDMin = Math.max(maxDMin, v[3] & 0xff);
                minDMax = Math.min(minDMax, v[4] & 0xff);
            }
            all.add(v.length == 6 ? new int[] {v[2] & 0xff, v[5] & 0xff} : new int[] {0, 0});
            names.add(s.name());
        }
        for (Versions n : local) {
            byte[] v = n.vsn();
            if (n.alive()) {
                maxPMin = Math.max(maxPMin, v[0] & 0xff);
                minPMax = Math.min(minPMax, v[1] & 0xff);
                maxDMin = Math.max(maxDMin, v[3] & 0xff);
                minDMax = Math.min(minDMax, v[4] & 0xff);
            }
            all.add(new int[] {v[2] & 0xff, v[5] & 0xff});
            names.add(n.name());
        }
        for (int i = 0; i < all.size(); i++) {
            int pCur = all.get(i)[0];
            int dCur = all.get(i)[1];
            if (pCur < maxPMin || pCur > minPMax) {
                return "Node '" + names.get(i) + "' protocol version (" + pCur + ") is incompatible: [" + maxPMin + ", " + minPMax + "]";
            }
            if (dCur < maxDMin || dCur > minDMax) {
                return "Node '" + names.get(i) + "' delegate protocol version (" + dCur + ") is incompatible: [" + maxDMin + ", " + minDMax + "]";
            }
        }
        return null;
    }
}
