package serf.agent.internal;

/** Go's {@code time.ParseDuration}, for the CLI's duration flags. */
public final class GoDuration {
    private static final long MAX = Long.MAX_VALUE;
    /** 1<<63 as an unsigned value, held as Long.MIN_VALUE. */
    private static final long LIMIT = Long.MIN_VALUE;

    private GoDuration() {
    }

    /**
     * Parses a signed sequence of decimal numbers with optional fraction and a unit each, such as
     * {@code 300ms}, {@code -1.5h} or {@code 2h45m}. Units: ns, us (or µs, μs), ms, s, m, h.
     *
     * @return nanoseconds
     * @throws IllegalArgumentException with Go's message on bad syntax or overflow
     */
    public static long parse(String orig) {
        String s = orig;
        long d = 0; // accumulated as unsigned
        boolean neg = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw invalid(orig);
        }
        while (!s.isEmpty()) {
            char c0 = s.charAt(0);
            if (!(c0 == '.' || (c0 >= '0' && c0 <= '9'))) {
                throw invalid(orig);
            }
            // integer part
            int i = 0;
            long v = 0;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                if (Long.compareUnsigned(v, Long.divideUnsigned(LIMIT, 10)) > 0) {
                    throw invalid(orig);
                }
                v = v * 10 + (s.charAt(i) - '0');
                if (Long.compareUnsigned(v, LIMIT) > 0) {
                    throw invalid(orig);
                }
                i++;
            }
            boolean pre = i > 0;
            s = s.substring(i);
            long f = 0;
            double scale = 1;
            boolean post = false;
            if (!s.isEmpty() && s.charAt(0) == '.') {
                s = s.substring(1);
                int j = 0;
                boolean overflow = false;
                while (j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
                    if (!overflow) {
                        if (f > MAX / 10) {
                            overflow = true;
                        } else {
                            long y = f * 10 + (s.charAt(j) - '0');
                            if (y < 0) {
                                overflow = true;
                            } else {
                                f = y;
                                scale *= 10;
                            }
                        }
                    }
                    j++;
                }
                post = j > 0;
                s = s.substring(j);
            }
            if (!pre && !post) {
                throw invalid(orig);
            }
            int u = 0;
            while (u < s.length() && !(s.charAt(u) == '.' || (s.charAt(u) >= '0' && s.charAt(u) <= '9'))) {
                u++;
            }
            if (u == 0) {
                throw new IllegalArgumentException("time: missing unit in duration " + GoText.quote(orig));
            }
            String unitName = s.substring(0, u);
            s = s.substring(u);
            long unit = switch (unitName) {
                case "ns" -> 1L;
                case "us", "\u00b5s", "\u03bcs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new IllegalArgumentException("time: unknown unit " + GoText.quote(unitName)
                        + " in duration " + GoText.quote(orig));
            };
            if (Long.compareUnsigned(v, Long.divideUnsigned(LIMIT, unit)) > 0) {
                throw invalid(orig);
            }
            v *= unit;
            if (f > 0) {
                v += (long) ((double) f * ((double) unit / scale));
                if (Long.compareUnsigned(v, LIMIT) > 0) {
                    throw invalid(orig);
                }
            }
            d += v;
            if (Long.compareUnsigned(d, LIMIT) > 0) {
                throw invalid(orig);
            }
        }
        if (neg) {
            return -d;
        }
        if (Long.compareUnsigned(d, MAX) > 0) {
            throw invalid(orig);
        }
        return d;
    }

    private static IllegalArgumentException invalid(String orig) {
        return new IllegalArgumentException("time: invalid duration " + GoText.quote(orig));
    }
}
