package serf.wire.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Serializes plain JDK values the way Go's encoding/json does (escaping, floats, indentation). */
final class JsonWriter {

    /** Deeper than any real document; reaching it almost certainly means a cycle. */
    private static final int MAX_DEPTH = 1000;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder();
    private final String indent; // null for compact output

    private JsonWriter(String indent) {
        this.indent = indent;
    }

    static String write(Object value, String indent) {
        JsonWriter writer = new JsonWriter(indent);
        writer.value(value, 0);
        return writer.out.toString();
    }

    private void value(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH + " (a cycle?)");
        }
        switch (value) {
            case null -> out.append("null");
            case String s -> string(s);
            case Boolean b -> out.append(b.booleanValue());
            case Long n -> out.append(n.longValue());
            case Integer n -> out.append(n.intValue());
            case Short n -> out.append(n.shortValue());
            case Byte n -> out.append(n.byteValue());
            case AtomicLong n -> out.append(n.get());
            case AtomicInteger n -> out.append(n.get());
            case BigInteger n -> out.append(n);
            case Double d -> floatingPoint(d, false);
            case Float f -> floatingPoint(f, true);
            case BigDecimal d -> out.append(d.toString());
            case Number n -> throw new IllegalArgumentException("unsupported number type " + n.getClass().getName());
            case byte[] bytes -> {
                out.append('"').append(Base64.getEncoder().encodeToString(bytes)).append('"');
            }
            case Map<?, ?> map -> object(map, depth);
            case Collection<?> collection -> array(collection, depth);
            case Object[] array -> array(java.util.Arrays.asList(array), depth);
            case Character c -> string(String.valueOf(c));
            default -> throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private void object(Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON object keys must be Strings, got "
                        + (entry.getKey() == null ? "null" : entry.getKey().getClass().getName()));
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(depth + 1);
            string(key);
            out.append(indent == null ? ":" : ": ");
            value(entry.getValue(), depth + 1);
        }
        newline(depth);
        out.append('}');
    }

    private void array(Collection<?> items, int depth) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(depth + 1);
            value(item, depth + 1);
        }
        newline(depth);
        out.append(']');
    }

    private void newline(int depth) {
        if (indent != null) {
            out.append('\n');
            out.append(indent.repeat(depth));
        }
    }

    /**
     * Go escapes quote, backslash, newline, return and tab by name; other controls, the HTML-sensitive
     * {@code < > &} and U+2028/U+2029 as six-char unicode escapes (lowercase hex); and replaces invalid
     * UTF-8 (for us: a lone surrogate) with an escaped U+FFFD. Everything else, including DEL and
     * non-ASCII, is written as is.
     */
    private void string(String s) {
        out.append('"');
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&' -> unicodeEscape(c);
                case '\u2028', '\u2029' -> unicodeEscape(c);
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append("\\ufffd");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private void unicodeEscape(char c) {
        out.append("\\u")
                .append(HEX[c >> 12 & 0xF])
                .append(HEX[c >> 8 & 0xF])
                .append(HEX[c >> 4 & 0xF])
                .append(HEX[c & 0xF]);
    }

    /**
     * Go's float encoding: the shortest digits that round-trip, in plain notation unless the magnitude
     * is below 1e-6 or at least 1e21, then in exponent notation with a sign and two-digit minimum
     * exponent, where Go trims "e-07" to "e-7" (but keeps "e+21").
     */
    private void floatingPoint(double value, boolean isFloat32) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JSON cannot represent " + value);
        }
        if (value == 0) {
            out.append(1 / value < 0 ? "-0" : "0");
            return;
        }
        // Double/Float.toString give the shortest round-tripping digits (JDK 19+).
        String shortest = isFloat32 ? Float.toString((float) value) : Double.toString(value);
        BigDecimal decimal = new BigDecimal(shortest).stripTrailingZeros();
        if (decimal.precision() == 2) {
            // Java keeps two digits where one would do for a few subnormals (4.9E-324); Go keeps one (5e-324).
            BigDecimal oneDigit = decimal.round(new MathContext(1, RoundingMode.HALF_EVEN));
            boolean roundTrips = isFloat32
                    ? Float.parseFloat(oneDigit.toString()) == (float) value
                    : Double.parseDouble(oneDigit.toString()) == value;
            if (roundTrips) {
                decimal = oneDigit.stripTrailingZeros();
            }
        }
        // Go compares in the value's own precision: float32(1e-6) is plain, not exponent notation.
        boolean plain = isFloat32
                ? Math.abs((float) value) >= 1e-6f && Math.abs((float) value) < 1e21f
                : Math.abs(value) >= 1e-6 && Math.abs(value) < 1e21;
        if (plain) {
            out.append(decimal.toPlainString());
            return;
        }
        String digits = decimal.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - decimal.scale();
        if (decimal.signum() < 0) {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        out.append('e').append(exponent < 0 ? '-' : '+');
        int absExponent = Math.abs(exponent);
        if (absExponent < 10 && exponent > 0) {
            out.append('0');
        }
        out.append(absExponent);
    }
}
