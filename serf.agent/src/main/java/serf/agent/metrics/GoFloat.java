package serf.agent.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Go's fmt verbs for the float32 values go-metrics carries, rounded as Go rounds (exactly, half to even). */
final class GoFloat {
    private GoFloat() {
    }

    /** The value as go-metrics holds it: a float32. */
    static double f32(double v) {
        return (float) v;
    }

    /** {@code %f}: six decimals. */
    static String f6(double v) {
        return fixed(v, 6);
    }

    /** {@code %0.3f}: three decimals. */
    static String f3(double v) {
        return fixed(v, 3);
    }

    static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        String s = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        // Go keeps the sign of a negative value that rounds to zero (-0.000).
        if (v < 0 && !s.startsWith("-")) {
            s = "-" + s;
        }
        return s;
    }
}
