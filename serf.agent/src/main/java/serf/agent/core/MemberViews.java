package serf.agent.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;
import serf.client.Member;
import serf.client.internal.RpcRequest;
import serf.api.internal.msg.Re2;

/** Members as the RPC protocol shows them, and Go's members-filtered selection. */
final class MemberViews {
    private MemberViews() {
    }

    static List<Member> members(List<serf.api.Member> in) {
        List<Member> out = new ArrayList<>(in.size());
        for (serf.api.Member m : in) {
            out.add(new Member(m.name(), m.addr().getAddress(), m.port(), m.tags(), m.status().toString(),
                    m.protocolMin(), m.protocolMax(), m.protocolCur(), m.delegateMin(), m.delegateMax(), m.delegateCur()));
        }
        return out;
    }

    /**
     * members-filtered: every given filter is an RE2 expression, anchored as Go anchors it
     * ({@code "^" + expr + "$"}, no group: {@code a|b} means "starts with a or ends with b").
     * Throws when one does not compile, which closes the connection as Go's agent does.
     */
    static List<serf.api.Member> filter(List<serf.api.Member> in, RpcRequest.MembersFiltered f) {
        Map<String, String> tagExprs = new HashMap<>();
        if (f.tags() != null) {
            for (Map.Entry<String, String> e : f.tags().entrySet()) {
                tagExprs.put(e.getKey(), anchored(e.getValue()));
            }
        }
        String status = f.status().isEmpty() ? null : anchored(f.status());
        String name = f.name().isEmpty() ? null : anchored(f.name());
        List<serf.api.Member> out = new ArrayList<>();
        outer:
        for (serf.api.Member m : in) {
            for (Map.Entry<String, String> e : tagExprs.entrySet()) {
                if (!Re2.find(e.getValue(), m.tags().getOrDefault(e.getKey(), ""))) {
                    continue outer;
                }
            }
            if (status != null && !Re2.find(status, m.status().toString())) {
                continue;
            }
            if (name != null && !Re2.find(name, m.name())) {
                continue;
            }
            out.add(m);
        }
        return out;
    }

    private static String anchored(String expr) {
        String re = "^" + expr + "$";
        if (Re2.compile(re).isEmpty()) {
            throw new PatternSyntaxException("not a valid RE2 expression", expr, -1);
        }
        return re;
    }
}
