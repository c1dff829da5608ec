package serf.memberlist.internal.msg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import serf.crypto.Keyring;
import serf.memberlist.internal.msg.Message.Ack;
import serf.memberlist.internal.msg.Message.Alive;
import serf.memberlist.internal.msg.Message.Dead;
import serf.memberlist.internal.msg.Message.Err;
import serf.memberlist.internal.msg.Message.IndirectPing;
import serf.memberlist.internal.msg.Message.Nack;
import serf.memberlist.internal.msg.Message.Ping;
import serf.memberlist.internal.msg.Message.PushNodeState;
import serf.memberlist.internal.msg.Message.PushPull;
import serf.memberlist.internal.msg.Message.Suspect;
import serf.memberlist.internal.msg.Message.User;
import serf.wire.json.Json;

/** The memberlist vector files and helpers to compare decoded messages with them. */
final class MsgVectors {
    static final Path ROOT = serf.testkit.TestVectors.root().resolve("memberlist");
    private static final HexFormat HEX = HexFormat.of();

    private MsgVectors() {
    }

    static Object load(String relative) {
        try {
            return Json.parse(Files.readString(ROOT.resolve(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> captures() {
        try (Stream<Path> files = Files.list(ROOT.resolve("captures"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> loadCapture(Path p) {
        try {
            return map(Json.parse(Files.readString(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The vectors of messages.json, by name, in file order. */
    static Map<String, Map<String, Object>> messages() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object v : list(map(load("messages.json")).get("vectors"))) {
            out.put((String) map(v).get("name"), map(v));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    static byte[] hex(Object s) {
        return HEX.parseHex((String) s);
    }

    static String hex(byte[] b) {
        return b == null ? null : HEX.formatHex(b);
    }

    static Keyring keyring(List<Object> hexKeys) {
        if (hexKeys == null || hexKeys.isEmpty()) {
            return null;
        }
        List<byte[]> keys = new ArrayList<>();
        for (Object k : hexKeys) {
            keys.add(hex(k));
        }
        return Keyring.of(keys.subList(1, keys.size()), keys.get(0));
    }

    static WireOptions options(Keyring ring, boolean compression, String label) {
        return new WireOptions(compression, ring, 1, true, true,
                label == null ? null : label.getBytes(StandardCharsets.UTF_8), false);
    }

    /** A message's fields under their Go names, byte slices as hex (null for nil), Vsn as a list. */
    static Map<String, Object> fields(Message m) {
        Map<String, Object> f = new LinkedHashMap<>();
        switch (m) {
            case Ping p -> {
                f.put("Node", p.node());
                f.put("SeqNo", p.seqNo());
                putIf(f, "SourceAddr", p.sourceAddr() == null || p.sourceAddr().length == 0 ? null : hex(p.sourceAddr()));
                putIf(f, "SourceNode", p.sourceNode().isEmpty() ? null : p.sourceNode());
                putIf(f, "SourcePort", p.sourcePort() == 0 ? null : (long) p.sourcePort());
            }
            case IndirectPing p -> {
                f.put("Nack", p.nack());
                f.put("Node", p.node());
                f.put("Port", (long) p.port());
                f.put("SeqNo", p.seqNo());
                putIf(f, "SourceAddr", p.sourceAddr() == null || p.sourceAddr().length == 0 ? null : hex(p.sourceAddr()));
                putIf(f, "SourceNode", p.sourceNode().isEmpty() ? null : p.sourceNode());
                putIf(f, "SourcePort", p.sourcePort() == 0 ? null : (long) p.sourcePort());
                f.put("Target", hex(p.target()));
            }
            case Ack a -> {
                f.put("Payload", hex(a.payload()));
                f.put("SeqNo", a.seqNo());
            }
            case Nack n -> f.put("SeqNo", n.seqNo());
            case Suspect s -> {
                f.put("From", s.from());
                f.put("Incarnation", s.incarnation());
                f.put("Node", s.node());
            }
            case Dead d -> {
                f.put("From", d.from());
                f.put("Incarnation", d.incarnation());
                f.put("Node", d.node());
            }
            case Alive a -> {
                f.put("Addr", hex(a.addr()));
                f.put("Incarnation", a.incarnation());
                f.put("Meta", hex(a.meta()));
                f.put("Node", a.node());
                f.put("Port", (long) a.port());
                f.put("Vsn", vsnList(a.vsn()));
            }
            case User u -> f.put("body", hex(u.payload()));
            case Err e -> f.put("Error", e.error());
            case PushPull p -> {
                Map<String, Object> header = new LinkedHashMap<>();
                header.put("Join", p.join());
                header.put("Nodes", (long) p.nodes().size());
                header.put("UserStateLen", (long) (p.userState() == null ? 0 : p.userState().length));
                f.put("header", header);
                List<Object> nodes = new ArrayList<>();
                for (PushNodeState s : p.nodes()) {
                    Map<String, Object> n = new LinkedHashMap<>();
                    n.put("Addr", hex(s.addr()));
                    n.put("Incarnation", s.incarnation());
                    n.put("Meta", hex(s.meta()));
                    n.put("Name", s.name());
                    n.put("Port", (long) s.port());
                    n.put("State", (long) s.state());
                    n.put("Vsn", vsnList(s.vsn()));
                    nodes.add(n);
                }
                f.put("nodes", nodes);
                f.put("user_state", hex(p.userState()));
            }
        }
        return f;
    }

    private static void putIf(Map<String, Object> f, String k, Object v) {
        if (v != null) {
            f.put(k, v);
        }
    }

    private static List<Object> vsnList(byte[] vsn) {
        List<Object> out = new ArrayList<>();
        if (vsn != null) {
            for (byte b : vsn) {
                out.add((long) (b & 0xff));
            }
        }
        return out;
    }

    /** One message in the notation of the capture files' summaries. */
    static String summary(Message m) {
        return switch (m) {
            case Ping p -> "ping seq=" + p.seqNo() + " node=" + p.node();
            case IndirectPing p -> "indirectPing seq=" + p.seqNo() + " target=" + p.node();
            case Ack a -> "ack seq=" + a.seqNo() + " payload=" + (a.payload() == null ? "nil" : a.payload().length);
            case Nack n -> "nack seq=" + n.seqNo();
            case Suspect s -> "suspect(" + s.node() + " inc=" + s.incarnation() + " from=" + s.from() + ")";
            case Dead d -> "dead(" + d.node() + " inc=" + d.incarnation() + " from=" + d.from() + ")";
            case Alive a -> "alive(" + a.node() + " inc=" + a.incarnation() + ")";
            case User u -> "user(" + u.payload().length + "B serf-type=" + (u.payload()[0] & 0xff) + ")";
            case Err e -> "err(" + e.error() + ")";
            case PushPull p -> {
                List<String> names = p.nodes().stream().map(s -> "'" + s.name() + "'").toList();
                yield "pushPull(join=" + (p.join() ? "True" : "False") + " nodes=[" + String.join(", ", names)
                        + "] userstate=" + (p.userState() == null ? 0 : p.userState().length) + "B)";
            }
        };
    }

    /**
     * The messages named by a capture summary with its wrappers removed: "crc(compound[a, b])" gives
     * [a, b]; {@code wrappers} receives the wrapper names outermost first.
     */
    static List<String> flatten(String summary, List<String> wrappers) {
        String s = summary;
        while (true) {
            if (s.startsWith("crc(") && s.endsWith(")")) {
                wrappers.add("crc");
                s = s.substring(4, s.length() - 1);
            } else if (s.startsWith("lzw(") && s.endsWith(")")) {
                wrappers.add("lzw");
                s = s.substring(4, s.length() - 1);
            } else if (s.startsWith("compound[") && s.endsWith("]")) {
                wrappers.add("compound");
                s = s.substring(9, s.length() - 1);
            } else {
                break;
            }
        }
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0 && i + 1 < s.length() && s.charAt(i + 1) == ' ') {
                parts.add(s.substring(start, i));
                start = i + 2;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
