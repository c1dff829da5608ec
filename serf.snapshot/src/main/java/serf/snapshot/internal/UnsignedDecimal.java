package serf.snapshot.internal;

import java.util.OptionalLong;

/**
 * Unsigned 64-bit decimal numbers as Go's {@code strconv.ParseUint(s, 10, 64)} reads them:
 * ASCII digits only (leading zeros allowed), no sign, no spaces, no underscores.
 * The value is returned in a {@code long} holding the unsigned bits.
 */
public final class UnsignedDecimal {

    /** 2^64 - 1 has 20 digits; anything longer without leading zeros overflows. */
    private static final long MAX_DIV_10 = Long.divideUnsigned(-1L, 10);
    private static final long MAX_MOD_10 = Long.remainderUnsigned(-1L, 10);

    private UnsignedDecimal() {
    }

    /** The value of {@code text}, or empty when it is not a valid unsigned 64-bit decimal. */
    public static OptionalLong parse(CharSequence text) {
        int length = text.length();
        if (length == 0) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
            int digit = c - '0';
            int cmp = Long.compareUnsigned(value, MAX_DIV_10);
            if (cmp > 0 || (cmp == 0 && digit > MAX_MOD_10)) {
                return OptionalLong.empty();
            }
            value = value * 10 + digit;
        }
        return OptionalLong.of(value);
    }

    /** Decimal text of the unsigned value held in {@code value}. */
    public static String format(long value) {
        return Long.toUnsignedString(value);
    }
}
