package serf.agent.internal;

import java.math.BigDecimal;

/** Go's float formatting where the CLI prints floats. */
public final class GoFloat {
    private GoFloat() {
    }

    /**
     * {@code strconv.FormatFloat(v, 'g', -1, 64)}, which {@code %v} uses: the shortest digits that
     * round-trip, in exponent form ({@code 1e+06}) when the decimal exponent is below -4 or at least 6.
     */
    public static String formatG(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0" : "0";
        }
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 6) {
            String mant = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
            String e = Integer.toString(Math.abs(exp));
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return sign + d.toPlainString();
    }

    /** Go's {@code %.Nf}: correctly rounded (half to even on exact ties) fixed notation. */
    public static String formatFixed(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return formatG(v);
        }
        String s = new BigDecimal(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN).toPlainString();
        if (v < 0 || (v == 0 && 1 / v < 0)) {
            // BigDecimal drops the sign of a result that rounds to zero; Go keeps it.
            if (!s.startsWith("-")) {
                s = "-" + s;
            }
        }
        return s;
    }
}
