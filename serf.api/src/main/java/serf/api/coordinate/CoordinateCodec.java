package serf.api.coordinate;

import java.util.List;

import serf.api.internal.msg.GoStruct;
import serf.wire.DecodeException;
import serf.wire.DecodeLimits;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * The payload Serf puts in every memberlist ack (docs/protocol/serf-messages.md §10.1): ping version byte 1, then
 * the msgpack of Go's Coordinate struct, {@code {Adjustment, Error, Height, Vec}} with float64 values
 * (130 bytes for 8 dimensions). Stateless and thread-safe.
 */
public final class CoordinateCodec {

    /** The only ping (ack payload) version there is. */
    public static final int PING_VERSION = 1;

    private static final DecodeLimits LIMITS = new DecodeLimits(4, 1 << 16, 1 << 16);
    private static final List<String> FIELDS = List.of("Vec", "Error", "Adjustment", "Height"); // Go declaration order

    private CoordinateCodec() {
    }

    /**
     * Encodes a coordinate as an ack payload.
     *
     * @param c the coordinate
     * @return the version byte and the msgpack, byte for byte as Go's ping delegate writes them
     */
    public static byte[] encode(Coordinate c) {
        MsgpackWriter w = MsgpackWriter.gossip();
        w.writeByte(PING_VERSION);
        w.writeMapHeader(4);
        w.writeKey("Adjustment").writeFloat64(c.adjustment());
        w.writeKey("Error").writeFloat64(c.error());
        w.writeKey("Height").writeFloat64(c.height());
        double[] vec = c.vec();
        w.writeKey("Vec").writeArrayHeader(vec.length);
        for (double v : vec) {
            w.writeFloat64(v);
        }
        return w.toByteArray();
    }

    /**
     * Decodes an ack payload. The coordinate is not validated (NaN, wrong dimensionality): the
     * client's update refuses those. Bytes after the msgpack value are ignored, as in Go.
     *
     * @param payload an ack payload
     * @return the coordinate it carries
     * @throws DecodeException if the payload is empty, of another version, or malformed
     */
    public static Coordinate decode(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw DecodeException.truncated("empty ack payload", 0);
        }
        int version = payload[0] & 0xff;
        if (version != PING_VERSION) {
            throw new DecodeException("Unsupported ping version: " + version, 0);
        }
        MsgpackReader r = new MsgpackReader(payload, 1, payload.length - 1, LIMITS);
        if (!r.hasRemaining()) {
            throw DecodeException.truncated("coordinate", 0);
        }
        double[] scalars = new double[3]; // error, adjustment, height
        double[][] vec = {new double[0]};
        GoStruct.read(r, FIELDS, (f, v) -> {
            switch (f) {
                case "Vec" -> vec[0] = readVec(v);
                case "Error" -> scalars[0] = v.readDouble();
                case "Adjustment" -> scalars[1] = v.readDouble();
                case "Height" -> scalars[2] = v.readDouble();
                default -> v.skip();
            }
        });
        return new Coordinate(vec[0], scalars[0], scalars[1], scalars[2]);
    }

    private static double[] readVec(MsgpackReader r) {
        int n = r.readArrayHeader();
        double[] out = new double[Math.max(n, 0)];
        for (int i = 0; i < n; i++) {
            out[i] = r.readDouble();
        }
        return out;
    }
}
