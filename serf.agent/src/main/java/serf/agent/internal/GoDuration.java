package serf.agent.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Go's {@code time.Duration} text: {@link #parse} accepts exactly what {@code time.ParseDuration}
 * accepts ({@code 300ms}, {@code -1.5h}, {@code 2h45m}, {@code 1µs}, a bare {@code 0}), with its
 * error texts, and {@link #format} prints what {@code Duration.String()} prints ({@code 1m30s},
 * {@code 500ms}, {@code 0s}, {@code 1h0m0s}). Used for the agent's configuration, the CLI's
 * duration flags and the handlers' log lines.
 *
 * <p>Durations are int64 nanoseconds in Go; values outside that range are errors, as in Go.
 */
public final class GoDuration {

    private static final long NS = 1;
    private static final long US = 1_000 * NS;
    private static final long MS = 1_000 * US;
    private static final long SECOND = 1_000 * MS;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    /** 1 << 63 as an unsigned value. */
    private static final long TWO_63 = Long.MIN_VALUE;

    private GoDuration() {
    }

    /**
     * Parses a Go duration string.
     *
     * @throws IllegalArgumentException with Go's text, e.g. {@code time: invalid duration "x"},
     *         {@code time: missing unit in duration "5"}, {@code time: unknown unit "x" in duration "5x"}
     */
    public static Duration parse(String text) {
        return Duration.ofNanos(parseNanos(text));
    }

    /** As {@link #parse}, as nanoseconds. */
    public static long parseNanos(String text) {
        // Go works on the bytes of the string: units are any run of bytes that are not digits or '.'.
        byte[] s = text.getBytes(StandardCharsets.UTF_8);
        int i = 0;
        boolean neg = false;
        if (s.length > 0 && (s[0] == '-' || s[0] == '+')) {
            neg = s[0] == '-';
            i = 1;
        }
        if (s.length - i == 1 && s[i] == '0') {
            return 0;
        }
        if (i == s.length) {
            throw invalid(text);
        }
        long d = 0; // unsigned accumulator
        while (i < s.length) {
            byte c = s[i];
            if (!(c == '.' || ('0' <= c && c <= '9'))) {
                throw invalid(text);
            }
            // leading integer
            int start = i;
            long v = 0;
            while (i < s.length && '0' <= s[i] && s[i] <= '9') {
                if (Long.compareUnsigned(v, Long.divideUnsigned(TWO_63, 10)) > 0) { // unsigned: TWO_63 / 10 is negative
                    throw invalid(text);
                }
                v = v * 10 + (s[i] - '0');
                if (Long.compareUnsigned(v, TWO_63) > 0) {
                    throw invalid(text);
                }
                i++;
            }
            boolean pre = i != start;
            // fraction
            long f = 0;
            double scale = 1;
            boolean post = false;
            if (i < s.length && s[i] == '.') {
                i++;
                int fracStart = i;
                boolean overflow = false;
                while (i < s.length && '0' <= s[i] && s[i] <= '9') {
                    if (!overflow) {
                        if (Long.compareUnsigned(f, Long.MAX_VALUE / 10) > 0) {
                            overflow = true;
                        } else {
                            long y = f * 10 + (s[i] - '0');
                            if (Long.compareUnsigned(y, TWO_63) > 0) {
                                overflow = true;
                            } else {
                                f = y;
                                scale *= 10;
                            }
                        }
                    }
                    i++;
                }
                post = i != fracStart;
            }
            if (!pre && !post) {
                throw invalid(text);
            }
            // unit
            int unitStart = i;
            while (i < s.length && s[i] != '.' && !('0' <= s[i] && s[i] <= '9')) {
                i++;
            }
            if (i == unitStart) {
                throw new IllegalArgumentException("time: missing unit in duration " + GoText.timeQuote(text));
            }
            String u = new String(s, unitStart, i - unitStart, StandardCharsets.UTF_8);
            long unit = switch (u) {
                case "ns" -> NS;
                case "us", "\u00b5s", "\u03bcs" -> US;
                case "ms" -> MS;
                case "s" -> SECOND;
                case "m" -> MINUTE;
                case "h" -> HOUR;
                default -> throw new IllegalArgumentException("time: unknown unit " + GoText.timeQuote(unitText(s, unitStart, i))
                        + " in duration " + GoText.timeQuote(text));
            };
            if (Long.compareUnsigned(v, Long.divideUnsigned(TWO_63, unit)) > 0) {
                throw invalid(text);
            }
            v *= unit;
            if (f > 0) {
                v += (long) (toUnsignedDouble(f) * ((double) unit / scale));
                if (Long.compareUnsigned(v, TWO_63) > 0) {
                    throw invalid(text);
                }
            }
            d += v;
            if (Long.compareUnsigned(d, TWO_63) > 0) {
                throw invalid(text);
            }
        }
        if (neg) {
            return -d; // 1<<63 negated is Long.MIN_VALUE, as in Go
        }
        if (d < 0) { // above 1<<63 - 1
            throw invalid(text);
        }
        return d;
    }

    private static String unitText(byte[] s, int from, int to) {
        return new String(s, from, to - from, StandardCharsets.UTF_8);
    }

    private static double toUnsignedDouble(long v) {
        return v >= 0 ? (double) v : ((double) (v >>> 1)) * 2.0;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration " + GoText.timeQuote(text));
    }

    /** {@code time.Duration(d).String()}; the duration must fit in int64 nanoseconds. */
    public static String format(Duration d) {
        return format(d.toNanos());
    }

    /** {@code time.Duration(nanos).String()}. */
    public static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        boolean neg = nanos < 0;
        long u = neg ? -nanos : nanos; // unsigned magnitude (MIN_VALUE stays 1<<63)
        StringBuilder b = new StringBuilder();
        if (Long.compareUnsigned(u, SECOND) < 0) {
            int prec;
            String unit;
            if (u < US) {
                prec = 0;
                unit = "ns";
            } else if (u < MS) {
                prec = 3;
                unit = "\u00b5s";
            } else {
                prec = 6;
                unit = "ms";
            }
            b.append(fraction(u, prec)).append(unit);
            b.insert(0, Long.toUnsignedString(pow10Div(u, prec)));
        } else {
            String frac = fraction(u, 9);
            long secs = Long.divideUnsigned(u, SECOND);
            b.append(Long.remainderUnsigned(secs, 60)).append(frac).append('s');
            long mins = Long.divideUnsigned(secs, 60);
            if (mins > 0) {
                b.insert(0, 'm').insert(0, mins % 60);
                long hours = mins / 60;
                if (hours > 0) {
                    b.insert(0, 'h').insert(0, hours);
                }
            }
        }
        if (neg) {
            b.insert(0, '-');
        }
        return b.toString();
    }

    /** The fractional digits of u / 10^prec without trailing zeros, with a leading '.', or "". */
    private static String fraction(long u, int prec) {
        if (prec == 0) {
            return "";
        }
        long div = 1;
        for (int i = 0; i < prec; i++) {
            div *= 10;
        }
        long rem = Long.remainderUnsigned(u, div);
        if (rem == 0) {
            return "";
        }
        String digits = String.format("%0" + prec + "d", rem);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return "." + digits.substring(0, end);
    }

    private static long pow10Div(long u, int prec) {
        long div = 1;
        for (int i = 0; i < prec; i++) {
            div *= 10;
        }
        return Long.divideUnsigned(u, div);
    }
}
