package serf.agent.rpc;

import java.util.List;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * A Vivaldi network coordinate as the agent sends it (seconds). {@code vec} null is Go's nil slice,
 * which the agent sends for an unknown node together with {@code Ok:false}.
 */
public record Coordinate(List<Double> vec, double error, double adjustment, double height) {
    private static final List<String> DECLARED = List.of("Vec", "Error", "Adjustment", "Height");

    public Coordinate {
        vec = Wire.copy(vec);
    }

    /** The zero value the agent reports for a node it has no coordinate for. */
    public static final Coordinate ZERO = new Coordinate(null, 0, 0, 0);

    /**
     * Estimated round trip time in seconds, computed as Go's {@code DistanceTo}: the Euclidean
     * distance plus both heights, plus both adjustments unless that would make it non-positive.
     * The result is truncated to whole nanoseconds, as Go's {@code time.Duration} is.
     *
     * @throws IllegalArgumentException if the dimensions differ (Go panics)
     */
    public double distanceSeconds(Coordinate other) {
        List<Double> a = vec == null ? List.of() : vec;
        List<Double> b = other.vec == null ? List.of() : other.vec;
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("coordinate dimensionality does not match");
        }
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            double d = a.get(i) - b.get(i);
            sum += d * d;
        }
        double dist = Math.sqrt(sum) + height + other.height;
        double adjusted = dist + adjustment + other.adjustment;
        if (adjusted > 0.0) {
            dist = adjusted;
        }
        long nanos = (long) (dist * 1.0e9);
        // Go's Duration.Seconds(): whole seconds plus the fraction, each converted separately.
        return (double) (nanos / 1_000_000_000L) + (double) (nanos % 1_000_000_000L) / 1e9;
    }

    public void encode(MsgpackWriter w) {
        w.writeMapHeader(4);
        w.writeKey("Adjustment").writeFloat64(adjustment);
        w.writeKey("Error").writeFloat64(error);
        w.writeKey("Height").writeFloat64(height);
        w.writeKey("Vec");
        Wire.writeDoubleList(w, vec);
    }

    public static Coordinate decode(MsgpackReader r) {
        var f = new Object() {
            List<Double> vec;
            double error;
            double adjustment;
            double height;
        };
        Wire.readStruct(r, DECLARED, (k, in) -> {
            switch (k) {
                case "Vec" -> f.vec = Wire.readDoubleList(in);
                case "Error" -> f.error = in.readDouble();
                case "Adjustment" -> f.adjustment = in.readDouble();
                case "Height" -> f.height = in.readDouble();
                default -> in.skip();
            }
        });
        return new Coordinate(f.vec, f.error, f.adjustment, f.height);
    }
}
