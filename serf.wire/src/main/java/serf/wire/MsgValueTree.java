package serf.wire;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Reads one msgpack value of any type as a {@link MsgValue} tree, for {@link MsgpackReader#readValue()},
 * and writes a tree back, for {@link MsgpackWriter#writeValue(MsgValue)}: both directions of the generic
 * tree in one place, apart from the field-by-field codec of the reader and writer.
 */
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

    /**
     * Writes {@code value} and everything under it to {@code w}, as {@link MsgpackWriter#writeValue} documents.
     * Iterative (a stack of iterators), so a deep tree cannot overflow the thread's stack.
     */
    static void write(MsgpackWriter w, MsgValue value) {
        Objects.requireNonNull(value, "value");
        ArrayDeque<Iterator<MsgValue>> pending = new ArrayDeque<>();
        pending.push(List.of(value).iterator());
        while (!pending.isEmpty()) {
            Iterator<MsgValue> it = pending.peek();
            if (!it.hasNext()) {
                pending.pop();
                continue;
            }
            switch (it.next()) {
                case MsgValue.Nil n -> w.writeNil();
                case MsgValue.Bool b -> w.writeBool(b.value());
                case MsgValue.Int i -> {
                    if (i.unsigned()) {
                        w.writeUint64(i.value());
                    } else {
                        w.writeInt(i.value());
                    }
                }
                case MsgValue.Float f -> {
                    if (f.singlePrecision()) {
                        w.writeFloat32((float) f.value());
                    } else {
                        w.writeFloat64(f.value());
                    }
                }
                case MsgValue.Str s -> {
                    switch (w.encoding()) {
                        case GOSSIP_RAW -> w.writeRawFamily(s.bytes());
                        case RPC_STR_BIN -> w.writeStr(s.bytes());
                    }
                }
                case MsgValue.Bin b -> w.writeBin(b.bytes());
                case MsgValue.Ext e -> w.writeExt(e.type(), e.data());
                case MsgValue.Array a -> {
                    w.writeArrayHeader(a.elements().size());
                    pending.push(a.elements().iterator());
                }
                case MsgValue.Map m -> {
                    w.writeMapHeader(m.entries().size());
                    pending.push(m.entries().stream()
                            .flatMap(e -> java.util.stream.Stream.of(e.key(), e.value())).iterator());
                }
            }
        }
    }
}
