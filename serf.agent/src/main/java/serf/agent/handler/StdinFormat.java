package serf.agent.handler;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import serf.client.internal.GoNet;
import serf.api.Member;

/**
 * What the Go agent writes to a handler script's stdin.
 *
 * <ul>
 *   <li>Member events: one line per member, {@code NAME\tADDR\tROLE\tTAGS\n}: ADDR is the IP as Go
 *       prints it, ROLE the member's {@code role} tag, TAGS its {@code k=v} pairs joined by commas
 *       (Go's map order is random; here they are sorted by name). Tabs and newlines in NAME, ROLE and
 *       the whole TAGS text become the two characters {@code \t} and {@code \n}; nothing else is escaped.</li>
 *   <li>User events and queries: the payload, plus a newline when it is non-empty and does not end in one.</li>
 * </ul>
 */
final class StdinFormat {

    private StdinFormat() {
    }

    static byte[] members(List<Member> members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Member m : members) {
            Map<String, String> tags = m.tags();
            List<String> names = new ArrayList<>(tags.keySet());
            names.sort(null);
            List<String> pairs = new ArrayList<>(names.size());
            for (String n : names) {
                pairs.add(n + "=" + tags.get(n));
            }
            String line = clean(m.name()) + "\t" + ip(m) + "\t" + clean(tags.getOrDefault("role", "")) + "\t"
                    + clean(String.join(",", pairs)) + "\n";
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String ip(Member m) {
        return m.addr() == null ? "<nil>" : GoNet.ipString(m.addr().getAddress());
    }

    /** Go's {@code eventClean}: tab and newline as backslash escapes. */
    static String clean(String v) {
        return v.replace("\t", "\\t").replace("\n", "\\n");
    }

    static byte[] payload(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return new byte[0];
        }
        if (payload[payload.length - 1] == '\n') {
            return payload.clone();
        }
        byte[] out = java.util.Arrays.copyOf(payload, payload.length + 1);
        out[payload.length] = '\n';
        return out;
    }
}
