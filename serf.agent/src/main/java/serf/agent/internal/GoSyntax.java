package serf.agent.internal;

import java.util.ArrayList;
import java.util.List;
import serf.wire.MsgValue;

/**
 * Go's {@code fmt.Sprintf("%#v", v)} of a value that go-msgpack decoded into {@code interface{}}:
 * the form in which {@code serf monitor} prints event records. go-msgpack gives positive fixints
 * and signed forms as {@code int64} (printed in decimal) but {@code cc..cf} as {@code uint64}
 * (printed {@code 0x..}), strings as {@code string}, bin as {@code []byte}, maps as
 * {@code map[interface {}]interface {}} (printed with sorted keys) and arrays as
 * {@code []interface {}}.
 */
public final class GoSyntax {
    private GoSyntax() {
    }

    /**
     * {@code %#v} of a value passed to Sprintf directly (a top-level map value of the record), where
     * Go's fast paths print {@code []byte{..}} and a nil interface as {@code <nil>}.
     */
    public static String topLevel(MsgValue v) {
        return switch (v) {
            case MsgValue.Nil n -> "<nil>";
            case MsgValue.Bin b -> bytes("[]byte", b.bytes());
            default -> nested(v);
        };
    }

    /** {@code %#v} of a value inside a container, printed through reflection. */
    public static String nested(MsgValue v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v);
        return sb.toString();
    }

    private static void append(StringBuilder sb, MsgValue v) {
        switch (v) {
            case MsgValue.Nil n -> sb.append("interface {}(nil)");
            case MsgValue.Bool b -> sb.append(b.value());
            case MsgValue.Int i -> {
                if (i.unsigned() && !isFixint(i)) {
                    sb.append("0x").append(Long.toHexString(i.value()));
                } else {
                    sb.append(i.value());
                }
            }
            case MsgValue.Float f -> sb.append(GoFloat.formatG(f.value()));
            case MsgValue.Str s -> sb.append(GoText.quote(s.bytes()));
            case MsgValue.Bin b -> sb.append(bytes("[]uint8", b.bytes()));
            case MsgValue.Array a -> {
                sb.append("[]interface {}{");
                boolean first = true;
                for (MsgValue e : a.elements()) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    append(sb, e);
                }
                sb.append('}');
            }
            case MsgValue.Map m -> {
                List<String[]> entries = new ArrayList<>();
                for (MsgValue.Entry e : m.entries()) {
                    String key = nested(e.key());
                    entries.add(new String[] {sortKey(e.key()), key, nested(e.value())});
                }
                entries.sort((x, y) -> GoText.BYTE_ORDER.compare(x[0], y[0]));
                sb.append("map[interface {}]interface {}{");
                boolean first = true;
                for (String[] e : entries) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    sb.append(e[1]).append(':').append(e[2]);
                }
                sb.append('}');
            }
            case MsgValue.Ext e -> sb.append("codec.RawExt{Tag:0x").append(Integer.toHexString(e.type() & 0xff))
                    .append(", Data:").append(bytes("[]uint8", e.data())).append(", Value:interface {}(nil)}");
        }
    }

    /** Keys are strings in every record the agent sends; they sort by their bytes. */
    private static String sortKey(MsgValue key) {
        return key instanceof MsgValue.Str s ? GoText.fromBytes(s.bytes()) : nested(key);
    }

    /**
     * The tree does not record an integer's width, so an unsigned value 0..127 is taken as the
     * positive fixint Go's encoders always use for it (go-msgpack decodes those as int64).
     */
    private static boolean isFixint(MsgValue.Int i) {
        return i.value() >= 0 && i.value() <= 0x7f;
    }

    private static String bytes(String type, byte[] b) {
        StringBuilder sb = new StringBuilder(type).append('{');
        for (int i = 0; i < b.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append("0x").append(Integer.toHexString(b[i] & 0xff));
        }
        return sb.append('}').toString();
    }
}
