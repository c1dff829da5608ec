package serf.agent.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import serf.agent.internal.GoFlagSet;
import serf.client.internal.GoNet;
import serf.agent.internal.GoText;
import serf.client.Member;
import serf.client.SerfClient;
import serf.wire.json.Json;

/** {@code serf members}: always {@code members-filtered}, as the Go CLI does. */
final class MembersCommand implements Command {
    public String synopsis() {
        return "Lists the members of the cluster";
    }

    public String help() {
        return HelpTexts.MEMBERS;
    }

    public int run(List<String> argv, CliContext ctx) {
        Ui ui = ctx.ui();
        GoFlagSet flags = new GoFlagSet(() -> ui.output(help()), ctx.errUi()::output);
        GoFlagSet.BoolFlag detailed = flags.bool("detailed", false);
        GoFlagSet.StringFlag role = flags.string("role", "");
        GoFlagSet.StringFlag status = flags.string("status", "");
        GoFlagSet.StringFlag format = flags.string("format", "text");
        GoFlagSet.ListFlag tag = flags.list("tag");
        GoFlagSet.StringFlag name = flags.string("name", "");
        RpcFlags rpc = new RpcFlags(flags, ctx);
        if (!flags.parseOrUsage(argv)) {
            return 1;
        }
        List<String> tags = tag.values == null ? new ArrayList<>() : new ArrayList<>(tag.values);
        if (!role.value.isEmpty()) {
            ui.output("Deprecation warning: 'Role' has been replaced with 'Tags'");
            tags.add("role=" + role.value);
        }
        Map<String, String> reqTags;
        try {
            reqTags = GoFlagSet.unmarshalTags(tags);
        } catch (IllegalArgumentException e) {
            ui.error("Error: " + e.getMessage());
            return 1;
        }
        SerfClient client = rpc.connect(ui);
        if (client == null) {
            return 1;
        }
        List<Member> members;
        try (client) {
            members = client.membersFiltered(reqTags, status.value, name.value);
        } catch (IOException e) {
            ui.error("Error retrieving members: " + e.getMessage());
            return 1;
        }
        String out;
        switch (format.value) {
            case "text" -> out = text(members, detailed.value);
            case "json" -> out = json(members);
            default -> {
                ui.error("Encoding error: Invalid output format \"" + format.value + "\"");
                return 1;
            }
        }
        ui.output(GoText.trimSpace(out));
        return 0;
    }

    private static String text(List<Member> members, boolean detailed) {
        List<String> lines = new ArrayList<>();
        for (Member m : members) {
            String tags = m.tags() == null ? "" : m.tags().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
            String line = m.name() + "|" + GoNet.tcpAddrString(m.addr(), m.port()) + "|" + m.status() + "|" + tags;
            if (detailed) {
                line += "|Protocol Version: " + m.delegateCur() + "|Available Protocol Range: ["
                        + m.delegateMin() + ", " + m.delegateMax() + "]";
            }
            lines.add(line);
        }
        return Columnize.simpleFormat(lines);
    }

    /** Go's MemberContainer as JSON: struct fields in declaration order, map keys sorted. */
    private static String json(List<Member> members) {
        List<Object> list = null;
        for (Member m : members) {
            if (list == null) {
                list = new ArrayList<>();
            }
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", m.name());
            o.put("addr", GoNet.tcpAddrString(m.addr(), m.port()));
            o.put("port", m.port());
            o.put("tags", sorted(m.tags()));
            o.put("status", m.status());
            Map<String, Object> proto = new TreeMap<>();
            proto.put("max", m.delegateMax());
            proto.put("min", m.delegateMin());
            proto.put("version", m.delegateCur());
            o.put("protocol", proto);
            list.add(o);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("members", list);
        return Json.writePretty(root);
    }

    static <V> Map<String, V> sorted(Map<String, V> map) {
        if (map == null) {
            return null;
        }
        Map<String, V> out = new TreeMap<>(GoText.BYTE_ORDER);
        out.putAll(map);
        return out;
    }
}
