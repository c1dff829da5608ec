package serf.client.internal;

import java.util.List;
import java.util.Objects;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * The header before every response and every stream record: {@code {Error, Seq}}; an empty
 * {@code error} means success.
 */
public record ResponseHeader(String error, long seq) {
    /** Go declares Seq before Error; that order is used when the header arrives as an array. */
    private static final List<String> DECLARED = List.of("Seq", "Error");

    public ResponseHeader {
        Objects.requireNonNull(error, "error");
    }

    public static ResponseHeader ok(long seq) {
        return new ResponseHeader("", seq);
    }

    public boolean isError() {
        return !error.isEmpty();
    }

    public void encode(MsgpackWriter w) {
        w.writeMapHeader(2);
        w.writeKey("Error").writeString(error);
        w.writeKey("Seq").writeUint64(seq);
    }

    public static ResponseHeader decode(MsgpackReader r) {
        var f = new Object() {
            String error = "";
            long seq;
        };
        Wire.readStruct(r, DECLARED, (k, in) -> {
            switch (k) {
                case "Error" -> f.error = in.readString();
                case "Seq" -> f.seq = in.readUint64();
                default -> in.skip();
            }
        });
        return new ResponseHeader(f.error, f.seq);
    }
}
