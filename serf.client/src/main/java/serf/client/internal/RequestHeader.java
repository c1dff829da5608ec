package serf.client.internal;

import java.util.List;
import java.util.Objects;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * The header before every request: {@code {Command, Seq}}. {@code seq} is a Go uint64 held in a
 * long (compare with {@link Long#compareUnsigned} if it matters).
 */
public record RequestHeader(String command, long seq) {
    private static final List<String> DECLARED = List.of("Command", "Seq");

    public RequestHeader {
        Objects.requireNonNull(command, "command");
    }

    public RequestHeader(RpcCommand command, long seq) {
        this(command.wireName(), seq);
    }

    public void encode(MsgpackWriter w) {
        w.writeMapHeader(2);
        w.writeKey("Command").writeString(command);
        w.writeKey("Seq").writeUint64(seq);
    }

    /** Decodes a header with missing fields zero. */
    public static RequestHeader decode(MsgpackReader r) {
        return decode(r, new RequestHeader("", 0));
    }

    /**
     * Decodes a header the way the Go agent does: it decodes every header into one reused struct,
     * so fields missing from this map keep the values of {@code previous}.
     */
    public static RequestHeader decode(MsgpackReader r, RequestHeader previous) {
        var f = new Object() {
            String command = previous.command();
            long seq = previous.seq();
        };
        Wire.readStruct(r, DECLARED, (k, in) -> {
            switch (k) {
                case "Command" -> f.command = in.readString();
                case "Seq" -> f.seq = in.readUint64();
                default -> in.skip();
            }
        });
        return new RequestHeader(f.command, f.seq);
    }
}
