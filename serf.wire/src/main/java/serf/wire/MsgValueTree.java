package serf.wire;

import java.util.ArrayList;
import java.util.List;

/** Reads one msgpack value of any type as a {@link MsgValue} tree, for {@link MsgpackReader#readValue()}. */
final class MsgValueTree {
    private MsgValueTree() {
    }

    /** Reads the next value; {@code depth} = number of arrays/maps around it. */
    static MsgValue read(MsgpackReader r, MsgpackInput in, int depth) {
        int b = in.peekByte();
        return switch (MsgpackFormat.of(b)) {
            case NIL -> {
                in.pos++;
                yield MsgValue.Nil.INSTANCE;
            }
            case BOOLEAN -> new MsgValue.Bool(r.readBool());
            case INTEGER -> {
                boolean unsigned = b <= 0x7f || (b >= 0xcc && b <= 0xcf);
                yield new MsgValue.Int(unsigned ? r.readUint64() : r.readLong(), unsigned);
            }
            case FLOAT -> new MsgValue.Float(r.readDouble(), b == 0xca);
            case STRING -> new MsgValue.Str(r.readBytes());
            case BINARY -> new MsgValue.Bin(r.readBytes());
            case ARRAY -> {
                in.enter(depth);
                int n = r.readArrayHeader();
                List<MsgValue> items = new ArrayList<>(Math.min(n, 64));
                for (int i = 0; i < n; i++) {
                    items.add(read(r, in, depth + 1));
                }
                yield new MsgValue.Array(items);
            }
            case MAP -> {
                in.enter(depth);
                int n = r.readMapHeader();
                List<MsgValue.Entry> entries = new ArrayList<>(Math.min(n, 64));
                for (int i = 0; i < n; i++) {
                    MsgValue k = read(r, in, depth + 1);
                    MsgValue v = read(r, in, depth + 1);
                    entries.add(new MsgValue.Entry(k, v));
                }
                yield new MsgValue.Map(entries);
            }
            case EXTENSION -> r.readExt();
            case NEVER_USED -> throw new DecodeException("reserved byte 0xc1", r.position());
        };
    }
}
